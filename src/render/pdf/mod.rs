//! The PDF partnership report (DESIGN §8): a small layout layer over printpdf 0.12.
//!
//! - [`font`]: the embedded fonts and string widths;
//! - [`wrap`]: line breaking by glyph widths;
//! - [`canvas`]: drawing primitives over printpdf's operations;
//! - [`layout`]: the document builder (pages, headings, paragraphs, key figures, notes);
//! - [`table`] and [`chart`]: tables that break across pages, horizontal bar charts.
pub mod canvas;
pub mod chart;
pub mod font;
pub mod layout;
pub mod table;
pub mod wrap;

#[cfg(test)]
mod tests;

// The API for the report renderer (and examples/pdf_demo.rs), unused by the binary so far.
#[allow(unused_imports)]
pub use chart::{Bar, BarChart};
#[allow(unused_imports)]
pub use layout::{KeyFigure, PdfDocumentBuilder};
#[allow(unused_imports)]
pub use table::{Align, Column, Table};
