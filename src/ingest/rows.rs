//! Whole rows, as the ODS reader and the isolated xls reader give them (a row's cells at their
//! columns, maybe repeated), checked against the limits and handed to the sheet builder.

use super::cell::Cell;
use super::limits::{Deadline, Limits, MAX_EXCEL_COLUMNS, MAX_EXCEL_ROWS, Refusal};
use super::sheet::{SheetBuilder, SheetOutput};

/// The limits of one file, across its sheets: its cells, its time.
pub struct FileBudget<'l> {
    pub limits: &'l Limits,
    pub deadline: Deadline,
    /// Cells holding something, read so far in the file (repeated cells counted as many times).
    cells: u64,
}

impl<'l> FileBudget<'l> {
    pub fn new(limits: &'l Limits, deadline: Deadline) -> Self {
        FileBudget {
            limits,
            deadline,
            cells: 0,
        }
    }

    /// Counts `n` more cells that hold something.
    pub fn cells(&mut self, n: u64) -> Result<(), Refusal> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > self.limits.max_cells {
            return Err(Refusal::OverLimit(format!(
                "plus de {} cellules (option --max-cellules)",
                self.limits.max_cells
            )));
        }
        Ok(())
    }

    /// A cell at 0-based (`row`, `col`) past Excel's grid is a crafted file.
    pub fn in_grid(row: u64, col: u64) -> Result<(), Refusal> {
        if row >= MAX_EXCEL_ROWS as u64 || col >= MAX_EXCEL_COLUMNS as u64 {
            return Err(Refusal::OverLimit(format!(
                "cellule hors de la grille d'Excel (ligne {}, colonne {})",
                row + 1,
                col + 1
            )));
        }
        Ok(())
    }

    /// A text of `chars` characters in a cell of the 0-based `row`.
    pub fn cell_chars(&self, chars: usize, row: u64) -> Result<(), Refusal> {
        if chars > self.limits.max_cell_chars {
            return Err(Refusal::OverLimit(format!(
                "une cellule de la ligne {} dépasse {} caractères",
                row + 1,
                self.limits.max_cell_chars
            )));
        }
        Ok(())
    }
}

/// One sheet being read row by row.
pub struct SheetRows<'s> {
    builder: SheetBuilder<'s>,
    /// The builder wants no more rows (no header in the first rows).
    done: bool,
}

impl<'s> SheetRows<'s> {
    pub fn new(builder: SheetBuilder<'s>) -> Self {
        SheetRows {
            builder,
            done: false,
        }
    }

    /// Whether rows are still wanted.
    pub fn wants_rows(&self) -> bool {
        !self.done
    }

    pub fn builder(&mut self) -> &mut SheetBuilder<'s> {
        &mut self.builder
    }

    /// Takes the row at 0-based index `row`, `repeat` times (rows `row`, `row + 1`, …): `cells`
    /// at their columns, `filled` of them holding something (counted in the budget once
    /// already, as they were read; each repeat counts them again as it is expanded). A blank
    /// row is only skipped. `hidden`: the workbook hides the row. `false` when the sheet wants
    /// no more rows.
    pub fn push(
        &mut self,
        budget: &mut FileBudget,
        row: u64,
        cells: &[Cell],
        filled: u64,
        repeat: u64,
        hidden: bool,
    ) -> Result<bool, Refusal> {
        if self.done {
            return Ok(false);
        }
        if filled == 0 || repeat == 0 {
            return Ok(true);
        }
        for r in row..row.saturating_add(repeat) {
            FileBudget::in_grid(r, 0)?;
            budget.deadline.check()?;
            if !self.builder.wants_rows() {
                self.done = true;
                return Ok(false);
            }
            if r > row {
                budget.cells(filled)?;
            }
            if self.builder.data_rows() >= budget.limits.max_rows {
                return Err(Refusal::OverLimit(format!(
                    "plus de {} lignes (option --max-lignes)",
                    budget.limits.max_rows
                )));
            }
            // Below the grid's rows, so within u32.
            if hidden {
                self.builder.hidden_row(r as u32 + 1);
            }
            self.builder.push_row(r as u32 + 1, cells);
        }
        Ok(true)
    }

    pub fn finish(self) -> SheetOutput {
        self.builder.finish()
    }
}
