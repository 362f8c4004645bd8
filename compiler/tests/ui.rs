//! UI tests: golden diagnostics. Checks every `tests/ui/**/*.py|*.pyx` through `driver::check_file`.
//!
//! Each line that must produce an error carries an inline marker, in ty's mdtest style:
//!
//! ```text
//! x: int = 1.5  # error: [invalid-assignment]
//! y = f(1, 2)   # error: [wrong-argument-count] "expected 1 argument"
//! # error: [syntax-error]
//! a line the marker above applies to (for lines that cannot hold a comment)
//! # warning: [invalid-directive]
//! # cython: no_such_directive=True
//! ```
//!
//! A marker names a diagnostic code and optionally a quoted substring of the message. A
//! marker at the end of a line applies to that line; a marker alone on its line applies to
//! the next line that is not itself a marker. Every marker must be matched by exactly one
//! diagnostic of its severity whose primary span starts on its line, and every error and
//! warning by a marker. (Warnings of a file without errors come from `driver::warnings`.)
//! The rendered diagnostics must equal the sibling `<stem>.stderr` file; run with
//! `PYCC_BLESS=1` to rewrite those files (the marker checks still run).
//!
//! A line `# xfail: REASON` marks a known compiler bug: the file is expected to fail, and
//! the test fails if it passes (strict, like pytest's `xfail(strict=True)`), so that the
//! line is removed once the bug is fixed. The markers and the `.stderr` file say what the
//! output should be, not what it is.
//!
//! Tidy tests here: every `diagnostics::Code` has a ui test, and every `.rs` file under
//! `compiler/src`, `runtime/src` and `src/` opens with a `//!` line.

use pycc_compiler::diagnostics::{Code, Severity};
use pycc_compiler::driver::{check_file, warnings, CompileError, CompileOptions};
use pycc_compiler::{SourceFile, SourceKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

fn ui_dir() -> PathBuf {
    workspace_root().join("tests").join("ui")
}

/// All ui inputs, sorted, as paths relative to the workspace root with `/` separators.
fn ui_files() -> Vec<String> {
    let root = workspace_root();
    let mut out = Vec::new();
    let mut stack = vec![ui_dir()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyx")) {
                let rel = path.strip_prefix(&root).expect("ui file under the workspace root");
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out.sort();
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Marker {
    /// 1-based line the marker applies to.
    line: u32,
    /// "error" or "warning".
    level: &'static str,
    code: String,
    /// A substring the diagnostic's message must contain.
    message: Option<String>,
}

/// Finds the marker in a line: its byte offset, its level and the text after `# level:`.
fn find_marker(line: &str) -> Option<(usize, &'static str, &str)> {
    ["error", "warning"].into_iter().find_map(|level| {
        let tag = format!("# {level}:");
        line.find(&tag).map(|pos| (pos, level, &line[pos + tag.len()..]))
    })
}

/// Parses the `# error: [code] "msg"...` and `# warning: ...` markers of a file.
fn parse_markers(text: &str) -> Result<Vec<Marker>, String> {
    let mut markers = Vec::new();
    let mut pending: Vec<(&'static str, String, Option<String>)> = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        let lineno = idx as u32 + 1;
        let attach = |pending: &mut Vec<(&'static str, String, Option<String>)>, markers: &mut Vec<Marker>| {
            markers.extend(pending.drain(..).map(|(level, code, message)| Marker { line: lineno, level, code, message }));
        };
        let Some((pos, level, body)) = find_marker(line) else {
            attach(&mut pending, &mut markers);
            continue;
        };
        let parsed = parse_marker_body(body).map_err(|e| format!("line {lineno}: {e}"))?;
        if line[..pos].trim().is_empty() {
            pending.extend(parsed.into_iter().map(|(code, message)| (level, code, message)));
        } else {
            attach(&mut pending, &mut markers);
            markers.extend(parsed.into_iter().map(|(code, message)| Marker { line: lineno, level, code, message }));
        }
    }
    if !pending.is_empty() {
        return Err("a marker on its own line at the end of the file applies to no line".to_string());
    }
    Ok(markers)
}

/// `[code] "message" [code2]` → [(code, Some(message)), (code2, None)].
fn parse_marker_body(body: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut rest = body.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or("unclosed `[` in marker")?;
            out.push((after[..end].trim().to_string(), None));
            rest = after[end + 1..].trim_start();
        } else if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').ok_or("unclosed `\"` in marker")?;
            let last = out.last_mut().ok_or("a message must follow a `[code]`")?;
            last.1 = Some(after[..end].to_string());
            rest = after[end + 1..].trim_start();
        } else {
            return Err(format!("expected `[code]` or `\"message\"`, found `{rest}`"));
        }
    }
    if out.is_empty() {
        return Err("marker without a `[code]`".to_string());
    }
    Ok(out)
}

/// What the front end reported for one file.
struct Checked {
    rendered: String,
    /// Every error and warning.
    diags: Vec<Reported>,
}

#[derive(Clone, Debug)]
struct Reported {
    line: u32,
    level: &'static str,
    code: String,
    message: String,
}

/// Reads `path:line:col: warning: message [code]` headers back from rendered text (what
/// `driver::warnings` returns).
fn parse_rendered(rendered: &str, path: &str) -> Vec<Reported> {
    let mut out = Vec::new();
    for line in rendered.lines() {
        let Some(rest) = line.strip_prefix(path).and_then(|r| r.strip_prefix(':')) else { continue };
        let mut parts = rest.splitn(3, ':');
        let (Some(l), Some(_col), Some(tail)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let Ok(lineno) = l.parse::<u32>() else { continue };
        let tail = tail.trim_start();
        let (level, body) = if let Some(b) = tail.strip_prefix("warning: ") {
            ("warning", b)
        } else if let Some(b) = tail.strip_prefix("error: ") {
            ("error", b)
        } else {
            continue;
        };
        let (message, code) = match body.rfind(" [") {
            Some(i) if body.ends_with(']') => (&body[..i], &body[i + 2..body.len() - 1]),
            _ => (body, ""),
        };
        out.push(Reported { line: lineno, level, code: code.to_string(), message: message.to_string() });
    }
    out
}

fn check(rel_path: &str, text: &str) -> Result<Checked, String> {
    let stem = Path::new(rel_path).file_stem().and_then(|s| s.to_str()).unwrap_or("module").to_string();
    let file = SourceFile::new(rel_path, text, SourceKind::from_path(rel_path));
    let opts = CompileOptions::new(stem);
    let result = std::panic::catch_unwind(|| check_file(&file, &opts));
    match result {
        Err(panic) => {
            let msg = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            Err(format!("the compiler panicked: {}", msg.unwrap_or_else(|| "<non-string panic>".to_string())))
        }
        Ok(Ok(_module)) => match std::panic::catch_unwind(|| warnings(&file)) {
            Ok(rendered) => {
                let diags = parse_rendered(&rendered, rel_path);
                Ok(Checked { rendered, diags })
            }
            Err(_) => Err("the compiler panicked while collecting warnings".to_string()),
        },
        Ok(Err(CompileError::Diagnostics { rendered, diagnostics })) => {
            let diags = diagnostics
                .iter()
                .map(|d| Reported {
                    line: file.line_col(d.primary.span.start).line,
                    level: if d.severity == Severity::Error { "error" } else { "warning" },
                    code: d.code.name().to_string(),
                    message: d.message.clone(),
                })
                .collect();
            Ok(Checked { rendered, diags })
        }
        Ok(Err(e)) => Err(format!("not a user error: {e}")),
    }
}

/// Compares markers with the diagnostics; returns the problems found.
fn compare_markers(markers: &[Marker], diags: &[Reported]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut unmatched: Vec<Option<&Reported>> = diags.iter().map(Some).collect();
    // Markers with a message first, so that a bare marker cannot take their diagnostic.
    let mut order: Vec<&Marker> = markers.iter().collect();
    order.sort_by_key(|m| m.message.is_none());
    for m in order {
        let found = unmatched.iter_mut().find(|slot| {
            slot.is_some_and(|d| {
                d.line == m.line && d.level == m.level && d.code == m.code && m.message.as_ref().is_none_or(|s| d.message.contains(s.as_str()))
            })
        });
        match found {
            Some(slot) => *slot = None,
            None => {
                let also: Vec<String> =
                    diags.iter().filter(|d| d.line == m.line).map(|d| format!("{} [{}] {}", d.level, d.code, d.message)).collect();
                let what = m.message.as_ref().map(|s| format!(" with a message containing \"{s}\"")).unwrap_or_default();
                problems.push(format!(
                    "line {}: expected {} [{}]{what}, found {}",
                    m.line,
                    m.level,
                    m.code,
                    if also.is_empty() { "nothing on that line".to_string() } else { also.join("; ") }
                ));
            }
        }
    }
    for d in unmatched.into_iter().flatten() {
        problems.push(format!("line {}: unexpected {} [{}] {} (no marker)", d.line, d.level, d.code, d.message));
    }
    problems
}

fn stderr_path(rel_path: &str) -> PathBuf {
    workspace_root().join(rel_path).with_extension("stderr")
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        let (el, al) = (e.get(i), a.get(i));
        if el != al {
            return format!("first difference at line {}:\n  expected: {:?}\n  actual:   {:?}", i + 1, el, al);
        }
    }
    "the texts differ only in line endings or a trailing newline".to_string()
}

#[test]
fn ui() {
    let bless = std::env::var_os("PYCC_BLESS").is_some_and(|v| v != "0");
    let files = ui_files();
    assert!(!files.is_empty(), "no ui tests found in {}", ui_dir().display());
    let mut failures = Vec::new();
    for rel in &files {
        let text = std::fs::read_to_string(workspace_root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
        let mut problems = Vec::new();
        let markers = match parse_markers(&text) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{rel}: bad marker: {e}"));
                continue;
            }
        };
        if markers.is_empty() {
            problems.push("no `# error: [code]` or `# warning: [code]` marker: every ui test must expect a diagnostic".to_string());
        }
        match check(rel, &text) {
            Err(e) => problems.push(e),
            Ok(checked) => {
                problems.extend(compare_markers(&markers, &checked.diags));
                let path = stderr_path(rel);
                if bless {
                    std::fs::write(&path, &checked.rendered).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
                } else {
                    match std::fs::read_to_string(&path) {
                        Err(_) => problems.push(format!(
                            "no {} yet; its content would be:\n{}\n(run `PYCC_BLESS=1 cargo test -p pycc-compiler --test ui` and review it)",
                            path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                            checked.rendered
                        )),
                        Ok(expected) if expected != checked.rendered => problems.push(format!(
                            "rendered diagnostics differ from {}\n{}\n--- actual ---\n{}--- end ---",
                            path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                            first_difference(&expected, &checked.rendered),
                            checked.rendered
                        )),
                        Ok(_) => {}
                    }
                }
            }
        }
        let xfail = text.lines().find_map(|l| l.trim_start().strip_prefix("# xfail:")).map(str::trim);
        match (xfail, problems.is_empty()) {
            (Some(_), false) => continue, // the known bug is still there
            (Some(reason), true) => {
                failures.push(format!("{rel}: passes, but is marked `# xfail: {reason}`; remove that line"));
                continue;
            }
            _ => {}
        }
        if !problems.is_empty() {
            let mut s = format!("{rel}:");
            for p in problems {
                let _ = write!(s, "\n  {}", p.replace('\n', "\n    "));
            }
            failures.push(s);
        }
    }
    assert!(failures.is_empty(), "{} of {} ui tests failed:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
}

#[test]
fn ui_markers_name_known_codes_and_every_code_is_tested() {
    let known: BTreeSet<&str> = Code::ALL.iter().map(|c| c.name()).collect();
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for rel in ui_files() {
        let text = std::fs::read_to_string(workspace_root().join(&rel)).expect("read ui file");
        match parse_markers(&text) {
            Err(e) => problems.push(format!("{rel}: bad marker: {e}")),
            Ok(markers) => {
                for m in markers {
                    if !known.contains(m.code.as_str()) {
                        problems.push(format!("{rel}:{}: unknown code `{}` (known: {})", m.line, m.code, known.iter().copied().collect::<Vec<_>>().join(", ")));
                    }
                    used.entry(m.code).or_default().push(rel.clone());
                }
            }
        }
    }
    for code in Code::ALL {
        if !used.contains_key(code.name()) {
            problems.push(format!("no ui test expects [{}]: add a file to tests/ui/", code.name()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ui_stems_are_unique_and_every_stderr_has_an_input() {
    let files = ui_files();
    let mut stems: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for rel in &files {
        stems.entry(stderr_path(rel)).or_default().push(rel.clone());
    }
    let clashes: Vec<String> = stems.values().filter(|v| v.len() > 1).map(|v| v.join(" and ")).collect();
    assert!(clashes.is_empty(), "these ui inputs would share one .stderr file: {}", clashes.join("; "));
    let mut orphans = Vec::new();
    let mut stack = vec![ui_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read ui dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "stderr") && !stems.contains_key(&path) {
                orphans.push(path.display().to_string());
            }
        }
    }
    assert!(orphans.is_empty(), ".stderr files without an input: {}", orphans.join(", "));
}

#[test]
fn every_rust_file_opens_with_a_module_doc_line() {
    let root = workspace_root();
    let mut missing = Vec::new();
    let mut count = 0;
    for dir in ["compiler/src", "runtime/src", "src"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for entry in entries {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    count += 1;
                    let text = std::fs::read_to_string(&path).expect("read .rs file");
                    if !text.starts_with("//!") {
                        missing.push(path.strip_prefix(&root).unwrap_or(&path).display().to_string());
                    }
                }
            }
        }
    }
    assert!(count > 0, "found no .rs files under {}", root.display());
    missing.sort();
    assert!(missing.is_empty(), "these files do not open with a `//!` line saying their stage and what they consume/produce:\n  {}", missing.join("\n  "));
}

#[test]
fn marker_parser() {
    let text = "a = 1  # error: [x]\n# error: [y] \"msg\" [z]\n# warning: [w]\nb = 2\n";
    let m = parse_markers(text).expect("parses");
    let mk = |line, level, code: &str, message: Option<&str>| Marker { line, level, code: code.into(), message: message.map(Into::into) };
    assert_eq!(m, vec![mk(1, "error", "x", None), mk(4, "error", "y", Some("msg")), mk(4, "error", "z", None), mk(4, "warning", "w", None)]);
    assert!(parse_markers("# error: [x]\n").is_err());
    assert!(parse_markers("a  # error: oops\n").is_err());
    let rep = |message: &str| Reported { line: 1, level: "error", code: "x".into(), message: message.into() };
    let diags = vec![rep("m1"), rep("m2")];
    let one = vec![mk(1, "error", "x", None)];
    assert_eq!(compare_markers(&one, &diags).len(), 1, "two errors need two markers");
    let two = vec![one[0].clone(), mk(1, "error", "x", Some("m2"))];
    assert!(compare_markers(&two, &diags).is_empty());
    let warn = vec![mk(1, "warning", "x", None), mk(1, "error", "x", None)];
    assert_eq!(compare_markers(&warn, &diags).len(), 2, "a warning marker does not match an error");
    let rendered = "t.py:3:5: warning: unknown directive `x`; it is ignored [invalid-directive]\n  |\n3 | x\n  | ^\n";
    let r = parse_rendered(rendered, "t.py");
    assert_eq!((r.len(), r[0].line, r[0].level, r[0].code.as_str()), (1, 3, "warning", "invalid-directive"));
}
