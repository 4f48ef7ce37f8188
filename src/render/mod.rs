//! Renderers over the report model: each reads `figures::Report` and nothing else.
pub mod changes;
pub mod csv;
pub mod diagnostics;
pub mod pdf;
pub mod summaries;
pub mod synthese;
pub mod texts;
