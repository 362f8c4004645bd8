//! The stable text form of the TIR (`pycc build --emit tir`, golden `.tir` files).

use super::Module;
use std::fmt;

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "module {}", self.name)
    }
}
