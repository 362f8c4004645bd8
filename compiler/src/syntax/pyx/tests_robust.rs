//! Robustness tests of the `.pyx` front end: mutated input never panics.
