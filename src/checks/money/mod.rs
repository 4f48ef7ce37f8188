//! M: amounts of a convention.
pub mod m001_parts_exceed_total;
pub mod m002_above_ceiling;
pub mod m003_unsigned_above_threshold;
