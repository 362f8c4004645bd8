//! Syntax (`.pyx`): reads a C type written in Cython syntax (`unsigned long long`,
//! `const double[:, ::1]`, `cnp.float64_t`) from the token stream and gives its canonical
//! text, the spelling the checker matches after the `c:` prefix.

use super::lex::{is_name, name_of, Token};
use rustpython_parser::text_size::TextRange;
use rustpython_parser::Tok;

/// A C type read from tokens `start..end`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CType {
    /// Canonical text: words joined by single spaces, memoryview axes as `[:, ::1]`.
    pub text: String,
    /// The `.pyx` range of the type's tokens (without any `*`).
    pub range: TextRange,
    /// Index of the first token after the type (after any `*`).
    pub end: usize,
    /// The range of `*`/`**`/`&` after the type: a pointer or reference, which pycc does
    /// not support (the caller reports it).
    pub pointer: Option<TextRange>,
}

/// What is at a position where a type may be.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum TypeParse {
    /// No type: the caller reads a name (or an expression) there.
    None,
    Type(CType),
    /// A malformed type (`short long`): a syntax error.
    Invalid(TextRange, String),
    /// A type pycc does not support (`int[10]`, a buffer type): the message says which.
    Unsupported(TextRange, String),
}

/// How to decide whether an unknown identifier is a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TypeContext {
    /// Before a declarator (`cdef MyType x`, `def f(MyType x)`): an identifier that is not
    /// a C type word is a type only when a declarator name (or `*`) follows it.
    Declaration,
    /// Between the brackets of a cast: anything up to `>` or `?` is the type.
    Cast,
}

/// The C integer words, which combine (`unsigned long long`).
const INT_WORDS: &[&str] = &["unsigned", "signed", "short", "long", "char", "int"];

/// Single-word C types other than the integer words.
const SIMPLE_WORDS: &[&str] =
    &["float", "double", "bint", "Py_ssize_t", "size_t", "ssize_t", "Py_UCS4", "Py_UNICODE", "Py_hash_t", "object", "void"];

/// Is this identifier a C type word (`int`, `double`, `unsigned`, ...)?
pub(super) fn is_type_word(word: &str) -> bool {
    INT_WORDS.contains(&word) || SIMPLE_WORDS.contains(&word)
}

/// Reads a type at `start`.
pub(super) fn parse_type(toks: &[Token], start: usize, context: TypeContext) -> TypeParse {
    let tok = |i: usize| toks.get(i).map(|t| &t.0);
    let mut i = start;
    let mut text = String::new();
    if is_name(tok(i), "const") && name_of(tok(i + 1)).is_some() {
        text.push_str("const ");
        i += 1;
    }
    let Some(first) = name_of(tok(i)) else {
        return TypeParse::None;
    };
    let base_start = i;
    if INT_WORDS.contains(&first) {
        let mut counts = IntWords::default();
        while let Some(word) = name_of(tok(i)) {
            if !counts.add(word) {
                break;
            }
            i += 1;
        }
        // `long double` (and `long double complex`).
        if counts.is_single_long() && is_name(tok(i), "double") {
            text.push_str("long double");
            i += 1;
        } else {
            match counts.canonical() {
                Some(base) => text.push_str(&base),
                None => {
                    let words: Vec<&str> = (base_start..i).filter_map(|k| name_of(tok(k))).collect();
                    return TypeParse::Invalid(cover(toks, base_start, i), format!("invalid C type `{}`", words.join(" ")));
                }
            }
        }
    } else if SIMPLE_WORDS.contains(&first) {
        text.push_str(first);
        i += 1;
    } else {
        // A dotted identifier: `MyType`, `cnp.float64_t`.
        text.push_str(first);
        i += 1;
        while matches!(tok(i), Some(Tok::Dot)) {
            let Some(part) = name_of(tok(i + 1)) else { break };
            text.push('.');
            text.push_str(part);
            i += 2;
        }
    }
    if (text.ends_with("float") || text.ends_with("double")) && is_name(tok(i), "complex") {
        text.push_str(" complex");
        i += 1;
    }
    let known = is_type_word(first);
    // Memoryview brackets: `double[:]`, `int[:, ::1]`.
    if matches!(tok(i), Some(Tok::Lsqb)) {
        match memoryview_axes(toks, i) {
            Some((axes, after)) => {
                text.push('[');
                text.push_str(&axes.join(", "));
                text.push(']');
                i = after;
            }
            None => {
                let end = matching_bracket(toks, i).map(|c| c + 1).unwrap_or(i + 1);
                if context == TypeContext::Declaration && !known && name_of(tok(end)).is_none() {
                    // `x[0] = 1` is no type; `np.ndarray[double, ndim=2] a` is a buffer type.
                    return TypeParse::None;
                }
                let message = if known {
                    format!("C arrays (`{text}[...]`) are not supported; use a memoryview such as `{text}[:]`")
                } else {
                    format!("buffer types (`{text}[...]`) are not supported; use a typed memoryview such as `double[:]`")
                };
                return TypeParse::Unsupported(cover(toks, start, end), message);
            }
        }
    }
    let range = cover(toks, start, i);
    let mut pointer = None;
    while matches!(tok(i), Some(Tok::Star | Tok::DoubleStar | Tok::Amper)) {
        let r = toks[i].1;
        pointer = Some(pointer.map_or(r, |p: TextRange| p.cover(r)));
        i += 1;
    }
    if context == TypeContext::Declaration && !known {
        // An unknown identifier is a type only when a declarator follows.
        let declarator_follows = name_of(tok(i)).is_some() || pointer.is_some();
        if !declarator_follows {
            return TypeParse::None;
        }
    }
    TypeParse::Type(CType { text, range, end: i, pointer })
}

/// Reads `[:, ::1]` at `open` (an `Lsqb`). Returns the canonical axes and the index after `]`.
fn memoryview_axes(toks: &[Token], open: usize) -> Option<(Vec<&'static str>, usize)> {
    let tok = |i: usize| toks.get(i).map(|t| &t.0);
    let mut i = open + 1;
    let mut axes = Vec::new();
    loop {
        if !matches!(tok(i), Some(Tok::Colon)) {
            return None;
        }
        if matches!(tok(i + 1), Some(Tok::Colon)) {
            match tok(i + 2) {
                Some(Tok::Int { value }) if value.to_string() == "1" => {
                    axes.push("::1");
                    i += 3;
                }
                _ => return None,
            }
        } else {
            axes.push(":");
            i += 1;
        }
        match tok(i) {
            Some(Tok::Comma) => i += 1,
            Some(Tok::Rsqb) => return Some((axes, i + 1)),
            _ => return None,
        }
    }
}

/// The index of the bracket closing the one at `open`, on the same logical line.
pub(super) fn matching_bracket(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, (tok, _)) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Lpar | Tok::Lsqb | Tok::Lbrace => depth += 1,
            Tok::Rpar | Tok::Rsqb | Tok::Rbrace => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            Tok::Newline => return None,
            _ => {}
        }
    }
    None
}

/// The range covering tokens `start..end` (empty at the start if there are none).
pub(super) fn cover(toks: &[Token], start: usize, end: usize) -> TextRange {
    let Some(first) = toks.get(start) else {
        return toks.last().map(|t| TextRange::empty(t.1.end())).unwrap_or_default();
    };
    let mut range = TextRange::empty(first.1.start());
    for (_, r) in toks.iter().take(end).skip(start) {
        range = range.cover(*r);
    }
    range
}

/// The integer words of one type, counted.
#[derive(Default)]
struct IntWords {
    unsigned: u8,
    signed: u8,
    short: u8,
    long: u8,
    char: u8,
    int: u8,
}

impl IntWords {
    /// Counts a word; false when it is not an integer word (the type ends before it).
    fn add(&mut self, word: &str) -> bool {
        let slot = match word {
            "unsigned" => &mut self.unsigned,
            "signed" => &mut self.signed,
            "short" => &mut self.short,
            "long" => &mut self.long,
            "char" => &mut self.char,
            "int" => &mut self.int,
            _ => return false,
        };
        *slot = slot.saturating_add(1);
        true
    }

    fn is_single_long(&self) -> bool {
        self.long == 1 && self.unsigned + self.signed + self.short + self.char + self.int == 0
    }

    /// `unsigned` → `unsigned int`, `long int` → `long`, `signed short` → `short`,
    /// `signed char` stays (a distinct C type).
    fn canonical(&self) -> Option<String> {
        let invalid = self.unsigned + self.signed > 1
            || self.short > 1
            || self.long > 2
            || self.char > 1
            || self.int > 1
            || (self.char == 1 && self.short + self.long + self.int > 0)
            || (self.short == 1 && self.long > 0);
        if invalid {
            return None;
        }
        let base = if self.char == 1 {
            "char"
        } else if self.short == 1 {
            "short"
        } else if self.long == 2 {
            "long long"
        } else if self.long == 1 {
            "long"
        } else {
            "int"
        };
        Some(if self.unsigned == 1 {
            format!("unsigned {base}")
        } else if self.signed == 1 && base == "char" {
            "signed char".to_string()
        } else {
            base.to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustpython_parser::{lexer::lex, Mode};

    fn read(src: &str, context: TypeContext) -> TypeParse {
        let toks: Vec<Token> = lex(src, Mode::Module).map(|t| t.expect("lexes")).collect();
        parse_type(&toks, 0, context)
    }

    fn text(src: &str) -> String {
        match read(src, TypeContext::Declaration) {
            TypeParse::Type(t) => t.text,
            other => panic!("{src}: {other:?}"),
        }
    }

    #[test]
    fn integer_words_are_canonicalised() {
        assert_eq!(text("unsigned long long x"), "unsigned long long");
        assert_eq!(text("unsigned x"), "unsigned int");
        assert_eq!(text("long int x"), "long");
        assert_eq!(text("signed short x"), "short");
        assert_eq!(text("signed char x"), "signed char");
        assert_eq!(text("unsigned char c"), "unsigned char");
        assert_eq!(text("long double x"), "long double");
        assert_eq!(text("long long x"), "long long");
        assert_eq!(text("Py_ssize_t i"), "Py_ssize_t");
        assert_eq!(text("double complex z"), "double complex");
    }

    #[test]
    fn memoryviews_are_normalised() {
        assert_eq!(text("double[:] a"), "double[:]");
        assert_eq!(text("double[:,::1] a"), "double[:, ::1]");
        assert_eq!(text("double [ : , : ] a"), "double[:, :]");
        assert_eq!(text("double[::1] a"), "double[::1]");
        assert_eq!(text("const double[:] a"), "const double[:]");
        assert_eq!(text("cnp.float64_t[:, :] a"), "cnp.float64_t[:, :]");
    }

    #[test]
    fn unknown_identifier_is_a_type_only_before_a_declarator() {
        assert_eq!(text("MyType x"), "MyType");
        assert_eq!(read("x = 1", TypeContext::Declaration), TypeParse::None);
        assert_eq!(read("x, y", TypeContext::Declaration), TypeParse::None);
        assert!(matches!(read("MyType>x", TypeContext::Cast), TypeParse::Type(t) if t.text == "MyType"));
    }

    #[test]
    fn pointers_arrays_and_bad_words_are_reported() {
        match read("int *p", TypeContext::Declaration) {
            TypeParse::Type(t) => assert!(t.pointer.is_some() && t.text == "int"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(read("int[10] a", TypeContext::Declaration), TypeParse::Unsupported(..)));
        assert!(matches!(read("short long x", TypeContext::Declaration), TypeParse::Invalid(..)));
        assert!(matches!(read("unsigned signed x", TypeContext::Declaration), TypeParse::Invalid(..)));
    }
}
