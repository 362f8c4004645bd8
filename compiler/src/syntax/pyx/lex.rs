//! Syntax (`.pyx`), step 1: Cython text → rustpython tokens with their `.pyx` ranges.
//!
//! Cython source lexes as Python except for `?` (in `except? -1` and `<T?>x`), which the
//! Python lexer rejects. Every `?` is blanked before lexing (one pass); afterwards a `?`
//! that was inside a string gets its character back in the string's value, one inside a
//! comment is ignored, and each one in code becomes a `Name("?")` token for the rewriter.

use crate::diagnostics::Diagnostic;
use rustpython_parser::lexer::lex;
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::{Mode, ParseError, ParseErrorType, Tok};

/// A token and the `.pyx` byte range it was read from (or, for a synthetic token, the
/// range of the Cython text it stands for).
pub(super) type Token = (Tok, TextRange);

/// The stand-in for a `?` character.
pub(super) const QMARK: &str = "?";

/// Lexes a `.pyx` text. A lexical error (an unterminated string, a stray `$`) is a
/// `syntax-error` diagnostic at the offending character.
pub(super) fn lex_pyx(text: &str, path: &str) -> Result<Vec<Token>, Diagnostic> {
    let qmarks: Vec<usize> = text.match_indices('?').map(|(at, _)| at).collect();
    let blanked;
    let source = if qmarks.is_empty() {
        text
    } else {
        blanked = text.replace('?', " ");
        blanked.as_str()
    };
    let mut tokens = Vec::new();
    for item in lex(source, Mode::Module) {
        match item {
            Ok(token) => tokens.push(token),
            Err(err) => {
                let e = ParseError { error: ParseErrorType::Lexical(err.error), offset: err.location, source_path: path.to_string() };
                return Err(super::super::parse_error_diagnostic(text, &e));
            }
        }
    }
    if qmarks.is_empty() {
        return Ok(tokens);
    }
    let mut in_code = Vec::new();
    for q in qmarks {
        let at = TextSize::try_from(q).unwrap_or_default();
        let holder = tokens.partition_point(|t| t.1.start() <= at).checked_sub(1);
        match holder {
            Some(k) if at < tokens[k].1.end() => restore_in_string(text, &mut tokens[k]),
            _ => {
                let gap_start = holder.map_or(0, |k| usize::from(tokens[k].1.end()));
                let gap = text.get(gap_start..q).unwrap_or("");
                let line = gap.rsplit('\n').next().unwrap_or(gap);
                if !line.contains('#') {
                    in_code.push(at);
                }
            }
        }
    }
    Ok(insert_qmarks(tokens, &in_code))
}

/// Puts the original characters back into a string token's value (the blanking replaced
/// each `?` by a space of the same length, so the value sits at the same offsets).
fn restore_in_string(text: &str, token: &mut Token) {
    let range = token.1;
    if let Tok::String { value, triple_quoted, .. } = &mut token.0 {
        let quote = if *triple_quoted { 3 } else { 1 };
        let end = usize::from(range.end()).saturating_sub(quote);
        let start = end.saturating_sub(value.len());
        if let Some(original) = text.get(start..end) {
            *value = original.to_string();
        }
    }
}

/// Puts a `Name("?")` token at each offset, keeping the tokens in text order.
fn insert_qmarks(tokens: Vec<Token>, qmarks: &[TextSize]) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len() + qmarks.len());
    let mut next = qmarks.iter().copied().peekable();
    for token in tokens {
        while let Some(&q) = next.peek() {
            if q >= token.1.start() {
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

fn qmark_token(at: TextSize) -> Token {
    (Tok::Name { name: QMARK.to_string() }, TextRange::at(at, TextSize::from(1)))
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
