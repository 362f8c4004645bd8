"""The exceptions pycc raises when it compiles (the run-time ones are Python's own)."""


class CompileError(Exception):
    """The source has errors.

    `str(e)` is the rendered diagnostics, one per problem, each starting with
    `file:line:col: error[code]: message` and followed by the source line and a caret;
    `e.diagnostics` holds the same text (with its trailing newline).
    """

    def __init__(self, message, diagnostics=None):
        super().__init__(message)
        self.diagnostics = message if diagnostics is None else diagnostics


class InternalCompilerError(RuntimeError):
    """A bug in pycc, never a problem in your code: please report it with the source."""
