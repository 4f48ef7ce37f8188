//! Renderers over the report model: each reads `figures::Report` and nothing else.
pub mod french;
pub mod pdf;
