//! S: the shape of a sheet — its header row and columns, and what officers put in a table
//! besides its records (merged cells, total rows, hidden rows, notes).
pub mod s001_missing_column;
pub mod s002_unknown_column;
pub mod s003_duplicate_column;
pub mod s004_empty_sheet;
pub mod s005_merged_range;
pub mod s006_total_row;
pub mod s007_total_mismatch;
pub mod s008_hidden_rows;
pub mod s009_note_under_table;
pub mod s010_unread_table;

use crate::checks::Diagnostic;
use crate::diagnostic::column_letters;
use crate::model::{DataSet, Origin, SheetId};

/// A cell named by its reference only: a total's label or a note may stand in any column.
fn at_cell_ref(d: Diagnostic, ds: &DataSet, sheet: SheetId, row: u32, col: u16) -> Diagnostic {
    let mut d = d.at_row(ds, Origin { sheet, row });
    d.cell = Some(format!("{}{row}", column_letters(col)));
    d.col_index = Some(col);
    d
}
