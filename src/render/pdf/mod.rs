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
pub mod report;
pub mod table;
pub mod wrap;

#[cfg(test)]
mod tests;

pub use chart::{Bar, BarChart};
pub use layout::{KeyFigure, PdfDocumentBuilder, PdfError};
pub use table::{Align, Column, Table};
