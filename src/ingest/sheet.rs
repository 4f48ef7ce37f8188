//! Turns the rows of one sheet into records: finds the header row below any title rows,
//! maps the columns, then types each data row as it arrives and runs the row checks on
//! chunks of rows, keeping only each row's small core: a million rows stream through.

use std::collections::VecDeque;

use super::RowSink;
use super::cell::{Cell, ReadContext};
use super::columns::{kind_from_name, known_headers, match_header};
use super::limits::Deadline;
use super::shapes;
use super::sink::Handoff;
use super::typing::{self, RowReader};
use crate::model::schema;
use crate::model::{
    CellValue, ConventionCore, ConventionLinks, ConventionTexts, HeaderCell, IndicatorValue,
    MergedData, MergedRange, NoteRow, Origin, PartnerCore, Referential, RowChunk, SheetAt, SheetId,
    SheetKind, TotalRow,
};

/// The header is looked for among the first rows that hold something (DESIGN §3).
const HEADER_SEARCH_ROWS: usize = 10;

/// Rows typed before their checks run: large enough to spread the rules over the cores,
/// small enough that the full rows of a chunk weigh a few megabytes.
const CHUNK_ROWS: usize = 4096;

/// Rows that may be notes under the table, held until a data row (they were data) or the end
/// of the sheet (they were notes): past this many in a row they are data.
const MAX_HELD_NOTES: usize = 16;

/// Hidden rows named in S008 (the count is exact).
const HIDDEN_ROWS_NAMED: usize = 10;

/// Hidden rows told and not arrived yet that are remembered (a reader tells a row hidden
/// just before its cells, at most a row or two ahead of the rows it has handed over).
const HIDDEN_AHEAD: usize = 16;

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
    /// Takes every chunk of full rows (their cores are kept, the rows dropped after it).
    pub sink: &'s dyn RowSink,
    /// When given, chunks go to the sink on another thread (`sink::pipelined`).
    pub handoff: Option<&'s Handoff>,
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
    /// The header row's texts by column index, as `model::SheetInfo::headers`.
    pub headers: Vec<String>,
    pub missing_columns: Vec<&'static str>,
    pub unknown_columns: Vec<HeaderCell>,
    pub duplicate_columns: Vec<HeaderCell>,
    /// Where each known column sits, index-aligned with the schema's columns.
    pub columns: Vec<Option<u16>>,
    pub data_rows: usize,
    pub conventions: Vec<ConventionCore>,
    pub partners: Vec<PartnerCore>,
    pub indicators: Vec<IndicatorValue>,
    /// Index-aligned with `conventions`, when `Streaming::keep_texts`.
    pub convention_texts: Vec<ConventionTexts>,
    /// Data rows the workbook marks hidden (read like the others).
    pub hidden_rows: usize,
    /// The first of them (`HIDDEN_ROWS_NAMED`), by Excel row number.
    pub hidden_row_numbers: Vec<u32>,
    /// Known columns the workbook marks hidden.
    pub hidden_columns: Vec<HeaderCell>,
    /// Vertical merges inside the data, each read as the value of every row it covers.
    pub merges: Vec<MergedData>,
    /// Total and subtotal rows, left out of the records.
    pub totals: Vec<TotalRow>,
    /// Texts alone on their rows under the last data row, left out of the records.
    pub notes: Vec<NoteRow>,
    /// The file's time ran out while this sheet was read: it wants no more rows, and the
    /// file is refused (F002).
    pub out_of_time: bool,
    /// A sheet not named like ours, beside sheets that are, whose header is a whole table's
    /// (`Expect::WholeTable`): the table's kind and header row. Its rows are not read (S010).
    pub unread_table: Option<(SheetKind, u32)>,
}

/// What a sheet is taken for before its rows are read, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Named like a known sheet (« Conventions 2020 », `partenaires.csv`).
    Named(SheetKind),
    /// No sheet of its workbook is named like one (a lone « Feuil1 », `export.csv`): its
    /// header decides.
    ByHeader,
    /// Beside sheets named like known ones: not read, since it may be a copy of last year's
    /// data as well as data to count; when its header is a whole table's (a « Feuil1 » of
    /// partners added to a workbook of « Conventions »), the depositor is told (S010).
    WholeTable,
}

impl Expect {
    pub fn of_name(name: &str) -> Self {
        kind_from_name(name).map_or(Expect::ByHeader, Expect::Named)
    }

    fn kind(self) -> Option<SheetKind> {
        match self {
            Expect::Named(kind) => Some(kind),
            Expect::ByHeader | Expect::WholeTable => None,
        }
    }
}

/// A header that names the kind's key column (the schema's first: `id`, or `indicateur`)
/// and at least two more.
fn whole_table(kind: SheetKind, texts: &[String]) -> bool {
    let found: Vec<usize> = texts.iter().filter_map(|t| match_header(kind, t)).collect();
    found.contains(&0) && found.len() >= 3
}

pub struct SheetBuilder<'s> {
    out: SheetOutput,
    streaming: Streaming<'s>,
    /// Rows typed and waiting for the sink (a sheet holds one kind of rows).
    pending: RowChunk,
    /// What the sheet's name says it holds.
    expected: Expect,
    ctx: ReadContext,
    /// Non-blank rows seen before the header was found.
    rows_before_header: usize,
    columns: Vec<Option<u16>>,
    header_found: bool,
    /// The merged ranges the reader gave after data rows were typed (see `merged_cells`).
    merges_after: Vec<MergedRange>,
    /// Merges the reader gave before the data rows: covered cells are filled as rows arrive.
    upfront: Upfront,
    /// Rows that may be notes under the table (see `push_row`).
    held: Vec<Held>,
    /// Rows the reader said are hidden and that have not arrived yet.
    hidden_ahead: VecDeque<u32>,
    /// Column ranges (0-based, both ends included) the reader said are hidden.
    hidden_columns: Vec<(u16, u16)>,
    /// The previous typed row and its non-blank known columns (bit i: the schema's i-th).
    last_typed: Option<(u32, u32)>,
    /// Rows whose cell in a known column is not blank while the next data row's is (bits as
    /// in `last_typed`), in row order: the only cells that can head a merge worth reading.
    /// A merge given after the rows fills its rows only when its first cell is one of them.
    may_head_merge: Vec<(u32, u32)>,
}

/// A row held as a possible note: its single text cell.
struct Held {
    row: u32,
    col: u16,
    cell: Cell<'static>,
    hidden: bool,
}

/// Merges known before the rows (xls, ods): each covered cell takes its first cell's value as
/// the row arrives, before typing, so every check sees the value.
#[derive(Default)]
struct Upfront {
    /// Vertical ranges, by first row.
    ranges: Vec<MergedRange>,
    /// The next range to become active.
    next: usize,
    /// Ranges the rows have reached: (range, its first cell once read, its index in
    /// `SheetOutput::merges`).
    active: Vec<(usize, Option<(Cell<'static>, usize)>)>,
}

/// Header texts longer than this are cut (with « … ») where diagnostics repeat them.
const MAX_HEADER_CHARS: usize = 80;

/// The header row's texts as a person reads them, by column index, up to the last non-blank:
/// trimmed, line breaks (Alt+Entrée) and runs of spaces made one space, cut past
/// `MAX_HEADER_CHARS`.
fn header_texts(texts: &[String]) -> Vec<String> {
    let end = texts
        .iter()
        .rposition(|t| !crate::text::trim(t).is_empty())
        .map_or(0, |i| i + 1);
    texts[..end]
        .iter()
        .map(|t| {
            let mut text = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some((cut, _)) = text.char_indices().nth(MAX_HEADER_CHARS) {
                text.truncate(cut);
                text.push('…');
            }
            text
        })
        .collect()
}

impl<'s> SheetBuilder<'s> {
    /// The `ordinal`-th sheet of its file (below `SheetId::MAX_SHEETS_PER_FILE`).
    pub fn new(
        name: &str,
        ordinal: u32,
        expected: Expect,
        ctx: ReadContext,
        streaming: Streaming<'s>,
    ) -> Self {
        SheetBuilder {
            out: SheetOutput {
                id: SheetId::new(streaming.file_index, ordinal),
                name: name.to_string(),
                kind: expected.kind(),
                ..Default::default()
            },
            streaming,
            pending: RowChunk::default(),
            expected,
            ctx,
            rows_before_header: 0,
            columns: Vec::new(),
            header_found: false,
            merges_after: Vec::new(),
            upfront: Upfront::default(),
            held: Vec::new(),
            hidden_ahead: VecDeque::new(),
            hidden_columns: Vec::new(),
            last_typed: None,
            may_head_merge: Vec::new(),
        }
    }

    /// Whether rows are still wanted: a sheet without a header in its first rows is given up.
    pub fn wants_rows(&self) -> bool {
        !self.out.out_of_time
            && self.out.unread_table.is_none()
            && (self.header_found || self.rows_before_header < HEADER_SEARCH_ROWS)
    }

    pub fn data_rows(&self) -> usize {
        self.out.data_rows
    }

    /// Takes one row; `row_number` is the Excel row number (1-based). Below the header, a
    /// total row and a note under the table are kept apart; any other row is typed. A row
    /// that may be a note (one text alone) is held until the next non-blank row: a data row
    /// after it makes it data, the end of the sheet a note.
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
        let hidden = self.take_hidden(row_number);
        if let Some(total) = shapes::total_row(row_number, cells, kind, &self.columns) {
            self.out.totals.push(total);
            return;
        }
        if let Some((col, cell)) = shapes::note_candidate(cells, &self.columns)
            && !self.upfront.covers(row_number)
        {
            if self.held.len() >= MAX_HELD_NOTES {
                self.release_held();
            }
            self.held.push(Held {
                row: row_number,
                col,
                cell: cell.clone().into_owned(),
                hidden,
            });
            return;
        }
        self.release_held();
        self.type_row(row_number, cells, hidden);
    }

    /// Whether the reader said this row is hidden (it says so before the row's cells).
    fn take_hidden(&mut self, row_number: u32) -> bool {
        while self.hidden_ahead.front().is_some_and(|&r| r < row_number) {
            self.hidden_ahead.pop_front();
        }
        let hidden = self.hidden_ahead.front() == Some(&row_number);
        if hidden {
            self.hidden_ahead.pop_front();
        }
        hidden
    }

    /// Types the rows held as possible notes: they were data.
    fn release_held(&mut self) {
        for held in std::mem::take(&mut self.held) {
            let mut cells = vec![Cell::Empty; held.col as usize + 1];
            cells[held.col as usize] = held.cell;
            self.type_row(held.row, &cells, held.hidden);
        }
    }

    /// Types a data row (its merged cells filled first, when the merges are known) into the
    /// chunk waiting for the sink.
    fn type_row(&mut self, row_number: u32, cells: &[Cell], hidden: bool) {
        let Some(kind) = self.out.kind else { return };
        let specs = schema::specs(kind);
        let filled = self.upfront.fill(
            row_number,
            cells,
            (&self.columns, specs),
            &mut self.out.merges,
        );
        let cells = filled.as_deref().unwrap_or(cells);
        self.note_blanks(row_number, cells);
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
        if hidden {
            self.out.hidden_rows += 1;
            if self.out.hidden_row_numbers.len() < HIDDEN_ROWS_NAMED {
                self.out.hidden_row_numbers.push(row_number);
            }
        }
        if self.pending.len() >= CHUNK_ROWS {
            self.flush_pending();
        }
    }

    /// Notes which known cells of the previous data row could head a merge: not blank there,
    /// blank in this row.
    fn note_blanks(&mut self, row_number: u32, cells: &[Cell]) {
        let mut filled = 0u32;
        for (i, col) in self.columns.iter().enumerate().take(32) {
            if let Some(c) = col.and_then(|c| cells.get(c as usize))
                && !c.is_blank()
            {
                filled |= 1 << i;
            }
        }
        if let Some((row, before)) = self.last_typed
            && before & !filled != 0
        {
            self.may_head_merge.push((row, before & !filled));
        }
        self.last_typed = Some((row_number, filled));
    }

    /// Where this sheet is, as diagnostics name it.
    fn sheet_at(&self) -> SheetAt<'_> {
        SheetAt {
            id: self.out.id,
            file: self.streaming.file,
            name: &self.out.name,
            header_row: self.out.header_row,
            headers: &self.out.headers,
        }
    }

    /// Keeps the cores of the rows waiting (and, for the report, the texts of its lists),
    /// then hands the full rows to the sink, directly or through the pipeline.
    fn flush_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let chunk = &self.pending;
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
        // An indicator row is its own core (and a sheet holds a few dozen).
        self.out.indicators.extend(chunk.indicators.iter().cloned());
        match self.streaming.handoff {
            Some(handoff) => {
                let next = self.pending.empty_like();
                let rows = std::mem::replace(&mut self.pending, next);
                handoff.send(self.sheet_at(), rows);
            }
            None => {
                self.streaming.sink.chunk(self.sheet_at(), &self.pending);
                // The full rows are dropped here; their buffers serve the next chunk.
                self.pending.conventions.clear();
                self.pending.partners.clear();
                self.pending.indicators.clear();
            }
        }
        if self.streaming.deadline.passed() {
            self.out.out_of_time = true;
        }
    }

    fn try_header(&mut self, row_number: u32, cells: &[Cell]) {
        let texts: Vec<String> = cells.iter().map(Cell::display).collect();
        let kind = match self.expected {
            Expect::Named(k) => k,
            Expect::ByHeader | Expect::WholeTable => {
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
        if self.expected == Expect::WholeTable {
            // Told, not read: it may as well be last year's copy as data to count (S010).
            if whole_table(kind, &texts) {
                self.out.unread_table = Some((kind, row_number));
            }
            return;
        }
        self.header_found = true;
        self.out.kind = Some(kind);
        self.out.header_row = Some(row_number);
        self.out.headers = header_texts(&texts);
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
    /// before the row's cells are pushed; a hidden row is data like any other, counted when
    /// it is typed (a hidden blank, total or note row is no data row).
    pub fn hidden_row(&mut self, row_number: u32) {
        if self.hidden_ahead.back().is_none_or(|&r| r < row_number) {
            // Rows come in order, each told just before its cells: the oldest of a long run
            // of hidden rows without cells (blank) are long passed.
            if self.hidden_ahead.len() >= HIDDEN_AHEAD {
                self.hidden_ahead.pop_front();
            }
            self.hidden_ahead.push_back(row_number);
        }
    }

    /// The workbook marks the columns `first..=last` (0-based) hidden: they are read like the
    /// others; the known ones are named once for the sheet (S008). Callable at any time before
    /// `finish`.
    pub fn hidden_columns(&mut self, first: u16, last: u16) {
        self.hidden_columns.push((first, last));
    }

    /// The merged ranges of the sheet, given by the reader when it knows them (in one call
    /// or several), before `finish`. A vertical merge inside the data is the value of every row it covers:
    /// given before the data rows (xls, ods), each covered cell is filled as its row
    /// arrives; given after them (xlsx lists merges after the cells), the kept cores of the
    /// covered rows take the value at `finish`, and the diagnostics of those empty cells are
    /// corrected once every file is read (`MergedData::filled_after_checks`).
    pub fn merged_cells(&mut self, ranges: Vec<MergedRange>) {
        let vertical = ranges.into_iter().filter(|r| r.last_row > r.first_row);
        if self.out.data_rows == 0 {
            self.upfront.ranges.extend(vertical);
            self.upfront.ranges.sort_by_key(|r| r.first_row);
        } else {
            self.merges_after.extend(vertical);
        }
    }

    pub fn finish(mut self) -> SheetOutput {
        if self.header_found {
            // A held row under a merge's first cell is a row of the merge, not a note.
            let (data, notes): (Vec<Held>, Vec<Held>) = std::mem::take(&mut self.held)
                .into_iter()
                .partition(|h| self.merges_after.iter().any(|m| covers(m, h.row)));
            self.held = data;
            self.release_held();
            self.out.notes = notes
                .into_iter()
                .map(|h| NoteRow {
                    row: h.row,
                    col: h.col,
                    text: shapes::cut(&h.cell.display()),
                })
                .collect();
        }
        self.flush_pending();
        self.fill_merged_after();
        self.name_hidden_columns();
        self.out.columns.clone_from(&self.columns);
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

    /// The known column at `col`: its index in the schema and its contract name.
    fn known_column(&self, col: u16) -> Option<(usize, &'static str)> {
        let i = self.columns.iter().position(|c| *c == Some(col))?;
        let kind = self.out.kind?;
        Some((i, schema::specs(kind)[i].name))
    }

    /// The merges given after the rows: the cores of the covered rows take what the first
    /// row's core read in the merged column.
    fn fill_merged_after(&mut self) {
        let Some(header) = self.out.header_row else {
            return;
        };
        let mut ranges = std::mem::take(&mut self.merges_after);
        ranges.sort_by_key(|r| (r.first_row, r.first_col));
        for range in ranges {
            let Some((i, column)) = self.known_column(range.first_col) else {
                continue;
            };
            let heads = self
                .may_head_merge
                .binary_search_by_key(&range.first_row, |(r, _)| *r)
                .ok()
                .is_some_and(|k| {
                    self.may_head_merge[k].1 & 1u32.checked_shl(i as u32).unwrap_or(0) != 0
                });
            if range.first_row <= header || !heads {
                continue;
            }
            let Some(rows) = self.copy_down(range, column) else {
                continue;
            };
            let value = self.value_of_core(range.first_row, column);
            self.out.merges.push(MergedData {
                range,
                column,
                rows,
                value,
                filled_after_checks: true,
            });
        }
    }

    /// Copies the value the first row of `range` read in `column` into the kept records of
    /// the rows below it; the data rows of the range (first included), `None` when its first
    /// row is no data row.
    fn copy_down(&mut self, range: MergedRange, column: &str) -> Option<u32> {
        fn rows<T>(
            records: &mut [T],
            range: MergedRange,
            row: impl Fn(&T) -> u32,
            copy: impl Fn(&mut T, &T),
        ) -> Option<u32> {
            let head = records.partition_point(|r| row(r) < range.first_row);
            if records.get(head).is_none_or(|r| row(r) != range.first_row) {
                return None;
            }
            let end = records.partition_point(|r| row(r) <= range.last_row);
            let (before, after) = records.split_at_mut(head + 1);
            let first = &before[head];
            for r in &mut after[..end - head - 1] {
                copy(r, first);
            }
            u32::try_from(end - head).ok()
        }
        let out = &mut self.out;
        match out.kind? {
            SheetKind::Conventions => {
                let n = rows(
                    &mut out.conventions,
                    range,
                    |c| c.origin.row,
                    |c, first| c.copy_column(first, column),
                )?;
                if !out.convention_texts.is_empty() {
                    self.copy_texts(range, column);
                }
                Some(n)
            }
            SheetKind::Partenaires => rows(
                &mut out.partners,
                range,
                |p| p.origin.row,
                |p, first| p.copy_column(first, column),
            ),
            SheetKind::Indicateurs => rows(
                &mut out.indicators,
                range,
                |v| v.origin.row,
                |v, first| v.copy_column(first, column),
            ),
        }
    }

    /// The report's texts of the covered rows (index-aligned with the cores).
    fn copy_texts(&mut self, range: MergedRange, column: &str) {
        use schema::convention as c;
        let rows = &self.out.conventions;
        let head = rows.partition_point(|r| r.origin.row < range.first_row);
        let end = rows.partition_point(|r| r.origin.row <= range.last_row);
        let texts = &mut self.out.convention_texts;
        let Some(first) = texts.get(head).cloned() else {
            return;
        };
        for t in texts.iter_mut().take(end).skip(head + 1) {
            if column == c::INTITULE.name() {
                t.intitule.clone_from(&first.intitule);
            } else if column == c::THEMATIQUE.name() {
                t.thematique.clone_from(&first.thematique);
            }
        }
    }

    /// What the kept record of `row` read in `column`, as a message can quote it; `None`
    /// when no kept record holds it (an intitulé when only cores are kept, a date of
    /// signature…).
    fn value_of_core(&self, row: u32, column: &str) -> Option<String> {
        let out = &self.out;
        match out.kind? {
            SheetKind::Conventions => {
                let i = out
                    .conventions
                    .binary_search_by_key(&row, |c| c.origin.row)
                    .ok()?;
                let texts = out.convention_texts.get(i);
                convention_value(
                    &out.conventions[i],
                    texts,
                    column,
                    self.streaming.referential,
                )
            }
            SheetKind::Partenaires => {
                let p = &out.partners[out
                    .partners
                    .binary_search_by_key(&row, |p| p.origin.row)
                    .ok()?];
                use schema::partner as s;
                if column == s::ID.name() {
                    p.id().map(str::to_string)
                } else if column == s::TYPE.name() {
                    p.kind.map(|k| k.label().to_string())
                } else if column == s::SIRET.name() {
                    p.siret.as_ref().map(|s| s.to_string())
                } else {
                    None
                }
            }
            SheetKind::Indicateurs => {
                let v = &out.indicators[out
                    .indicators
                    .binary_search_by_key(&row, |v| v.origin.row)
                    .ok()?];
                let field = schema::indicator::ALL
                    .iter()
                    .find(|c| c.name() == column)
                    .map(|c| (c.field)(v))?;
                cell_value_text(&field.value())
            }
        }
    }

    fn name_hidden_columns(&mut self) {
        let Some(kind) = self.out.kind else { return };
        if !self.header_found {
            return;
        }
        let specs = schema::specs(kind);
        let mut hidden: Vec<HeaderCell> = specs
            .iter()
            .zip(&self.columns)
            .filter_map(|(spec, col)| {
                let col = (*col)?;
                self.hidden_columns
                    .iter()
                    .any(|&(first, last)| (first..=last).contains(&col))
                    .then(|| HeaderCell {
                        name: spec.name.to_string(),
                        col,
                    })
            })
            .collect();
        hidden.sort_by_key(|h| h.col);
        self.out.hidden_columns = hidden;
    }
}

/// Whether a merge's range covers a row below its first one.
fn covers(range: &MergedRange, row: u32) -> bool {
    range.first_row < row && row <= range.last_row
}

impl Upfront {
    /// Whether a merge known in advance, whose first cell was read, covers this row.
    fn covers(&self, row: u32) -> bool {
        self.active
            .iter()
            .any(|(i, head)| head.is_some() && covers(&self.ranges[*i], row))
    }

    /// The row with its covered cells holding their merge's first cell (`None`: nothing to
    /// fill). Records each merge whose first cell is read, and counts its rows.
    fn fill<'a>(
        &mut self,
        row: u32,
        cells: &[Cell<'a>],
        (columns, specs): (&[Option<u16>], &[&'static schema::Spec]),
        merges: &mut Vec<MergedData>,
    ) -> Option<Vec<Cell<'a>>> {
        if self.ranges.is_empty() {
            return None;
        }
        while let Some(range) = self.ranges.get(self.next)
            && range.first_row <= row
        {
            self.active.push((self.next, None));
            self.next += 1;
        }
        let ranges = &self.ranges;
        self.active.retain(|(i, _)| ranges[*i].last_row >= row);
        let mut filled: Option<Vec<Cell<'a>>> = None;
        for (i, head) in &mut self.active {
            let range = self.ranges[*i];
            let col = range.first_col as usize;
            let Some(known) = columns.iter().position(|c| *c == Some(range.first_col)) else {
                continue;
            };
            if range.first_row == row {
                if let Some(cell) = cells.get(col).filter(|c| !c.is_blank()) {
                    merges.push(MergedData {
                        range,
                        column: specs[known].name,
                        rows: 1,
                        value: Some(shapes::cut(&cell.display())),
                        filled_after_checks: false,
                    });
                    *head = Some((cell.clone().into_owned(), merges.len() - 1));
                }
            } else if let Some((cell, index)) = head {
                let row = filled.get_or_insert_with(|| cells.to_vec());
                if row.len() <= col {
                    row.resize(col + 1, Cell::Empty);
                }
                row[col] = cell.clone();
                merges[*index].rows += 1;
            }
        }
        filled
    }
}

/// What a convention's kept core (and texts) read in `column`, as a message quotes it.
fn convention_value(
    core: &ConventionCore,
    texts: Option<&ConventionTexts>,
    column: &str,
    referential: Option<&Referential>,
) -> Option<String> {
    use crate::text::french::{format_date, format_euros};
    use schema::convention as c;
    let amount = |v: rust_decimal::Decimal| (!v.is_zero()).then(|| format_euros(v));
    let text = |t: &compact_str::CompactString| (!t.is_empty()).then(|| t.to_string());
    let r = referential;
    if column == c::ID.name() {
        core.id().map(str::to_string)
    } else if column == c::INTITULE.name() {
        texts.and_then(|t| text(&t.intitule))
    } else if column == c::THEMATIQUE.name() {
        texts.and_then(|t| text(&t.thematique))
    } else if column == c::ECHELLE.name() {
        core.echelle.map(|e| e.label().to_string())
    } else if column == c::STATUT.name() {
        core.statut.map(|s| s.label().to_string())
    } else if column == c::PARC.name() {
        Some(r?.parcs.get(core.links.parc()?)?.code.clone())
    } else if column == c::PROGRAMME.name() {
        Some(r?.programmes.get(core.links.programme()?)?.code.clone())
    } else if column == c::OBJECTIFS.name() {
        let codes: Vec<&str> = core
            .links
            .objectifs
            .iter()
            .filter_map(|o| r?.objectives.get(o).map(|o| o.code.as_str()))
            .collect();
        (!codes.is_empty()).then(|| codes.join(";"))
    } else if column == c::PARTENAIRES.name() {
        let ids: Vec<&str> = core.partner_ids().collect();
        (!ids.is_empty()).then(|| ids.join(";"))
    } else if column == c::DATE_DEBUT.name() {
        core.date_debut.map(format_date)
    } else if column == c::DATE_FIN.name() {
        core.date_fin.map(format_date)
    } else if column == c::MONTANT_TOTAL.name() {
        amount(core.montant_total)
    } else if column == c::PART_REGION.name() {
        amount(core.part_region)
    } else if column == c::PART_EUROPE.name() {
        amount(core.part_europe)
    } else if column == c::PART_AUTRES.name() {
        amount(core.part_autres)
    } else {
        None
    }
}

/// A typed value as a message quotes it.
fn cell_value_text(value: &CellValue) -> Option<String> {
    use crate::text::french::{format_date, format_quantity};
    match value {
        CellValue::Empty => None,
        CellValue::Invalid(t) | CellValue::Text(t) => Some(t.clone()),
        CellValue::List(items) => Some(items.join(";")),
        CellValue::Date(d) => Some(format_date(*d)),
        CellValue::Decimal(v) => Some(format_quantity(*v)),
        CellValue::Year(y) => Some(y.to_string()),
        CellValue::Word(w) => Some(w.to_string()),
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
        handoff: None,
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
            Expect::Named(SheetKind::Partenaires),
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
    fn header_texts_are_kept_as_a_person_reads_them() {
        let long = "x".repeat(200);
        let texts: Vec<String> = ["  Date\ndébut ", "", "Montant\u{a0} total", &long, "", ""]
            .map(String::from)
            .to_vec();
        let headers = header_texts(&texts);
        assert_eq!(headers[..3], ["Date début", "", "Montant total"]);
        assert_eq!(headers[3].chars().count(), MAX_HEADER_CHARS + 1);
        assert!(headers[3].ends_with('…'));
        assert_eq!(
            headers.len(),
            4,
            "blank cells after the last header are not kept"
        );
    }

    #[test]
    fn kind_from_header_when_name_says_nothing() {
        let mut b = SheetBuilder::new(
            "export",
            0,
            Expect::ByHeader,
            ReadContext::default(),
            READ_ONLY,
        );
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
            Expect::Named(SheetKind::Partenaires),
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
            Expect::Named(SheetKind::Conventions),
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

    /// Collects the rows every chunk hands over, as the checking sink sees them.
    #[derive(Default)]
    struct Seen(std::sync::Mutex<Vec<crate::model::Convention>>);

    impl RowSink for Seen {
        fn chunk(&self, _: SheetAt, rows: &RowChunk) {
            self.0
                .lock()
                .unwrap()
                .extend(rows.conventions.iter().cloned());
        }
    }

    fn referential() -> Referential {
        Referential::parse(crate::model::referential::BUILT_IN, "intégré").unwrap()
    }

    fn conventions<'s>(sink: &'s Seen, referential: &'s Referential) -> SheetBuilder<'s> {
        let streaming = Streaming {
            referential: Some(referential),
            sink,
            ..READ_ONLY
        };
        let mut b = SheetBuilder::new(
            "Conventions",
            0,
            Expect::Named(SheetKind::Conventions),
            ReadContext::default(),
            streaming,
        );
        let header: Vec<&str> = schema::convention::ALL.iter().map(|c| c.name()).collect();
        b.push_row(1, &row(&header));
        b
    }

    /// A valid convention row with some of its 16 cells changed (`""` blanks one).
    fn convention(id: &str, edits: &[(usize, &str)]) -> Vec<Cell<'static>> {
        let mut cells = [
            id,
            "Mares",
            "locale",
            "AVE",
            "P-1",
            "OS1",
            "",
            "",
            "",
            "01/02/2019",
            "31/12/2019",
            "100",
            "",
            "",
            "",
            "signée",
        ];
        for &(i, v) in edits {
            cells[i] = v;
        }
        row(&cells)
    }

    fn at(cells: &[(usize, &str)]) -> Vec<Cell<'static>> {
        let mut texts = [""; 16];
        for &(i, v) in cells {
            texts[i] = v;
        }
        row(&texts)
    }

    #[test]
    fn total_rows_and_notes_are_kept_apart_from_the_records() {
        let (sink, r) = (Seen::default(), referential());
        let mut b = conventions(&sink, &r);
        b.push_row(2, &convention("C-1", &[]));
        b.push_row(3, &convention("C-2", &[]));
        b.push_row(4, &at(&[(0, "Total"), (11, "200")]));
        b.push_row(6, &at(&[(0, "Données provisoires au 15/01")]));
        let out = b.finish();
        assert_eq!(out.data_rows, 2);
        assert_eq!(sink.0.lock().unwrap().len(), 2);
        assert_eq!(out.totals.len(), 1);
        assert_eq!((out.totals[0].row, out.totals[0].amounts.len()), (4, 1));
        assert_eq!(out.notes.len(), 1);
        assert_eq!(out.notes[0].text, "Données provisoires au 15/01");
        assert_eq!((out.notes[0].row, out.notes[0].col), (6, 0));
    }

    #[test]
    fn a_lone_text_with_data_after_it_is_data() {
        let (sink, r) = (Seen::default(), referential());
        let mut b = conventions(&sink, &r);
        b.push_row(2, &convention("C-1", &[]));
        b.push_row(3, &at(&[(1, "Provisoire")]));
        b.push_row(4, &convention("C-3", &[]));
        let out = b.finish();
        assert!(out.notes.is_empty());
        let rows: Vec<u32> = out.conventions.iter().map(|c| c.origin.row).collect();
        assert_eq!(rows, [2, 3, 4]);
    }

    /// A row held as a possible note is typed (or kept as a note) whatever chunk it falls in.
    #[test]
    fn a_held_row_is_not_lost_across_chunks() {
        for (last, notes) in [(true, 0), (false, 1)] {
            let (sink, r) = (Seen::default(), referential());
            let mut b = conventions(&sink, &r);
            let n = CHUNK_ROWS as u32;
            for row in 2..n + 2 {
                b.push_row(row, &convention(&format!("C-{row}"), &[]));
            }
            b.push_row(n + 2, &at(&[(1, "Provisoire")]));
            if last {
                b.push_row(n + 3, &convention("C-last", &[]));
            }
            let out = b.finish();
            let rows: Vec<u32> = sink
                .0
                .lock()
                .unwrap()
                .iter()
                .map(|c| c.origin.row)
                .collect();
            assert_eq!(rows.len(), CHUNK_ROWS + 2 * usize::from(last));
            assert!(rows.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(out.conventions.len(), rows.len());
            assert_eq!(out.notes.len(), notes);
        }
    }

    #[test]
    fn hidden_rows_count_when_read_as_data() {
        let (sink, r) = (Seen::default(), referential());
        let mut b = conventions(&sink, &r);
        for hidden in [3, 5, 6, 7] {
            b.hidden_row(hidden);
        }
        b.hidden_columns(14, 15);
        b.push_row(2, &convention("C-1", &[]));
        b.push_row(3, &convention("C-2", &[]));
        // Row 5 is blank (nothing pushed); row 6 is a total row.
        b.push_row(6, &at(&[(0, "Total"), (11, "200")]));
        b.push_row(7, &convention("C-3", &[]));
        let out = b.finish();
        assert_eq!(out.hidden_rows, 2);
        assert_eq!(out.hidden_row_numbers, [3, 7]);
        let names: Vec<&str> = out.hidden_columns.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                schema::convention::PART_AUTRES.name(),
                schema::convention::STATUT.name()
            ]
        );
    }

    fn range(first_row: u32, col: u16, last_row: u32) -> MergedRange {
        MergedRange {
            first_row,
            first_col: col,
            last_row,
            last_col: col,
        }
    }

    /// Parc (D) and statut (P) merged over rows 2 to 6, as officers merge them; the last
    /// covered row has nothing else but its intitulé and id… and its id only (a lone text).
    fn merged_rows(b: &mut SheetBuilder) {
        b.push_row(2, &convention("C-1", &[]));
        for row in 3..=5 {
            b.push_row(row, &convention(&format!("C-{row}"), &[(3, ""), (15, "")]));
        }
        b.push_row(6, &at(&[(1, "Animation des mares")]));
        b.push_row(7, &convention("C-7", &[(3, "CMO")]));
    }

    fn merges() -> Vec<MergedRange> {
        vec![
            // The title area, a horizontal merge, an empty head (row 7's amount column is
            // not blank…), the two real ones.
            range(1, 0, 2),
            MergedRange {
                first_row: 3,
                first_col: 1,
                last_row: 3,
                last_col: 2,
            },
            range(2, 3, 6),
            range(2, 15, 6),
            range(2, 13, 4),
        ]
    }

    #[test]
    fn merges_given_after_the_rows_fill_the_kept_cores() {
        let (sink, r) = (Seen::default(), referential());
        let mut b = conventions(&sink, &r);
        merged_rows(&mut b);
        b.merged_cells(merges());
        let out = b.finish();
        // The sink saw the covered cells empty (the checks fix their diagnostics later).
        let seen = sink.0.lock().unwrap();
        assert!(seen[1].parc.is_empty());
        assert_eq!(seen.len(), 6, "the lone text under a merge is a row of it");
        assert!(out.notes.is_empty());
        let ave = r.find_parc("AVE");
        for c in &out.conventions[..5] {
            assert_eq!(c.links.parc(), ave, "row {}", c.origin.row);
            assert_eq!(c.statut, Some(crate::model::Statut::Signee));
        }
        assert_eq!(out.conventions[5].links.parc(), r.find_parc("CMO"));
        let merged: Vec<(String, u32, Option<&str>, bool)> = out
            .merges
            .iter()
            .map(|m| {
                let at = format!(
                    "{}{}",
                    crate::diagnostic::column_letters(m.range.first_col),
                    m.range.first_row
                );
                (at, m.rows, m.value.as_deref(), m.filled_after_checks)
            })
            .collect();
        assert_eq!(
            merged,
            [
                ("D2".to_string(), 5, Some("AVE"), true),
                ("P2".to_string(), 5, Some("signée"), true)
            ]
        );
    }

    #[test]
    fn merges_given_before_the_rows_fill_the_cells() {
        let (sink, r) = (Seen::default(), referential());
        let mut b = conventions(&sink, &r);
        b.merged_cells(merges());
        merged_rows(&mut b);
        let out = b.finish();
        let seen = sink.0.lock().unwrap();
        assert_eq!(seen.len(), 6);
        for c in &seen[..5] {
            assert_eq!(c.parc.text(), Some("AVE"), "row {}", c.origin.row);
            assert_eq!(c.statut.value(), Some(crate::model::Statut::Signee));
        }
        assert_eq!(seen[5].parc.text(), Some("CMO"));
        assert!(out.notes.is_empty());
        let merged: Vec<(u32, Option<&str>, bool)> = out
            .merges
            .iter()
            .map(|m| (m.rows, m.value.as_deref(), m.filled_after_checks))
            .collect();
        assert_eq!(
            merged,
            [(5, Some("AVE"), false), (5, Some("signée"), false)]
        );
    }
}
