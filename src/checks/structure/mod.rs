//! S: the shape of a sheet — its header row and columns.
pub mod s001_missing_column;
pub mod s002_unknown_column;
pub mod s003_duplicate_column;
pub mod s004_empty_sheet;
