//! Check: tests of the TIR the checker produces, driven by small Python sources.
