//! Robustness of the `.pyx` front end: hundreds of mutated and truncated variants of a
//! realistic file go through `parse_pyx` and `translate_to_python`; none may panic, every
//! diagnostic span must lie in the text, and every translation must be Python with the
//! `.pyx` line count.

use super::{parse_pyx, translate_to_python};
use crate::source::{SourceFile, SourceKind};
use rustpython_parser::lexer::lex;
use rustpython_parser::Mode;
use std::panic::{catch_unwind, AssertUnwindSafe};

const REALISTIC: &str = r#"# cython: boundscheck=False, wraparound=False
# cython: cdivision=True
cimport cython
cimport numpy as cnp
from libc.math cimport sqrt, exp, M_PI
from libc.stdlib cimport abs as c_abs

cdef double GRAVITY = 9.81

@cython.boundscheck(False)
cdef inline double sq(double x) nogil:
    return x * x

cdef int clamp(int v, int lo=0, int hi=255) except? -1:
    if v < lo:
        return lo
    elif v > hi:
        return hi
    return v

cpdef double energy(double[:, ::1] pos, const double[:] mass, Py_ssize_t n) except *:
    cdef:
        Py_ssize_t i, j
        double e = 0.0, d
        unsigned long long count = 0
    for i from 0 <= i < n:
        for j from i < j < n by 1:
            d = sqrt(sq(pos[i, 0] - pos[j, 0]) + sq(pos[i, 1] - pos[j, 1]))
            if d > 0:
                e -= mass[i] * mass[j] / d
                count += 1
    with nogil:
        e += <double>count * 0.0
    return e + <double><int>GRAVITY

def histogram(double[:] xs not None, int bins=10, scale: float = 1.0, *args, **kw):
    cdef int k
    cdef long total = 0, idx
    counts = [0] * bins
    for k in range(xs.shape[0]):
        idx = <long>(xs[k] * bins * scale)
        idx = clamp(<int>idx, 0, bins - 1)
        counts[idx] += 1
        total += 1
    for k from bins > k >= 0 by 2:
        counts[k] = counts[k] if counts[k] < total else total
    return counts, f"{total!r:>5}", [<bint>c for c in counts], <object>xs

class Plain:
    """A docstring with <double> and cdef inside."""
    def method(self, a, b=-1):
        return a < b > 0, a < <int>b, exp(-a * M_PI)
"#;

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Byte ranges of the tokens of the unmutated file.
fn token_ranges() -> Vec<(usize, usize)> {
    let text = REALISTIC.replace('?', " ");
    lex(&text, Mode::Module)
        .filter_map(Result::ok)
        .map(|(_, r)| (usize::from(r.start()), usize::from(r.end())))
        .filter(|(s, e)| e > s)
        .collect()
}

fn char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

const INSERTS: &[&str] =
    &["<", ">", "?", "<double>", "cdef ", "cpdef ", "(", ")", "[", "]", ":", "\n", "    ", "int ", "*", "&", " by ", " from ", "except ", "nogil", ",", "=", "'", "\"\"\"", "\\\n", "cimport ", "\t"];

fn mutate(rng: &mut Rng, tokens: &[(usize, usize)]) -> String {
    let mut text = REALISTIC.to_string();
    let edits = 1 + rng.below(4);
    for _ in 0..edits {
        let (s, e) = tokens[rng.below(tokens.len())];
        let (s, e) = (char_boundary(&text, s), char_boundary(&text, e));
        match rng.below(6) {
            0 => text.replace_range(s..e, ""),
            1 => {
                let copy = text[s..e].to_string();
                text.insert_str(e, &copy);
            }
            2 => {
                let (s2, e2) = tokens[rng.below(tokens.len())];
                let (s2, e2) = (char_boundary(&text, s2), char_boundary(&text, e2));
                let other = text[s2.min(e2)..e2].to_string();
                text.replace_range(s..e, &other);
            }
            3 => text.insert_str(s, INSERTS[rng.below(INSERTS.len())]),
            4 => {
                let cut = char_boundary(&text, rng.below(text.len() + 1));
                text.truncate(cut);
            }
            _ => {
                let start = char_boundary(&text, s);
                let end = char_boundary(&text, (start + rng.below(40)).min(text.len()));
                text.replace_range(start..end, "");
            }
        }
    }
    text
}

/// Checks one input; returns a description of what went wrong.
fn check(text: &str) -> Result<(), String> {
    let file = SourceFile::new("fuzz.pyx", text, SourceKind::Pyx);
    let parsed = catch_unwind(AssertUnwindSafe(|| parse_pyx(&file))).map_err(|_| "parse_pyx panicked".to_string())?;
    let (module, diags) = parsed;
    if module.is_none() && diags.is_empty() {
        return Err("no module and no diagnostic".to_string());
    }
    for d in &diags {
        let span = d.primary.span;
        if span.start > span.end || span.end as usize > text.len() + 1 {
            return Err(format!("diagnostic span out of the text: {d:?}"));
        }
    }
    let translated = catch_unwind(AssertUnwindSafe(|| translate_to_python(&file))).map_err(|_| "translate_to_python panicked".to_string())?;
    if let Ok(out) = translated {
        if out.matches('\n').count() != text.matches('\n').count() {
            return Err(format!("translation changed the line count:\n{out}"));
        }
        if let Err(e) = rustpython_parser::parse(&out, Mode::Module, "translated.py") {
            return Err(format!("translation is not Python ({e}):\n{out}"));
        }
    }
    Ok(())
}

#[test]
fn realistic_file_is_clean() {
    let file = SourceFile::new("real.pyx", REALISTIC, SourceKind::Pyx);
    let (module, diags) = parse_pyx(&file);
    assert!(diags.is_empty(), "{diags:#?}");
    let module = module.expect("parses");
    assert_eq!(module.cython.functions.len(), 3);
    assert_eq!(module.cython.cimports.len(), 4);
    assert_eq!(module.cython.directives.len(), 3);
    check(REALISTIC).expect("clean");
}

#[test]
fn mutated_input_never_panics() {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let tokens = token_ranges();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut failures = Vec::new();
    for round in 0..600 {
        let text = mutate(&mut rng, &tokens);
        if let Err(problem) = check(&text) {
            failures.push(format!("round {round}: {problem}\n--- input ---\n{text}"));
        }
    }
    // Every prefix cut at a line end, and a few inside lines.
    for cut in (0..REALISTIC.len()).step_by(7) {
        let text = &REALISTIC[..char_boundary(REALISTIC, cut)];
        if let Err(problem) = check(text) {
            failures.push(format!("cut {cut}: {problem}\n--- input ---\n{text}"));
        }
    }
    std::panic::set_hook(previous_hook);
    assert!(failures.is_empty(), "{} failures; first:\n{}", failures.len(), failures[0]);
}

#[test]
fn deep_nesting_does_not_overflow() {
    for text in [
        format!("x = {}1{}\n", "<double>".repeat(2000), ""),
        format!("x = {}1{}\n", "(".repeat(500), ")".repeat(500)),
        format!("x = 1{}\n", " ** 2".repeat(2000)),
        format!("x = <double>1{}\n", " ** 2".repeat(2000)),
        format!("x = 1{}\n", " + <int>2".repeat(5000)),
        format!("x = {}y\n", "-".repeat(5000)),
    ] {
        check(&text).expect("no panic");
    }
}

