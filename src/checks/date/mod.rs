//! D: dates of a convention, against each other and the convention period.
pub mod d001_end_before_start;
pub mod d002_outside_period;
pub mod d003_partly_outside;
pub mod d004_status_dates;
pub mod d005_signed_after_start;
