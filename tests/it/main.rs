//! The integration tests, as one test binary: each top-level `tests/*.rs` would be a binary of
//! its own, linking the whole crate again. Cargo builds this folder as the single target `it`
//! (`cargo test --test it`); add a test file here as a module, not as `tests/<name>.rs`.
//! Fixtures are in `tests/fixtures/`.

// Helpers.
mod common;
mod office;
mod pdf_tools;

// Tests.
mod annotate;
mod bounds;
mod diff;
mod formats;
mod hostile;
mod kill;
mod pdf;
mod report;
mod shapes;
mod synthese;
mod template;
mod trust;
mod validate;
mod xlsx;
