//! The `pycc` command line (binary): everything is in `pycc_cli::run`, shared with the
//! `pycc` console script that the Python package installs.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(pycc_cli::run(args));
}
