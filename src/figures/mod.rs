//! The figures of the report (DESIGN §6), computed once into one model that every renderer reads.
pub mod compute;
pub mod contribution;
pub mod evolution;
pub mod model;
pub mod period;

pub use model::{Report, Scope};
