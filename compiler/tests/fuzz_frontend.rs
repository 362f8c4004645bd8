//! Front-end fuzzer: mutated corpus files → `driver::check_file` (and, for some, codegen via
//! `driver::emit_object`); every input must give a module or diagnostics, never a panic,
//! a stack overflow or a hang.
//!
//! The corpus is `tests/run`, `examples` and `tests/ui`. Each input is one to three
//! mutations of a corpus file: byte flips, insertions and deletions, inserted Unicode
//! (combining marks, U+00A0, U+3000, U+2028, U+FEFF, emoji, bidi marks, escaped surrogates,
//! invalid UTF-8 read lossily as the runtime's `str` would be), deleted, duplicated and
//! swapped lines, deep nesting of every kind, huge literals, odd whitespace (tabs, form
//! feeds, a lone `\r`), a BOM, CRLF line endings, truncation. The diagnostics of every input
//! must point inside the file and render.
//!
//! Each input runs on a thread with an 8 MiB stack (the CLI's main thread) and must finish
//! within `PYCC_FUZZ_TIMEOUT_MS` (default 10,000 ms in debug builds). A failure prints the
//! seed, the iteration and a minimised input, and writes it to `target/fuzz-failures/`.
//!
//! The bounded run (`cargo test -p pycc-compiler --test fuzz_frontend`) is seeded and takes
//! about half a minute in a debug build. A long run:
//! `PYCC_FUZZ_ITERS=1000000 PYCC_FUZZ_SEED=7 cargo test --release -p pycc-compiler --test fuzz_frontend`.

use pycc_compiler::driver::{check_file, emit_object, translate_to_python, CompileError, CompileOptions};
use pycc_compiler::{SourceFile, SourceKind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A small deterministic PRNG (splitmix64): no crate needed, same stream on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The corpus: (file name, text), sorted for determinism.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["tests/run", "examples", "tests/ui"] {
        let Ok(entries) = std::fs::read_dir(workspace_root().join(dir)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyx")) {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), text));
                }
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no corpus files found under {}", workspace_root().display());
    out
}

const UNICODE: &[&str] = &[
    "\u{0301}", "\u{00a0}", "\u{3000}", "\u{2028}", "\u{2029}", "\u{feff}", "\u{1f600}", "\u{200f}", "\u{202e}", "\u{200b}", "é", "名", "\u{85}",
    "\\ud800", "'\\udfff'", "\u{10ffff}", "\u{fffd}", "x\u{0301}", "\u{2003}", "\u{1d54f}",
];

const TOKENS: &[&str] = &[
    "cdef ", "cpdef ", "int ", "double ", "<int>", "<double?>", "?", ":", "(", ")", "[", "]", "{", "}", ",", "=", "==", "->", "nogil", " except -1",
    " except? -1", "for i from 0 <= i < n", " by ", "cimport ", "from ", "import ", "lambda ", "yield ", "await ", "*", "**", "@", "\\", "'", "\"",
    "\"\"\"", "#", "return ", "if ", "else", "elif ", "while ", "break", "continue", "pass", "def ", "class ", "global ", "del ", "not ", "and ",
    " is ", " in ", "...", "0x", "0b2", "1_000", "1e", "1j", "unsigned ", "long ", "const ", "double[:, ::1] ", "&", "$", "!", "`", ";", "\n",
    "\n    ", "\t", "f'{x}'", "b'x'", "u'x'", "r'\\'", "async ", "with ", "try:", "match x:\n    case [1, *y]:\n        pass\n", "type X = int\n",
];

const LITERALS: &[&str] = &["1e400", "-1e400", "1e-400", "0x7fffffffffffffff", "18446744073709551616", "-9223372036854775809", "1.7976931348623157e308", "0.0", "-0.0"];

const NESTING_KINDS: usize = 14;

/// One of the deep-nesting forms, `depth` levels deep.
fn nesting(rng: &mut Rng, depth: usize) -> String {
    nesting_of_kind(rng.below(NESTING_KINDS), depth)
}

fn nesting_of_kind(kind: usize, depth: usize) -> String {
    match kind {
        0 => format!("{}x{}", "(".repeat(depth), ")".repeat(depth)),
        1 => format!("{}x", "-".repeat(depth)),
        2 => format!("{}x{}", "g(".repeat(depth), ")".repeat(depth)),
        3 => format!("{}x", "x if x else ".repeat(depth)),
        4 => vec!["x"; depth + 1].join(" + "),
        5 => vec!["x"; depth + 1].join(" ** "),
        6 => format!("{}x", "<int>".repeat(depth)),
        7 => format!("x{}", "[0]".repeat(depth)),
        8 => format!("x{}", ".y".repeat(depth)),
        9 => format!("{}x", "not ".repeat(depth)),
        10 => format!("{}x{}", "[".repeat(depth), "]".repeat(depth)),
        11 => format!("{}x", "lambda: ".repeat(depth)),
        12 => format!("{}x{}", "(x+".repeat(depth), ")".repeat(depth)),
        _ => vec!["x"; depth + 1].join(" < "),
    }
}

/// Nested blocks of one kind (`if`, `while`, `for`), `depth` levels under a function.
fn nested_blocks(rng: &mut Rng, depth: usize, pyx: bool) -> String {
    let header = *rng.pick(&["if x:", "while x:", "for i in range(x):", "if x:\n{I}pass\n{J}else:"]);
    let mut s = String::from(if pyx { "def f(int x):\n" } else { "def f(x: int) -> int:\n" });
    for level in 1..=depth {
        let line = header.replace("{I}", &" ".repeat(level + 1)).replace("{J}", &" ".repeat(level));
        s += &format!("{}{}\n", " ".repeat(level), line);
    }
    s += &format!("{}x = x - 1\n return x\n", " ".repeat(depth + 1));
    s
}

fn line_ranges(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Applies one random mutation.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>, corpus: &[(String, String)], pyx: bool) {
    let at = rng.below(text.len() + 1);
    let lines = line_ranges(text);
    match rng.below(17) {
        0 if !text.is_empty() => {
            let i = rng.below(text.len());
            text[i] ^= 1 << rng.below(8);
        }
        1 => text.insert(at, *rng.pick(b"()[]{}:;,.=+-*/%<>!?@#'\"\\ \t\n\r\x0cx0_")),
        2 => {
            let len = rng.below(8).min(text.len() - at.min(text.len()));
            text.drain(at..at + len);
        }
        3 => {
            let s = rng.pick(UNICODE);
            let at = floor_boundary(text, at);
            text.splice(at..at, s.bytes());
        }
        4 if !lines.is_empty() => {
            let (s, e) = *rng.pick(&lines);
            text.drain(s..e);
        }
        5 if !lines.is_empty() => {
            let (s, e) = *rng.pick(&lines);
            let copy = text[s..e].to_vec();
            text.splice(s..s, copy);
        }
        6 if lines.len() >= 2 => {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            let (a, b) = (lines[a.min(b)], lines[a.max(b)]);
            if a != b {
                let mut out = text[..a.0].to_vec();
                out.extend_from_slice(&text[b.0..b.1]);
                out.extend_from_slice(&text[a.1..b.0]);
                out.extend_from_slice(&text[a.0..a.1]);
                out.extend_from_slice(&text[b.1..]);
                *text = out;
            }
        }
        7 => {
            let depth = *rng.pick(&[10, 150, 196, 199, 200, 201, 1000, 5000, 20_000]);
            let expr = nesting(rng, depth);
            let at = floor_boundary(text, at);
            text.splice(at..at, expr.bytes());
        }
        8 => {
            let depth = *rng.pick(&[50, 198, 199, 200, 201, 500]);
            *text = nested_blocks(rng, depth, pyx).into_bytes();
        }
        9 => {
            let lit = match rng.below(3) {
                0 => rng.pick(LITERALS).to_string(),
                1 => "9".repeat(*rng.pick(&[20, 400, 10_000])),
                _ => format!("'{}'", "a".repeat(*rng.pick(&[100, 100_000]))),
            };
            let at = floor_boundary(text, at);
            text.splice(at..at, lit.bytes());
        }
        10 => {
            let ws: &[u8] = *rng.pick(&[b"\t" as &[u8], b"\x0c", b"\r", b"  \t", b"\\\n", b"\r\n"]);
            text.splice(at..at, ws.iter().copied());
        }
        11 => text.splice(0..0, "\u{feff}".bytes()).for_each(drop),
        12 => {
            let s = String::from_utf8_lossy(text).replace('\n', "\r\n");
            *text = s.into_bytes();
        }
        13 => text.truncate(at),
        14 => {
            let tok = rng.pick(TOKENS);
            let at = floor_boundary(text, at);
            text.splice(at..at, tok.bytes());
        }
        15 => {
            let (_, other) = rng.pick(corpus);
            let other_lines = line_ranges(other.as_bytes());
            if !other_lines.is_empty() {
                let (s, e) = *rng.pick(&other_lines);
                let start = lines.get(rng.below(lines.len() + 1)).map_or(text.len(), |l| l.0);
                text.splice(start..start, other.as_bytes()[s..e].iter().copied());
            }
        }
        _ => {
            // Invalid UTF-8: read lossily below, as a Python `str` reaches the runtime.
            text.insert(at, *rng.pick(&[0xff, 0xc3, 0xed, 0x80]));
        }
    }
}

fn floor_boundary(text: &[u8], mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && at < text.len() && (text[at] & 0xc0) == 0x80 {
        at -= 1;
    }
    at
}

/// What went wrong with one input.
#[derive(Debug)]
#[allow(dead_code)] // the fields are read through `Debug`
enum Failure {
    Panic(String),
    Hang(Duration),
    BadDiagnostic(String),
    Internal(String),
}

fn timeout() -> Duration {
    let ms = std::env::var("PYCC_FUZZ_TIMEOUT_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    Duration::from_millis(ms)
}

/// Runs the front end (and codegen if `codegen`) on one input, on an 8 MiB thread.
fn run_one(name: &str, text: &str, codegen: bool) -> Result<(), Failure> {
    let (sender, receiver) = mpsc::channel();
    let (name, text) = (name.to_string(), text.to_string());
    let started = Instant::now();
    let spawned = std::thread::Builder::new().name("fuzz-input".into()).stack_size(8 << 20).spawn(move || {
        let result = std::panic::catch_unwind(|| compile_and_check(&name, &text, codegen));
        let _ = sender.send(result.unwrap_or_else(|payload| {
            let msg = payload.downcast_ref::<String>().cloned().or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()));
            Err(Failure::Panic(msg.unwrap_or_else(|| "<non-string panic>".to_string())))
        }));
    });
    if let Err(e) = spawned {
        return Err(Failure::Internal(format!("cannot spawn a thread: {e}")));
    }
    match receiver.recv_timeout(timeout()) {
        Ok(result) => result,
        // A stack overflow aborts the whole process; a hang leaves the thread behind.
        Err(_) => Err(Failure::Hang(started.elapsed())),
    }
}

fn compile_and_check(name: &str, text: &str, codegen: bool) -> Result<(), Failure> {
    let file = SourceFile::new(name, text, SourceKind::from_path(name));
    let opts = CompileOptions::new("fuzzed");
    let checked = check_file(&file, &opts);
    match checked {
        Ok(_) if codegen => match emit_object(&file, &opts) {
            Ok(_) | Err(CompileError::Diagnostics { .. }) => {}
            Err(CompileError::Internal(e)) => return Err(Failure::Internal(format!("codegen: {e}"))),
        },
        Ok(_) => {}
        Err(CompileError::Diagnostics { rendered, diagnostics }) => {
            if diagnostics.is_empty() {
                return Err(Failure::BadDiagnostic("an error without diagnostics".to_string()));
            }
            let line_count = text.split('\n').count() as u32;
            for d in diagnostics.iter().take(200) {
                for span in std::iter::once(d.primary.span).chain(d.secondary.iter().map(|l| l.span)) {
                    if span.start > span.end || span.end as usize > text.len() + 1 {
                        return Err(Failure::BadDiagnostic(format!("span {span:?} outside the file ({} bytes): {}", text.len(), d.message)));
                    }
                    let pos = file.line_col(span.start);
                    let line_chars = file.line_text(span.start).chars().count() as u32;
                    if pos.line == 0 || pos.line > line_count || pos.col == 0 || pos.col > line_chars + 2 {
                        return Err(Failure::BadDiagnostic(format!("{pos} is outside the file: {}", d.message)));
                    }
                }
                if d.message.is_empty() {
                    return Err(Failure::BadDiagnostic(format!("empty message [{}]", d.code.name())));
                }
            }
            if rendered.is_empty() || pycc_compiler::diagnostics::render(&file, &diagnostics) != rendered {
                return Err(Failure::BadDiagnostic("rendering is empty or unstable".to_string()));
            }
        }
        Err(CompileError::Internal(e)) => return Err(Failure::Internal(e.to_string())),
    }
    if file.kind == SourceKind::Pyx {
        let _ = translate_to_python(&file);
    }
    Ok(())
}

/// Shrinks a failing input: drops lines, then halves chunks, while it still fails the same way.
fn minimise(name: &str, text: &str, codegen: bool, same: impl Fn(&Failure) -> bool) -> String {
    let fails = |t: &str| run_one(name, t, codegen).err().is_some_and(|f| same(&f));
    let mut best = text.to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut chunk = best.len() / 2;
    while chunk > 0 && Instant::now() < deadline {
        let mut at = 0;
        let mut shrunk = false;
        while at < best.len() && Instant::now() < deadline {
            let end = (at + chunk).min(best.len());
            if best.is_char_boundary(at) && best.is_char_boundary(end) {
                let candidate = format!("{}{}", &best[..at], &best[end..]);
                if fails(&candidate) {
                    best = candidate;
                    shrunk = true;
                    continue;
                }
            }
            at += chunk;
        }
        if !shrunk {
            chunk /= 2;
        }
    }
    best
}

fn report(seed: u64, iteration: usize, name: &str, text: &str, codegen: bool, failure: &Failure) -> String {
    let kind = std::mem::discriminant(failure);
    let minimal = match failure {
        Failure::Hang(_) => text.to_string(),
        _ => minimise(name, text, codegen, |f| std::mem::discriminant(f) == kind),
    };
    let dir = workspace_root().join("target").join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let ext = if name.ends_with(".pyx") { "pyx" } else { "py" };
    let path = dir.join(format!("seed{seed}-iter{iteration}.{ext}"));
    let _ = std::fs::write(&path, &minimal);
    let shown: String = minimal.chars().take(2000).collect();
    format!("seed {seed}, iteration {iteration} (mutated {name}, codegen: {codegen}): {failure:?}\nminimised input written to {}:\n{shown:?}", path.display())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

#[test]
fn fuzz_mutated_corpus() {
    let seed = env_number("PYCC_FUZZ_SEED", 0x5eed);
    let iterations = env_number("PYCC_FUZZ_ITERS", if cfg!(debug_assertions) { 150 } else { 4000 }) as usize;
    let corpus = corpus();
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut failures = Vec::new();
    for iteration in 0..iterations {
        let (name, original) = rng.pick(&corpus);
        let pyx = name.ends_with(".pyx");
        let mut bytes = original.clone().into_bytes();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut bytes, &corpus, pyx);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let codegen = rng.below(8) == 0;
        if let Err(failure) = run_one(name, &text, codegen) {
            failures.push(report(seed, iteration, name, &text, codegen, &failure));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    eprintln!("fuzz: {iterations} inputs from seed {seed} in {:.1} s", started.elapsed().as_secs_f64());
    assert!(failures.is_empty(), "{} fuzzed inputs failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Every prefix of the small corpus files (a file cut off anywhere).
#[test]
fn fuzz_truncations_of_small_files() {
    let mut corpus = corpus();
    corpus.retain(|(_, text)| text.len() <= 400);
    corpus.truncate(env_number("PYCC_FUZZ_TRUNCATED_FILES", 6) as usize);
    let mut failures = Vec::new();
    for (name, text) in &corpus {
        for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
            if let Err(failure) = run_one(name, &text[..end], false) {
                failures.push(report(0, end, name, &text[..end], false, &failure));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every kind of deep nesting just under, at and over the limit, and far over it, through
/// the whole pipeline on an 8 MiB stack.
#[test]
fn deep_nesting_of_every_kind_is_compiled_or_refused() {
    let mut failures = Vec::new();
    for kind in 0..NESTING_KINDS {
        for depth in [150, 197, 199, 200, 201, 5000, 100_000] {
            let expr = nesting_of_kind(kind, depth);
            for (name, src) in [
                ("deep.py", format!("def g(x: int) -> int:\n    return x\ndef f(x: int) -> int:\n    return {expr}\n")),
                ("deep.pyx", format!("cdef int g(int x):\n    return x\ndef f(int x):\n    return {expr}\n")),
            ] {
                eprintln!("deep: kind {kind}, depth {depth}, {name}");
                if let Err(failure) = run_one(name, &src, depth < 1000) {
                    failures.push(format!("kind {kind}, depth {depth}, {name}: {failure:?}"));
                }
            }
        }
    }
    for depth in [150, 199, 200, 201, 1000, 5000] {
        for pyx in [false, true] {
            let mut rng = Rng(depth as u64);
            let src = nested_blocks(&mut rng, depth, pyx);
            let name = if pyx { "blocks.pyx" } else { "blocks.py" };
            if let Err(failure) = run_one(name, &src, depth < 1000) {
                failures.push(format!("blocks, depth {depth}, {name}: {failure:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
