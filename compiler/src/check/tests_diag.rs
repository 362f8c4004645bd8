//! Check: tests of the diagnostics the checker reports, driven by small Python sources.
