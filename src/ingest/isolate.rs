//! An xls workbook is one calamine must load whole, so it is read in a child process of our
//! own binary, under an address-space limit (`--max-memoire`, 512 Mio by default: an xls
//! holds at most 65 536 rows × 256 columns) and the file's time (`--max-duree`). A crafted
//! file can make calamine abort on a failed allocation — an abort, not a panic, that
//! `catch_unwind` cannot stop — and would take the whole batch with it; in the child it only
//! costs that file (F002). The child hands the cells it read to the parent through a pipe,
//! row by row, and the parent types and checks them as it types any sheet: the file is read
//! once.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::fd::AsFd;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use calamine::{Data, Reader, Xls};

use super::cell::{Cell, ReadContext};
use super::limits::{Deadline, Limits, Refusal};
use super::rows::{FileBudget, SheetRows};
use super::sheet::{Expect, SheetBuilder, SheetOutput, Streaming};
use super::workbook;
use crate::model::{MergedRange, SheetKind};

/// The hidden subcommand the child runs.
pub const PROBE_COMMAND: &str = "__lecture-isolee";

/// Reads the xls workbook opened as `file` in a child process, which gets the descriptor as
/// its standard input rather than opening the path again. `None` when no child can be
/// started (no shell to set the limit): the caller then reads it itself.
pub fn read_xls(
    file: &File,
    limits: &Limits,
    streaming: Streaming,
) -> Option<Result<Vec<SheetOutput>, Refusal>> {
    let exe = std::env::current_exe().ok()?;
    let input = file.try_clone().ok()?;
    let kib = limits.max_memory_bytes / 1024;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} 2>/dev/null; exec \"$0\" \"$@\""))
        .arg(exe)
        .arg(PROBE_COMMAND)
        .stdin(Stdio::from(input))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let stop = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let stop = Arc::clone(&stop);
        let deadline = streaming.deadline;
        std::thread::spawn(move || watch(child, deadline, &stop))
    };
    let received = receive(BufReader::with_capacity(1 << 16, stdout), limits, streaming);
    // A child that said everything is exiting; any other is stopped if still running.
    if !matches!(received, Received::Whole(_)) {
        stop.store(true, Ordering::Relaxed);
    }
    let ended = watchdog.join().unwrap_or(Ended::Vanished);
    Some(match received {
        Received::Whole(sheets) if matches!(ended, Ended::Exited(s) if s.success()) => Ok(sheets),
        Received::Whole(_) | Received::Cut => Err(match ended {
            Ended::TimedOut => streaming.deadline.refusal(),
            _ => Refusal::OverLimit(format!(
                "la lecture de ce classeur dépasse la mémoire autorisée ({} Mio, option --max-memoire)",
                limits.max_memory_bytes / (1024 * 1024)
            )),
        }),
        Received::Refused(refusal) => Err(refusal),
    })
}

/// How the child ended.
enum Ended {
    Exited(ExitStatus),
    /// Killed when the file's time ran out.
    TimedOut,
    /// Killed because the parent stopped reading it.
    Stopped,
    /// Could not be waited for.
    Vanished,
}

/// Waits for the child, killing it when the file's time runs out or the parent is done.
fn watch(mut child: Child, deadline: Deadline, stop: &AtomicBool) -> Ended {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ended::Exited(status),
            Ok(None) => {}
            Err(_) => return Ended::Vanished,
        }
        let timed_out = deadline.passed();
        if timed_out || stop.load(Ordering::Relaxed) {
            let _ = child.kill();
            let _ = child.wait();
            return if timed_out {
                Ended::TimedOut
            } else {
                Ended::Stopped
            };
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// What the parent made of the child's output.
enum Received {
    /// Every sheet, to its end.
    Whole(Vec<SheetOutput>),
    /// The file is refused: by the child (it says why) or by the parent (a limit).
    Refused(Refusal),
    /// The output stopped short: the child died.
    Cut,
}

// The child's messages, one byte each, then their fields.
const SHEET: u8 = b'S';
const ROW: u8 = b'R';
const END_SHEET: u8 = b'E';
/// The sheet's merged ranges, before its rows (xls knows them first).
const MERGES: u8 = b'M';
const DONE: u8 = b'D';
const REFUSED: u8 = b'X';

// Cell tags.
const TEXT: u8 = 0;
const NUMBER: u8 = 1;
const BOOL: u8 = 2;
const DATE: u8 = 3;
const DATE_ISO: u8 = 4;
const ERROR: u8 = 5;

/// The output ended early, or said something no child of ours says.
struct Cut;

struct Wire<R> {
    inner: R,
    /// The longest text a cell may hold, in bytes.
    max_text: usize,
}

impl<R: Read> Wire<R> {
    fn byte(&mut self) -> Result<u8, Cut> {
        let mut b = [0u8; 1];
        self.inner.read_exact(&mut b).map_err(|_| Cut)?;
        Ok(b[0])
    }

    fn u32(&mut self) -> Result<u32, Cut> {
        let mut b = [0u8; 4];
        self.inner.read_exact(&mut b).map_err(|_| Cut)?;
        Ok(u32::from_le_bytes(b))
    }

    fn f64(&mut self) -> Result<f64, Cut> {
        let mut b = [0u8; 8];
        self.inner.read_exact(&mut b).map_err(|_| Cut)?;
        Ok(f64::from_le_bytes(b))
    }

    /// A text, `None` when longer than a cell may be.
    fn text(&mut self) -> Result<Option<String>, Cut> {
        let len = self.u32()? as usize;
        if len > self.max_text {
            return Ok(None);
        }
        let mut bytes = vec![0u8; len];
        self.inner.read_exact(&mut bytes).map_err(|_| Cut)?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// Reads the child's output into sheets, within the limits.
fn receive(input: impl Read, limits: &Limits, streaming: Streaming) -> Received {
    let mut wire = Wire {
        inner: input,
        max_text: limits.max_cell_chars.saturating_mul(4),
    };
    let mut budget = FileBudget::new(limits, streaming.deadline);
    let mut out = Vec::new();
    match receive_sheets(&mut wire, &mut budget, streaming, &mut out) {
        Ok(Ok(())) => Received::Whole(out),
        Ok(Err(refusal)) => Received::Refused(refusal),
        Err(Cut) => Received::Cut,
    }
}

fn receive_sheets(
    wire: &mut Wire<impl Read>,
    budget: &mut FileBudget,
    streaming: Streaming,
    out: &mut Vec<SheetOutput>,
) -> Result<Result<(), Refusal>, Cut> {
    let mut sheet: Option<SheetRows> = None;
    let mut cells: Vec<Cell<'static>> = Vec::new();
    let mut ordinal = 0u32;
    loop {
        match wire.byte()? {
            SHEET => {
                let name = wire.text()?.ok_or(Cut)?;
                let kind = match wire.byte()? {
                    1 => Expect::Named(SheetKind::Conventions),
                    2 => Expect::Named(SheetKind::Partenaires),
                    3 => Expect::Named(SheetKind::Indicateurs),
                    4 => Expect::WholeTable,
                    _ => Expect::ByHeader,
                };
                let ctx = ReadContext {
                    is_1904: wire.byte()? != 0,
                };
                let builder = SheetBuilder::new(&name, ordinal, kind, ctx, streaming);
                ordinal += 1;
                sheet = Some(SheetRows::new(builder));
            }
            MERGES => {
                let n = wire.u32()?;
                let mut ranges = Vec::new();
                for _ in 0..n {
                    let (first_row, first_col) = (wire.u32()?, wire.u32()?);
                    let (last_row, last_col) = (wire.u32()?, wire.u32()?);
                    ranges.push(MergedRange {
                        first_row,
                        first_col: u16::try_from(first_col).map_err(|_| Cut)?,
                        last_row,
                        last_col: u16::try_from(last_col).map_err(|_| Cut)?,
                    });
                }
                sheet.as_mut().ok_or(Cut)?.builder().merged_cells(ranges);
            }
            ROW => {
                let row = wire.u32()? as u64;
                let n = wire.u32()?;
                cells.clear();
                let mut filled = 0;
                for _ in 0..n {
                    let col = wire.u32()? as u64;
                    let Some(cell) = receive_cell(wire)? else {
                        return Ok(budget.cell_chars(usize::MAX, row).map(|_| ()));
                    };
                    if let Err(refusal) = FileBudget::in_grid(row, col) {
                        return Ok(Err(refusal));
                    }
                    if let Cell::Text(t) = &cell
                        && let Err(refusal) = budget.cell_chars(t.chars().count(), row)
                    {
                        return Ok(Err(refusal));
                    }
                    let col = col as usize;
                    if cells.len() <= col {
                        cells.resize(col + 1, Cell::Empty);
                    }
                    cells[col] = cell;
                    filled += 1;
                }
                if let Err(refusal) = budget.cells(filled) {
                    return Ok(Err(refusal));
                }
                let Some(rows) = sheet.as_mut() else {
                    return Err(Cut);
                };
                if let Err(refusal) = rows.push(budget, row, &cells, filled, 1, false) {
                    return Ok(Err(refusal));
                }
            }
            END_SHEET => out.push(sheet.take().ok_or(Cut)?.finish()),
            DONE => return Ok(Ok(())),
            REFUSED => {
                let over = wire.byte()? == 2;
                let why = wire.text()?.unwrap_or_default();
                return Ok(Err(if over {
                    Refusal::OverLimit(why)
                } else {
                    Refusal::Unreadable(why)
                }));
            }
            _ => return Err(Cut),
        }
    }
}

/// A cell as the child sent it; `None` for a text longer than a cell may be.
fn receive_cell(wire: &mut Wire<impl Read>) -> Result<Option<Cell<'static>>, Cut> {
    use std::borrow::Cow::Owned;
    Ok(Some(match wire.byte()? {
        TEXT => match wire.text()? {
            Some(t) => Cell::Text(Owned(t)),
            None => return Ok(None),
        },
        NUMBER => Cell::Number(wire.f64()?),
        BOOL => Cell::Bool(wire.byte()? != 0),
        DATE => {
            let serial = wire.f64()?;
            Cell::Date {
                serial,
                is_1904: wire.byte()? != 0,
            }
        }
        DATE_ISO => match wire.text()? {
            Some(t) => Cell::DateIso(Owned(t)),
            None => return Ok(None),
        },
        ERROR => match wire.text()? {
            Some(t) => Cell::Error(Owned(t)),
            None => return Ok(None),
        },
        _ => return Err(Cut),
    }))
}

/// The child's side: reads the xls workbook that is its standard input and writes its cells
/// to its standard output; exits 0 once it has said everything (`DONE` or `REFUSED`).
pub fn run_probe(_args: &[String]) -> std::process::ExitCode {
    // The file the parent opened and checked, as our standard input.
    let Ok(file) = std::io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(File::from)
    else {
        return std::process::ExitCode::from(2);
    };
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| send(&file, &mut out)))
        .unwrap_or_else(|_| {
            Err(Refusal::Unreadable(
                "le lecteur de classeurs a échoué sur ce fichier (fichier probablement corrompu)"
                    .into(),
            ))
        });
    let written = match sent {
        Ok(()) => out.write_all(&[DONE]),
        Err(Refusal::Unreadable(why)) => write_refusal(&mut out, 1, &why),
        Err(Refusal::OverLimit(why)) => write_refusal(&mut out, 2, &why),
    };
    match written.and_then(|_| out.flush()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(2),
    }
}

fn write_refusal(out: &mut impl Write, kind: u8, why: &str) -> std::io::Result<()> {
    out.write_all(&[REFUSED, kind])?;
    write_text(out, why)
}

fn write_text(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(&(text.len() as u32).to_le_bytes())?;
    out.write_all(text.as_bytes())
}

/// Reads the workbook and writes every sheet to read, row by row. A write error (the parent
/// stopped reading) ends the child quietly.
fn send(file: &File, out: &mut impl Write) -> Result<(), Refusal> {
    let handle = super::rewound(file).map_err(|e| {
        Refusal::Unreadable(format!("ouverture impossible ({})", crate::io_reason(&e)))
    })?;
    let mut wb: Xls<_> = Xls::new(BufReader::new(handle)).map_err(|e| match e {
        calamine::XlsError::Password => workbook::encrypted(),
        other => workbook::unreadable(other),
    })?;
    let ctx = ReadContext {
        is_1904: wb.has_1904_epoch(),
    };
    let gone = |_| Refusal::Unreadable(String::new());
    let merges = workbook::xls_merges(&wb);
    for (_, name, kind) in workbook::sheets_to_read(&wb.sheet_names())? {
        let range = wb.worksheet_range(&name).map_err(workbook::unreadable)?;
        out.write_all(&[SHEET]).map_err(gone)?;
        write_text(out, &name).map_err(gone)?;
        let kind = match kind {
            Expect::ByHeader => 0,
            Expect::Named(SheetKind::Conventions) => 1,
            Expect::Named(SheetKind::Partenaires) => 2,
            Expect::Named(SheetKind::Indicateurs) => 3,
            Expect::WholeTable => 4,
        };
        out.write_all(&[kind, ctx.is_1904 as u8]).map_err(gone)?;
        if let Some(ranges) = merges.get(&name).filter(|r| !r.is_empty()) {
            out.write_all(&[MERGES]).map_err(gone)?;
            out.write_all(&(ranges.len() as u32).to_le_bytes())
                .map_err(gone)?;
            for r in ranges {
                for n in [
                    r.first_row,
                    r.first_col.into(),
                    r.last_row,
                    r.last_col.into(),
                ] {
                    out.write_all(&u32::to_le_bytes(n)).map_err(gone)?;
                }
            }
        }
        if let Some((row0, col0)) = range.start() {
            for (i, row) in range.rows().enumerate() {
                let filled: Vec<(usize, &Data)> = row
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| !matches!(v, Data::Empty))
                    .collect();
                if filled.is_empty() {
                    continue;
                }
                out.write_all(&[ROW]).map_err(gone)?;
                out.write_all(&(row0 + i as u32).to_le_bytes())
                    .map_err(gone)?;
                out.write_all(&(filled.len() as u32).to_le_bytes())
                    .map_err(gone)?;
                for (j, value) in filled {
                    out.write_all(&(col0 + j as u32).to_le_bytes())
                        .map_err(gone)?;
                    write_cell(out, &workbook::from_data(value, ctx)).map_err(gone)?;
                }
            }
        }
        out.write_all(&[END_SHEET]).map_err(gone)?;
    }
    Ok(())
}

fn write_cell(out: &mut impl Write, cell: &Cell) -> std::io::Result<()> {
    match cell {
        Cell::Empty => write_text_cell(out, TEXT, ""),
        Cell::Text(t) => write_text_cell(out, TEXT, t),
        Cell::Number(n) => {
            out.write_all(&[NUMBER])?;
            out.write_all(&n.to_le_bytes())
        }
        Cell::Bool(b) => out.write_all(&[BOOL, *b as u8]),
        Cell::Date { serial, is_1904 } => {
            out.write_all(&[DATE])?;
            out.write_all(&serial.to_le_bytes())?;
            out.write_all(&[*is_1904 as u8])
        }
        Cell::DateIso(t) => write_text_cell(out, DATE_ISO, t),
        Cell::Error(t) => write_text_cell(out, ERROR, t),
        // calamine's xls reader, the only one the child runs, never gives one.
        Cell::FormulaWithoutValue(_) => write_text_cell(out, TEXT, ""),
    }
}

fn write_text_cell(out: &mut impl Write, tag: u8, text: &str) -> std::io::Result<()> {
    out.write_all(&[tag])?;
    write_text(out, text)
}
