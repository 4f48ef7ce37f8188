//! Turns the rows of one sheet into records: finds the header row below any title rows,
//! maps the columns, then types each data row as it arrives and runs the row checks on
//! chunks of rows, keeping only each row's small core: a million rows stream through.

use super::RowSink;
use super::cell::{Cell, ReadContext};
use super::columns::{known_headers, match_header};
use super::limits::Deadline;
use super::typing::{self, RowReader};
use crate::model::schema;
use crate::model::{
    ConventionCore, ConventionLinks, ConventionTexts, HeaderCell, IndicatorValue, MergedRange,
    Origin, PartnerCore, Referential, RowChunk, SheetAt, SheetId, SheetKind,
};

/// The header is looked for among the first rows that hold something (DESIGN §3).
const HEADER_SEARCH_ROWS: usize = 10;

/// Rows typed before their checks run: large enough to spread the rules over the cores,
/// small enough that the full rows of a chunk weigh a few megabytes.
const CHUNK_ROWS: usize = 4096;

/// What a sheet's rows go through as they are read.
#[derive(Clone, Copy)]
pub struct Streaming<'s> {
    /// The file as messages name it.
    pub file: &'s str,
    /// The file's place among the files read (the first part of its sheets' ids).
    pub file_index: u32,
    /// Resolves each convention's parc, objectives and programme; `None` only reads (tests,
    /// tools).
    pub referential: Option<&'s Referential>,
    /// Takes every chunk of full rows before only their cores are kept.
    pub sink: &'s dyn RowSink,
    /// Keep the texts of the report's lists (intitulé, thématique).
    pub keep_texts: bool,
    /// When reading the file must be over: looked at between chunks (`SheetOutput::out_of_time`).
    pub deadline: Deadline,
}

/// The records of one sheet, and what was found about its structure.
#[derive(Debug, Default)]
pub struct SheetOutput {
    pub id: SheetId,
    pub name: String,
    pub kind: Option<SheetKind>,
    pub header_row: Option<u32>,
    pub missing_columns: Vec<&'static str>,
    pub unknown_columns: Vec<HeaderCell>,
    pub duplicate_columns: Vec<HeaderCell>,
    pub data_rows: usize,
    pub conventions: Vec<ConventionCore>,
    pub partners: Vec<PartnerCore>,
    pub indicators: Vec<IndicatorValue>,
    /// Index-aligned with `conventions`, when `Streaming::keep_texts`.
    pub convention_texts: Vec<ConventionTexts>,
    /// Data rows the workbook marks hidden (read like the others).
    pub hidden_rows: usize,
    /// The file's time ran out while this sheet was read: it wants no more rows, and the
    /// file is refused (F002).
    pub out_of_time: bool,
}

pub struct SheetBuilder<'s> {
    out: SheetOutput,
    streaming: Streaming<'s>,
    /// Rows typed and waiting for the sink (a sheet holds one kind of rows).
    pending: RowChunk,
    /// `None` for a CSV file whose name says nothing: the header decides.
    expected_kind: Option<SheetKind>,
    ctx: ReadContext,
    /// Non-blank rows seen before the header was found.
    rows_before_header: usize,
    columns: Vec<Option<u16>>,
    header_found: bool,
    /// The merged ranges the reader found (see `merged_cells`).
    merges: Vec<MergedRange>,
}

impl<'s> SheetBuilder<'s> {
    /// The `ordinal`-th sheet of its file (below `SheetId::MAX_SHEETS_PER_FILE`).
    pub fn new(
        name: &str,
        ordinal: u32,
        kind: Option<SheetKind>,
        ctx: ReadContext,
        streaming: Streaming<'s>,
    ) -> Self {
        SheetBuilder {
            out: SheetOutput {
                id: SheetId::new(streaming.file_index, ordinal),
                name: name.to_string(),
                kind,
                ..Default::default()
            },
            streaming,
            pending: RowChunk::default(),
            expected_kind: kind,
            ctx,
            rows_before_header: 0,
            columns: Vec::new(),
            header_found: false,
            merges: Vec::new(),
        }
    }

    /// Whether rows are still wanted: a sheet without a header in its first rows is given up.
    pub fn wants_rows(&self) -> bool {
        !self.out.out_of_time && (self.header_found || self.rows_before_header < HEADER_SEARCH_ROWS)
    }

    pub fn data_rows(&self) -> usize {
        self.out.data_rows
    }

    /// Takes one row; `row_number` is the Excel row number (1-based).
    pub fn push_row(&mut self, row_number: u32, cells: &[Cell]) {
        if cells.iter().all(Cell::is_blank) {
            return;
        }
        if !self.header_found {
            if self.rows_before_header < HEADER_SEARCH_ROWS {
                self.rows_before_header += 1;
                self.try_header(row_number, cells);
            }
            return;
        }
        let Some(kind) = self.out.kind else { return };
        let origin = Origin {
            sheet: self.out.id,
            row: row_number,
        };
        let reader = RowReader {
            columns: &self.columns,
            row: cells,
            ctx: self.ctx,
        };
        match kind {
            SheetKind::Conventions => {
                let mut c = typing::convention(&reader, origin);
                if let Some(referential) = self.streaming.referential {
                    c.links = ConventionLinks::resolve(&c, referential);
                }
                self.pending.conventions.push(c);
            }
            SheetKind::Partenaires => self.pending.partners.push(typing::partner(&reader, origin)),
            SheetKind::Indicateurs => self
                .pending
                .indicators
                .push(typing::indicator(&reader, origin)),
        }
        self.out.data_rows += 1;
        if self.pending.len() >= CHUNK_ROWS {
            self.flush_pending();
        }
    }

    /// Where this sheet is, as diagnostics name it.
    fn sheet_at(&self) -> SheetAt<'_> {
        SheetAt {
            id: self.out.id,
            file: self.streaming.file,
            name: &self.out.name,
            header_row: self.out.header_row,
        }
    }

    /// Hands the rows waiting to the sink, then keeps their cores (and, for the report, the
    /// texts of its lists).
    fn flush_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.streaming.sink.chunk(self.sheet_at(), &self.pending);
        if self.streaming.deadline.passed() {
            self.out.out_of_time = true;
        }
        let chunk = &mut self.pending;
        self.out
            .conventions
            .extend(chunk.conventions.iter().map(ConventionCore::of));
        if self.streaming.keep_texts {
            self.out
                .convention_texts
                .extend(chunk.conventions.iter().map(ConventionTexts::of));
        }
        self.out
            .partners
            .extend(chunk.partners.iter().map(PartnerCore::of));
        self.out.indicators.append(&mut chunk.indicators);
        // The full rows are dropped here; their buffers serve the next chunk.
        chunk.conventions.clear();
        chunk.partners.clear();
    }

    fn try_header(&mut self, row_number: u32, cells: &[Cell]) {
        let texts: Vec<String> = cells.iter().map(Cell::display).collect();
        let kind = match self.expected_kind {
            Some(k) => k,
            None => {
                let best = SheetKind::ALL
                    .into_iter()
                    .map(|k| (known_headers(k, &texts), k))
                    .max_by_key(|(n, _)| *n);
                match best {
                    Some((_, k)) => k,
                    None => return,
                }
            }
        };
        if known_headers(kind, &texts) < 2 {
            return;
        }
        self.header_found = true;
        self.out.kind = Some(kind);
        self.out.header_row = Some(row_number);
        let specs = schema::specs(kind);
        self.columns = vec![None; specs.len()];
        for (col, text) in texts.iter().enumerate() {
            let Ok(col) = u16::try_from(col) else { break };
            let header = crate::text::trim(text);
            if header.is_empty() {
                continue;
            }
            let cell = HeaderCell {
                name: header.to_string(),
                col,
            };
            match match_header(kind, header) {
                Some(i) if self.columns[i].is_some() => self.out.duplicate_columns.push(cell),
                Some(i) => self.columns[i] = Some(col),
                None => self.out.unknown_columns.push(cell),
            }
        }
        self.out.missing_columns = specs
            .iter()
            .zip(&self.columns)
            .filter(|(spec, col)| spec.required && col.is_none())
            .map(|(spec, _)| spec.name)
            .collect();
    }

    /// The reader met a row the workbook marks hidden (`row_number` as in Excel): called
    /// before the row's cells are pushed; a hidden row is data like any other.
    pub fn hidden_row(&mut self, row_number: u32) {
        if self.header_found && self.out.header_row.is_some_and(|h| row_number > h) {
            self.out.hidden_rows += 1;
        }
    }

    /// The merged ranges of the sheet, given by the reader when it knows them (in xlsx, after
    /// the rows), before `finish`.
    pub fn merged_cells(&mut self, ranges: Vec<MergedRange>) {
        self.merges = ranges;
    }

    pub fn finish(mut self) -> SheetOutput {
        self.flush_pending();
        if !self.header_found
            && let Some(kind) = self.out.kind
        {
            // No header: every required column is missing.
            self.out.missing_columns = schema::specs(kind)
                .iter()
                .filter(|s| s.required)
                .map(|s| s.name)
                .collect();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    const READ_ONLY: Streaming = Streaming {
        file: "test.xlsx",
        file_index: 0,
        referential: None,
        sink: &(),
        keep_texts: false,
        deadline: Deadline::NONE,
    };

    fn row(texts: &[&str]) -> Vec<Cell<'static>> {
        texts
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(Cow::Owned(t.to_string()))
                }
            })
            .collect()
    }

    #[test]
    fn header_below_title_rows() {
        let mut b = SheetBuilder::new(
            "Partenaires",
            0,
            Some(SheetKind::Partenaires),
            ReadContext::default(),
            READ_ONLY,
        );
        b.push_row(1, &row(&["Liste des partenaires 2020"]));
        b.push_row(2, &row(&[]));
        b.push_row(3, &row(&["Id", "Nom", "Type", "Remarque"]));
        b.push_row(4, &row(&["P-1", "Les Blongios", "association", "x"]));
        b.push_row(5, &row(&["", "", ""]));
        let out = b.finish();
        assert_eq!(out.header_row, Some(3));
        assert_eq!(out.data_rows, 1);
        assert_eq!(out.partners[0].origin.row, 4);
        assert_eq!(out.partners[0].id(), Some("P-1"));
        assert_eq!(out.unknown_columns[0].name, "Remarque");
        assert!(out.missing_columns.is_empty());
    }

    #[test]
    fn kind_from_header_when_name_says_nothing() {
        let mut b = SheetBuilder::new("export", 0, None, ReadContext::default(), READ_ONLY);
        b.push_row(1, &row(&["indicateur", "année", "valeur"]));
        b.push_row(2, &row(&["OS1-I2", "2020", "12"]));
        let out = b.finish();
        assert_eq!(out.kind, Some(SheetKind::Indicateurs));
        assert_eq!(out.indicators.len(), 1);
    }

    #[test]
    fn duplicate_and_missing_columns() {
        let mut b = SheetBuilder::new(
            "Partenaires",
            0,
            Some(SheetKind::Partenaires),
            ReadContext::default(),
            READ_ONLY,
        );
        b.push_row(1, &row(&["id", "nom", "Nom"]));
        let out = b.finish();
        assert_eq!(out.duplicate_columns.len(), 1);
        assert_eq!(out.duplicate_columns[0].col, 2);
        assert_eq!(out.missing_columns, vec!["type"]);
    }

    #[test]
    fn no_header_in_the_first_rows() {
        let mut b = SheetBuilder::new(
            "Conventions",
            0,
            Some(SheetKind::Conventions),
            ReadContext::default(),
            READ_ONLY,
        );
        for r in 1..=12 {
            b.push_row(r, &row(&["bla", "bla"]));
        }
        b.push_row(13, &row(&["id", "intitule"]));
        assert!(!b.wants_rows());
        let out = b.finish();
        assert_eq!(out.header_row, None);
        assert!(out.missing_columns.contains(&"id"));
    }
}
