//! Value parsers for raw sales-log cells: currency, dates and identifiers. Each parses one value
//! on its own (a column may mix formats), and says `None` rather than guessing.

mod date;
mod number;
mod text;

pub use date::*;
pub use number::*;
pub use text::*;

#[cfg(test)]
mod tests;
