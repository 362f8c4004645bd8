//! Diagnostics: user errors found by any stage, as data. Rendering lives in `render.rs`.
//!
//! Stages return `(T, Vec<Diagnostic>)` and never stop at the first error; only the driver
//! decides to abort. Compiler bugs are not diagnostics: they are [`crate::InternalError`].

mod render;

pub use render::render;

use crate::source::Span;

/// The stable name of a kind of diagnostic (kebab-case in output, as ruff/ty do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// The text does not parse (Python syntax, or a malformed Cython form).
    SyntaxError,
    /// Valid Python or Cython that pycc does not compile (classes, strings, lists, try, ...).
    UnsupportedSyntax,
    /// A type name that is neither a C type nor a Python/Cython one pycc knows.
    UnknownType,
    /// A name with no binding in the function or the module.
    UndefinedName,
    /// A call to a global that pycc does not compile (a plain Python function, say).
    /// An import of a module or name pycc does not know.
    UnknownImport,
    /// A value whose type does not fit where it is used (assignment, return, argument).
    InvalidAssignment,
    /// An operator or builtin applied to operands of the wrong kind.
    InvalidOperand,
    /// A call with too many or too few arguments, or an unknown keyword.
    WrongArgumentCount,
    /// A cast between types that cannot be converted.
    InvalidCast,
    /// A typed function whose end can be reached without a `return`.
    MissingReturn,
    /// `break`/`continue` outside a loop, `return` with a value in a void function, ...
    InvalidControlFlow,
    /// A `# cython:` directive or decorator option pycc does not know, or a bad value.
    InvalidDirective,
    /// A name declared twice with different types, or a duplicate function or parameter.
    Redefinition,
    /// Statements or expressions nested deeper than the compiler's limit (`syntax/depth.rs`).
    TooDeeplyNested,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::SyntaxError,
        Code::UnsupportedSyntax,
        Code::UnknownType,
        Code::UndefinedName,
        Code::UnknownImport,
        Code::InvalidAssignment,
        Code::InvalidOperand,
        Code::WrongArgumentCount,
        Code::InvalidCast,
        Code::MissingReturn,
        Code::InvalidControlFlow,
        Code::InvalidDirective,
        Code::Redefinition,
        Code::TooDeeplyNested,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Code::SyntaxError => "syntax-error",
            Code::UnsupportedSyntax => "unsupported-syntax",
            Code::UnknownType => "unknown-type",
            Code::UndefinedName => "undefined-name",
            Code::UnknownImport => "unknown-import",
            Code::InvalidAssignment => "invalid-assignment",
            Code::InvalidOperand => "invalid-operand",
            Code::WrongArgumentCount => "wrong-argument-count",
            Code::InvalidCast => "invalid-cast",
            Code::MissingReturn => "missing-return",
            Code::InvalidControlFlow => "invalid-control-flow",
            Code::InvalidDirective => "invalid-directive",
            Code::Redefinition => "redefinition",
            Code::TooDeeplyNested => "too-deeply-nested",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A span with an optional message drawn under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem in the user's source. Messages are lowercase, without a trailing period,
/// with names in backticks: expected `int`, found `double`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label { span, message: String::new() },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, span, message) }
    }

    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
