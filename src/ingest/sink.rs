//! Where the rows of a sheet go as they are read (ripgrep's `Sink` is the model): a reader
//! types each row, gathers rows into chunks, keeps their small cores and hands every chunk
//! of full rows to the sink, which sees them before they are dropped. The command that reads
//! decides what a sink does (run the row checks, nothing at all); ingest knows nothing of
//! checks.

use std::sync::mpsc::{SyncSender, sync_channel};

use crate::model::{RowChunk, SheetAt, SheetId};

pub trait RowSink: Sync {
    /// Takes one chunk of full rows of `sheet`; called for every chunk, in the order of the
    /// sheet's rows, from the thread reading the file or the one checking it (`pipelined`);
    /// files are read in parallel.
    fn chunk(&self, sheet: SheetAt, rows: &RowChunk);
}

/// Reads only.
impl RowSink for () {
    fn chunk(&self, _: SheetAt, _: &RowChunk) {}
}

/// Chunks waiting for the checking thread: with `CHUNK_ROWS` rows each, a few megabytes.
const CHUNKS_IN_FLIGHT: usize = 2;

/// The reading side of a pipeline: hands each chunk, with where its sheet is, to the thread
/// that runs the sink (see `pipelined`).
pub struct Handoff {
    tx: SyncSender<(OwnedSheetAt, RowChunk)>,
}

impl Handoff {
    /// Sends the chunk; waits while `CHUNKS_IN_FLIGHT` are waiting. A checking thread that
    /// has died is noticed when the pipeline ends (the file is then refused, F001).
    pub fn send(&self, sheet: SheetAt, rows: RowChunk) {
        let _ = self.tx.send((OwnedSheetAt::of(sheet), rows));
    }
}

/// `SheetAt` as a chunk carries it to another thread.
struct OwnedSheetAt {
    id: SheetId,
    file: String,
    name: String,
    header_row: Option<u32>,
    headers: Vec<String>,
}

impl OwnedSheetAt {
    fn of(at: SheetAt) -> Self {
        OwnedSheetAt {
            id: at.id,
            file: at.file.to_string(),
            name: at.name.to_string(),
            header_row: at.header_row,
            headers: at.headers.to_vec(),
        }
    }

    fn at(&self) -> SheetAt<'_> {
        SheetAt {
            id: self.id,
            file: &self.file,
            name: &self.name,
            header_row: self.header_row,
            headers: &self.headers,
        }
    }
}

/// Runs `read` with a thread of its own running `sink` on the chunks `read` hands off: one
/// core reads and types while the other checks, a bounded channel between them. The sink
/// must not wait on rayon's pool there (the reader may hold a worker of that pool while it
/// waits for the channel): the row checks run one after the other on this thread. When no
/// thread can be had, `read` hands its chunks to the sink itself (`None`).
///
/// A panic of the checking thread comes back as a panic here, once `read` is done: the
/// caller's guard refuses the file as it would for a panic of the reader.
pub fn pipelined<R>(sink: &dyn RowSink, read: impl FnOnce(Option<&Handoff>) -> R) -> R {
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<(OwnedSheetAt, RowChunk)>(CHUNKS_IN_FLIGHT);
        let checking = std::thread::Builder::new()
            .name("enrx-checks".into())
            .spawn_scoped(scope, move || {
                for (at, rows) in rx {
                    sink.chunk(at.at(), &rows);
                }
            });
        match checking {
            // The handoff is dropped as `read` returns: the thread ends with the last chunk,
            // and the scope waits for it.
            Ok(_) => read(Some(&Handoff { tx })),
            Err(_) => read(None),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Partner, SheetId};
    use std::sync::Mutex;

    /// Remembers the chunks it is given: their sheet and first row, in order, and the thread.
    #[derive(Default)]
    struct Seen(Mutex<Vec<(String, u32, std::thread::ThreadId)>>);

    impl RowSink for Seen {
        fn chunk(&self, sheet: SheetAt, rows: &RowChunk) {
            let first = rows.partners.first().map_or(0, |p| p.origin.row);
            let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
            seen.push((sheet.name.to_string(), first, std::thread::current().id()));
        }
    }

    fn chunk(first_row: u32) -> RowChunk {
        let mut rows = RowChunk::default();
        for row in first_row..first_row + 3 {
            let mut p = Partner::default();
            p.origin.row = row;
            rows.partners.push(p);
        }
        rows
    }

    fn at(name: &str) -> SheetAt<'_> {
        SheetAt {
            id: SheetId::new(0, 0),
            file: "f.xlsx",
            name,
            header_row: Some(1),
            headers: &[],
        }
    }

    #[test]
    fn chunks_reach_the_sink_in_order_on_another_thread() {
        let seen = Seen::default();
        let reader = std::thread::current().id();
        let answer = pipelined(&seen, |handoff| {
            let handoff = handoff.expect("a thread");
            for first in [2, 5, 8, 11] {
                handoff.send(at("Partenaires"), chunk(first));
            }
            42
        });
        assert_eq!(answer, 42);
        let seen = seen.0.into_inner().unwrap();
        let firsts: Vec<u32> = seen.iter().map(|s| s.1).collect();
        assert_eq!(firsts, [2, 5, 8, 11], "every chunk, in the sheet's order");
        assert!(seen.iter().all(|s| s.0 == "Partenaires" && s.2 != reader));
    }

    struct Panics;

    impl RowSink for Panics {
        fn chunk(&self, _: SheetAt, _: &RowChunk) {
            panic!("a check that fails");
        }
    }

    #[test]
    fn a_panic_of_the_checks_comes_back_to_the_reader() {
        let caught = std::panic::catch_unwind(|| {
            pipelined(&Panics, |handoff| {
                let handoff = handoff.expect("a thread");
                // The reader goes on to the end of its file: no deadlock once the thread died.
                for first in 0..10 {
                    handoff.send(at("Partenaires"), chunk(first * 3));
                }
            })
        });
        assert!(caught.is_err(), "the file's guard sees the panic (F001)");
    }
}
