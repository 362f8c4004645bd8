//! The `pycc` command line: argument parsing, one call into `pycc_compiler::driver` per
//! file, and rendering. No compiler logic lives here.
//!
//! Shared by the Rust binary (`src/main.rs`) and the Python console script (`pycc.cli`,
//! through `_pycc.cli_main`). `pycc bench` runs Python code, so the binary hands it to
//! `python -m pycc bench`; the console script handles it before calling in here.

use pycc_compiler::driver::{self, CompileError, CompileOptions, Emit};
use pycc_compiler::{SourceFile, SourceKind};
use std::path::{Path, PathBuf};
use std::time::Instant;

const USAGE: &str = "\
usage: pycc <command> [options]

commands:
  build FILE...      compile .pyx/.py files into extension modules
      -o, --output-dir DIR   write the modules into DIR (default: next to each source)
      -f, --force            rebuild even when the source is unchanged
      --emit KIND            write KIND instead of a module: tir, clif, asm or obj
      -O0                    compile without Cranelift optimisations
  check FILE...      report errors and warnings without building
  translate FILE     print a .pyx file as plain Python (what `pycc bench` runs in CPython)
  bench FILE --call EXPR [--call EXPR...] [--repeat N] [--against cython|numba] [--json FILE]
                     time the same calls interpreted and compiled, side by side
  --version          print the version
";

pub fn run(args: Vec<String>) -> i32 {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return 2;
    };
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return 0;
    }
    match command.as_str() {
        "build" => match BuildArgs::parse(rest) {
            Ok(build) => build_all(&build),
            Err(msg) => usage_error(&msg),
        },
        "check" => check_all(rest),
        "translate" => match rest {
            [path] => translate(path),
            _ => usage_error("`pycc translate` takes one file"),
        },
        "bench" => run_python_bench(rest),
        "--version" | "-V" | "version" => {
            println!("pycc {}", env!("CARGO_PKG_VERSION"));
            0
        }
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            0
        }
        other => usage_error(&format!("unknown command `{other}`")),
    }
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("pycc: error: {msg}\n\n{USAGE}");
    2
}

#[derive(Debug, Default)]
struct BuildArgs {
    files: Vec<PathBuf>,
    output_dir: Option<PathBuf>,
    force: bool,
    emit: Option<EmitKind>,
    optimize: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EmitKind {
    Text(Emit),
    Object,
}

impl EmitKind {
    fn extension(self) -> &'static str {
        match self {
            EmitKind::Text(Emit::Tir) => "tir",
            EmitKind::Text(Emit::Clif) => "clif",
            EmitKind::Text(Emit::Asm) => "s",
            EmitKind::Object => "o",
        }
    }
}

impl BuildArgs {
    fn parse(args: &[String]) -> Result<BuildArgs, String> {
        let mut out = BuildArgs { optimize: true, ..BuildArgs::default() };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let (flag, inline_value) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            let mut value = |name: &str| inline_value.clone().or_else(|| iter.next().cloned()).ok_or_else(|| format!("`{name}` needs a value"));
            match flag {
                "-o" | "--output-dir" => out.output_dir = Some(PathBuf::from(value(flag)?)),
                "-f" | "--force" => out.force = true,
                "-O0" => out.optimize = false,
                "--emit" => {
                    out.emit = Some(match value(flag)?.as_str() {
                        "tir" => EmitKind::Text(Emit::Tir),
                        "clif" => EmitKind::Text(Emit::Clif),
                        "asm" => EmitKind::Text(Emit::Asm),
                        "obj" => EmitKind::Object,
                        other => return Err(format!("unknown --emit kind `{other}` (expected tir, clif, asm or obj)")),
                    })
                }
                f if f.starts_with('-') => return Err(format!("unknown option `{f}`")),
                _ => out.files.push(PathBuf::from(arg)),
            }
        }
        if out.files.is_empty() {
            return Err("`pycc build` needs at least one .pyx or .py file".into());
        }
        Ok(out)
    }
}

/// Reads a source file and checks that its stem can be a Python module name.
fn load(path: &Path) -> Result<(SourceFile, String), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: error: cannot read: {e}", path.display()))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let valid = stem.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && stem.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !valid {
        return Err(format!("{}: error: `{stem}` is not a valid Python module name", path.display()));
    }
    let kind = SourceKind::from_path(&path.to_string_lossy());
    Ok((SourceFile::new(path.to_string_lossy(), text, kind), stem))
}

fn build_all(args: &BuildArgs) -> i32 {
    if let Err(msg) = check_distinct_outputs(args) {
        eprintln!("{msg}");
        return 1;
    }
    let mut status = 0;
    for path in &args.files {
        if let Err(msg) = build_one(path, args) {
            eprintln!("{msg}");
            status = 1;
        }
    }
    status
}

/// Where the module built from `path` goes.
fn output_dir(path: &Path, args: &BuildArgs) -> PathBuf {
    match &args.output_dir {
        Some(dir) => dir.clone(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    }
}

/// Refuses two different sources that would write the same module (the same stem into one
/// directory: `a/m.pyx b/m.pyx -o out`, or `m.py m.pyx`), before anything is built. The
/// same file named twice is built once.
fn check_distinct_outputs(args: &BuildArgs) -> Result<(), String> {
    let mut seen: Vec<(PathBuf, std::ffi::OsString, &Path)> = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        let dir = output_dir(path, args);
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        let stem = path.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
        let same_file = |a: &Path, b: &Path| std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b);
        match seen.iter().find(|(d, s, _)| *d == dir && *s == stem) {
            Some((_, _, first)) if !same_file(first, path) => errors.push(format!(
                "pycc: error: {} and {} would both be built as module `{}` in {}; build them into different directories (-o)",
                first.display(),
                path.display(),
                stem.to_string_lossy(),
                if dir.as_os_str().is_empty() { Path::new(".").display() } else { dir.display() }
            )),
            Some(_) => {}
            None => seen.push((dir, stem, path)),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors.join("\n")) }
}

fn build_one(path: &Path, args: &BuildArgs) -> Result<(), String> {
    let started = Instant::now();
    let (file, stem) = load(path)?;
    let mut opts = CompileOptions::new(&stem);
    opts.optimize = args.optimize;
    let out_dir = output_dir(path, args);
    if !out_dir.as_os_str().is_empty() {
        std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: error: cannot create: {e}", out_dir.display()))?;
    }
    let warnings = driver::warnings(&file);
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    if let Some(emit) = args.emit {
        let target = out_dir.join(format!("{stem}.{}", emit.extension()));
        let bytes = match emit {
            EmitKind::Text(what) => driver::emit_text(&file, &opts, what).map(String::into_bytes),
            EmitKind::Object => driver::emit_object(&file, &opts),
        }
        .map_err(render_error)?;
        write_atomically(&target, &bytes)?;
        println!("wrote {}", target.display());
        return Ok(());
    }
    let suffix = ext_suffix()?;
    // A module for CPython 3.11 inlines reference counts (no immortal objects there).
    opts.inline_refcounts = suffix.starts_with(".cpython-311-");
    let target = out_dir.join(format!("{stem}{suffix}"));
    let key = cache_key(&file, &opts);
    let stamp = out_dir.join("__pycache__").join(format!("{stem}.pycc-stamp"));
    if !args.force && target.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
        println!("{} is up to date ({})", target.display(), path.display());
        return Ok(());
    }
    let object = driver::emit_object(&file, &opts).map_err(render_error)?;
    let tmp = tempdir_for(&target)?;
    let object_path = tmp.join(format!("{stem}.o"));
    let linked = tmp.join(format!("{stem}{suffix}"));
    let result = std::fs::write(&object_path, &object)
        .map_err(|e| format!("{}: error: {e}", object_path.display()))
        .and_then(|()| driver::link_shared(&object_path, &linked).map_err(|e| format!("pycc: error: {e}")))
        .and_then(|()| std::fs::rename(&linked, &target).map_err(|e| format!("{}: error: cannot write: {e}", target.display())));
    let _ = std::fs::remove_dir_all(&tmp);
    result?;
    if let Some(parent) = stamp.parent() {
        let _ = std::fs::create_dir_all(parent);
        let _ = std::fs::write(&stamp, &key);
    }
    println!("compiled {} -> {} in {} ms", path.display(), target.display(), started.elapsed().as_millis());
    Ok(())
}

fn render_error(err: CompileError) -> String {
    match err {
        CompileError::Diagnostics { rendered, .. } => rendered.trim_end().to_string(),
        CompileError::Internal(e) => format!("pycc: {e}"),
    }
}

/// A scratch directory beside the target, so the final rename stays on one filesystem.
fn tempdir_for(target: &Path) -> Result<PathBuf, String> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = parent.join(format!(".pycc-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: error: cannot create: {e}", dir.display()))?;
    Ok(dir)
}

fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = target.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target)).map_err(|e| format!("{}: error: cannot write: {e}", target.display()))
}

/// What decides whether a module must be rebuilt: the source text (directives included),
/// the pycc version, the module name and the options.
fn cache_key(file: &SourceFile, opts: &CompileOptions) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    let parts = [env!("CARGO_PKG_VERSION"), pycc_compiler::abi::ModuleDesc::FORMAT, &opts.module_name, if opts.optimize { "O" } else { "O0" }, if opts.inline_refcounts { "rc" } else { "calls" }, &file.text];
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    format!("pycc {} {hash:016x}\n", env!("CARGO_PKG_VERSION"))
}

/// The extension-module suffix of the Python that will import the module: given by the
/// console script in `PYCC_EXT_SUFFIX`, else asked of `$PYTHON` / `python3`.
fn ext_suffix() -> Result<String, String> {
    if let Ok(s) = std::env::var("PYCC_EXT_SUFFIX") {
        if !s.is_empty() {
            return Ok(s);
        }
    }
    let python = python_executable();
    let out = std::process::Command::new(&python)
        .args(["-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"])
        .output()
        .map_err(|e| format!("pycc: error: cannot run `{python}` to find the extension suffix ({e}); set PYCC_EXT_SUFFIX or PYTHON"))?;
    let suffix = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || suffix.is_empty() || suffix == "None" {
        return Err(format!("pycc: error: `{python}` did not report an extension suffix; set PYCC_EXT_SUFFIX"));
    }
    Ok(suffix)
}

fn python_executable() -> String {
    std::env::var("PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "python3".to_string())
}

fn check_all(files: &[String]) -> i32 {
    if files.is_empty() {
        return usage_error("`pycc check` needs at least one file");
    }
    let mut status = 0;
    for path in files {
        let result = load(Path::new(path)).and_then(|(file, stem)| {
            eprint!("{}", driver::warnings(&file));
            driver::check_file(&file, &CompileOptions::new(stem)).map_err(render_error)
        });
        match result {
            Ok(_) => println!("{path}: ok"),
            Err(msg) => {
                eprintln!("{msg}");
                status = 1;
            }
        }
    }
    status
}

fn translate(path: &str) -> i32 {
    match load(Path::new(path)).and_then(|(file, _)| driver::translate_to_python(&file).map_err(render_error)) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(msg) => {
            eprintln!("{msg}");
            1
        }
    }
}

/// `pycc bench` is written in Python (it runs CPython, Cython and Numba side by side).
fn run_python_bench(args: &[String]) -> i32 {
    let python = python_executable();
    match std::process::Command::new(&python).args(["-m", "pycc", "bench"]).args(args).status() {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            eprintln!("pycc: error: `pycc bench` runs in Python, and `{python}` could not be started: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn build_arguments_parse() {
        let b = BuildArgs::parse(&args("a.pyx b.py -o out --force --emit=clif")).unwrap();
        assert_eq!(b.files, vec![PathBuf::from("a.pyx"), PathBuf::from("b.py")]);
        assert_eq!(b.output_dir, Some(PathBuf::from("out")));
        assert!(b.force);
        assert_eq!(b.emit, Some(EmitKind::Text(Emit::Clif)));
        assert!(BuildArgs::parse(&args("--emit wat a.pyx")).unwrap_err().contains("unknown --emit kind"));
        assert!(BuildArgs::parse(&args("-x a.pyx")).unwrap_err().contains("unknown option"));
        assert!(BuildArgs::parse(&args("-o")).is_err());
        assert!(BuildArgs::parse(&[]).is_err());
    }

    #[test]
    fn cache_key_changes_with_source_and_options() {
        let a = SourceFile::new("m.py", "def f(): pass\n", SourceKind::Py);
        let b = SourceFile::new("m.py", "def f():  pass\n", SourceKind::Py);
        let opts = CompileOptions::new("m");
        let mut o0 = CompileOptions::new("m");
        o0.optimize = false;
        assert_eq!(cache_key(&a, &opts), cache_key(&a, &opts));
        assert_ne!(cache_key(&a, &opts), cache_key(&b, &opts));
        assert_ne!(cache_key(&a, &opts), cache_key(&a, &o0));
    }

    #[test]
    fn module_names_must_be_identifiers() {
        let dir = std::env::temp_dir().join(format!("pycc-cli-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("my-mod.py");
        std::fs::write(&bad, "").unwrap();
        assert!(load(&bad).unwrap_err().contains("not a valid Python module name"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
