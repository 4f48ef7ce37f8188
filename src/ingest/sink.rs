//! Where the rows of a sheet go as they are read (ripgrep's `Sink` is the model): a reader
//! types each row, gathers rows into chunks, and hands every chunk of full rows to the sink
//! before it keeps only their small cores. The command that reads decides what a sink does
//! (run the row checks, nothing at all); ingest knows nothing of checks.

use crate::model::{RowChunk, SheetAt};

pub trait RowSink: Sync {
    /// Takes one chunk of full rows of `sheet`; called for every chunk, in the order of the
    /// sheet's rows, from the thread reading the file (files are read in parallel).
    fn chunk(&self, sheet: SheetAt, rows: &RowChunk);
}

/// Reads only.
impl RowSink for () {
    fn chunk(&self, _: SheetAt, _: &RowChunk) {}
}
