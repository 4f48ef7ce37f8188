//! The figures of the report (DESIGN §6), computed once into one model that every renderer reads.
pub mod period;
