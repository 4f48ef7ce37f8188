//! F: files that cannot be read as submissions.
pub mod f001_unreadable;
pub mod f002_over_limit;
pub mod f003_no_sheet;
pub mod f004_windows_1252;
pub mod f005_link_out;
