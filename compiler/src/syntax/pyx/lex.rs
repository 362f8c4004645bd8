//! Syntax (`.pyx`), step 1: Cython text → rustpython tokens with their `.pyx` ranges.
//!
//! Cython source lexes as Python except for `?` (in `except? -1` and `<T?>x`), which the
//! Python lexer rejects: each such `?` is blanked, the text lexed again, and a `Name("?")`
//! token put back in its place, for the rewriter to consume.

use crate::diagnostics::Diagnostic;
use rustpython_parser::lexer::{lex, LexicalErrorType};
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::{Mode, ParseError, ParseErrorType, Tok};

/// A token and the `.pyx` byte range it was read from (or, for a synthetic token, the
/// range of the Cython text it stands for).
pub(super) type Token = (Tok, TextRange);

/// The stand-in for a `?` character.
pub(super) const QMARK: &str = "?";

/// More `?` characters than this in one file is not Cython; stop re-lexing.
const MAX_QMARKS: usize = 4096;

/// Lexes a `.pyx` text. A lexical error (an unterminated string, a stray `$`) is a
/// `syntax-error` diagnostic at the offending character.
pub(super) fn lex_pyx(text: &str, path: &str) -> Result<Vec<Token>, Diagnostic> {
    let mut qmarks: Vec<u32> = Vec::new();
    let mut patched: Option<String> = None;
    loop {
        let source = patched.as_deref().unwrap_or(text);
        let mut tokens = Vec::new();
        let mut failure = None;
        for item in lex(source, Mode::Module) {
            match item {
                Ok(token) => tokens.push(token),
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        let Some(err) = failure else {
            return Ok(insert_qmarks(tokens, &qmarks));
        };
        let location: u32 = err.location.into();
        if let LexicalErrorType::UnrecognizedToken { tok } = err.error {
            let start = location.saturating_sub(tok.len_utf8() as u32);
            if tok == '?' && qmarks.len() < MAX_QMARKS && source.as_bytes().get(start as usize) == Some(&b'?') {
                qmarks.push(start);
                let blanked = patched.get_or_insert_with(|| text.to_string());
                blanked.replace_range(start as usize..start as usize + 1, " ");
                continue;
            }
            let e = ParseError { error: ParseErrorType::Lexical(err.error), offset: TextSize::from(start), source_path: path.to_string() };
            return Err(super::super::parse_error_diagnostic(&e));
        }
        let e = ParseError { error: ParseErrorType::Lexical(err.error), offset: err.location, source_path: path.to_string() };
        return Err(super::super::parse_error_diagnostic(&e));
    }
}

/// Puts a `Name("?")` token at each blanked offset, keeping the tokens in text order.
fn insert_qmarks(tokens: Vec<Token>, qmarks: &[u32]) -> Vec<Token> {
    if qmarks.is_empty() {
        return tokens;
    }
    let mut sorted = qmarks.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::with_capacity(tokens.len() + sorted.len());
    let mut next = sorted.into_iter().peekable();
    for token in tokens {
        while let Some(&q) = next.peek() {
            if q >= u32::from(token.1.start()) {
                break;
            }
            out.push(qmark_token(q));
            next.next();
        }
        out.push(token);
    }
    out.extend(next.map(qmark_token));
    out
}

fn qmark_token(at: u32) -> Token {
    (Tok::Name { name: QMARK.to_string() }, TextRange::at(TextSize::from(at), TextSize::from(1)))
}

/// Is this a name token with exactly this text?
pub(super) fn is_name(tok: Option<&Tok>, word: &str) -> bool {
    matches!(tok, Some(Tok::Name { name }) if name == word)
}

/// The identifier of a name token.
pub(super) fn name_of(tok: Option<&Tok>) -> Option<&str> {
    match tok {
        Some(Tok::Name { name }) if name != QMARK => Some(name.as_str()),
        _ => None,
    }
}

/// `<`, `<=`, `>`, `>=`: the comparisons of a `for ... from` loop.
pub(super) fn is_relational(tok: Option<&Tok>) -> bool {
    matches!(tok, Some(Tok::Less | Tok::LessEqual | Tok::Greater | Tok::GreaterEqual))
}

/// Can an expression start right after this token? Decides whether `<` opens a cast
/// (`x = <double>y`) or compares (`a < b`).
pub(super) fn expression_may_follow(prev: Option<&Tok>) -> bool {
    use Tok::*;
    match prev {
        Option::None => true,
        Some(tok) => matches!(
            tok,
            Newline
                | Indent
                | Dedent
                | Lpar
                | Lsqb
                | Lbrace
                | Comma
                | Colon
                | Semi
                | Equal
                | Plus
                | Minus
                | Star
                | Slash
                | DoubleSlash
                | Percent
                | DoubleStar
                | Vbar
                | Amper
                | CircumFlex
                | Tilde
                | LeftShift
                | RightShift
                | Less
                | Greater
                | LessEqual
                | GreaterEqual
                | EqEqual
                | NotEqual
                | At
                | Rarrow
                | ColonEqual
                | PlusEqual
                | MinusEqual
                | StarEqual
                | SlashEqual
                | DoubleSlashEqual
                | PercentEqual
                | DoubleStarEqual
                | AmperEqual
                | VbarEqual
                | CircumflexEqual
                | LeftShiftEqual
                | RightShiftEqual
                | AtEqual
                | Return
                | Yield
                | In
                | Not
                | And
                | Or
                | If
                | Elif
                | Else
                | While
                | Assert
                | Await
                | Is
                | Del
                | Raise
                | From
                | Lambda
        ),
    }
}

/// A short, user-facing spelling of a token for messages.
pub(super) fn describe(tok: Option<&Tok>) -> String {
    match tok {
        None | Some(Tok::EndOfFile) => "end of file".to_string(),
        Some(Tok::Newline) => "end of line".to_string(),
        Some(Tok::Indent) => "indent".to_string(),
        Some(Tok::Dedent) => "dedent".to_string(),
        Some(Tok::Name { name }) => format!("`{name}`"),
        Some(other) => format!("`{}`", other.to_string().trim_matches('\'')),
    }
}
