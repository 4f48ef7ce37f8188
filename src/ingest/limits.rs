//! Resource limits: a hostile or accidental file gets F002, never an out-of-memory or a hang.

use std::io::Read;
use std::time::{Duration, Instant};

/// Limits per file; each can be raised on the command line.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_file_bytes: u64,
    /// Data rows per file.
    pub max_rows: usize,
    /// Cells per file (rows × columns actually read).
    pub max_cells: u64,
    /// Total decompressed size of an xlsx/ods archive, checked before parsing.
    pub max_unzipped_bytes: u64,
    /// Characters in one cell (Excel's own limit is 32 767).
    pub max_cell_chars: usize,
    /// Address space of the child process that reads an xls workbook.
    pub max_memory_bytes: u64,
    /// Time reading one file may take (`--max-duree`; zero: no limit), child process included.
    pub max_duration: Duration,
    /// A zip member may not inflate past this many times its compressed size
    /// (`--max-expansion`; 0: no limit).
    pub max_expansion: u64,
    /// Diagnostics of one code kept per file (`--max-anomalies`; 0 keeps every one). Not
    /// read by ingest: the checks' collector bounds what it keeps with it.
    pub max_anomalies: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_rows: 2_000_000,
            max_cells: 60_000_000,
            max_unzipped_bytes: 2 * 1024 * 1024 * 1024,
            max_cell_chars: 32_767,
            // An xls holds at most 65 536 rows × 256 columns.
            max_memory_bytes: 512 * 1024 * 1024,
            max_duration: Duration::from_secs(30),
            max_expansion: 100,
            max_anomalies: 1000,
        }
    }
}

/// Excel's grid: a cell past it is a crafted file.
pub const MAX_EXCEL_ROWS: u32 = 1_048_576;
pub const MAX_EXCEL_COLUMNS: u32 = 16_384;

/// Why a file is refused before or while it is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// F001, with a French reason.
    Unreadable(String),
    /// F002, with a French reason.
    OverLimit(String),
}

/// When reading one file must be over (`Limits::max_duration`, from when it was opened):
/// checked between chunks of rows and inside the readers' loops.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Option<Instant>,
    limit: Duration,
}

impl Deadline {
    /// No deadline (tests, tools).
    pub const NONE: Deadline = Deadline {
        at: None,
        limit: Duration::ZERO,
    };

    /// `limits.max_duration` from now.
    pub fn start(limits: &Limits) -> Self {
        let limit = limits.max_duration;
        Deadline {
            at: (!limit.is_zero()).then(|| Instant::now() + limit),
            limit,
        }
    }

    pub fn passed(&self) -> bool {
        self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// What is left of the time (`None`: no limit).
    pub fn remaining(&self) -> Option<Duration> {
        self.at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// F002 once the time is over.
    pub fn check(&self) -> Result<(), Refusal> {
        if self.passed() {
            Err(self.refusal())
        } else {
            Ok(())
        }
    }

    pub fn refusal(&self) -> Refusal {
        Refusal::OverLimit(format!(
            "lecture interrompue au bout de {} s (option --max-duree)",
            self.limit.as_secs()
        ))
    }
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} Mio", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

/// Looks inside a zip-based workbook (xlsx, xlsm, xlsb, ods) before calamine does:
/// entry count, declared decompressed sizes, and the shared-strings count that calamine
/// would allocate up front.
pub fn precheck_zip(file: &std::fs::File, limits: &Limits) -> Result<(), Refusal> {
    let file = super::rewound(file).map_err(|e| {
        Refusal::Unreadable(format!("ouverture impossible ({})", crate::io_reason(&e)))
    })?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|_| {
        Refusal::Unreadable("archive du classeur illisible (fichier tronqué ou corrompu)".into())
    })?;
    if archive.has_duplicate_names() {
        // Which of the two a reader takes is anyone's guess.
        return Err(Refusal::Unreadable(
            "deux éléments de l'archive portent le même nom : classeur corrompu ou piégé".into(),
        ));
    }
    if archive.len() > 10_000 {
        return Err(Refusal::OverLimit(format!(
            "l'archive contient {} éléments (limite 10 000)",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut sst: Option<(usize, u64)> = None;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| Refusal::Unreadable("archive du classeur corrompue".into()))?;
        total = total.saturating_add(entry.size());
        if entry
            .name()
            .is_ok_and(|n| n.eq_ignore_ascii_case("xl/sharedStrings.xml"))
        {
            sst = Some((i, entry.size()));
        }
    }
    if total > limits.max_unzipped_bytes {
        return Err(Refusal::OverLimit(format!(
            "le classeur décompressé ferait {} (limite {}, option --max-decompresse)",
            mib(total),
            mib(limits.max_unzipped_bytes)
        )));
    }
    if let Some((index, size)) = sst {
        let mut head = Vec::with_capacity(4096);
        if let Ok(entry) = archive.by_index(index) {
            let _ = entry.take(4096).read_to_end(&mut head);
        }
        let head = String::from_utf8_lossy(&head);
        // Each shared string takes at least `<si><t/></si>` (12 bytes): a larger count is a lie
        // that would make calamine reserve memory for it.
        let plausible = size / 12 + 16;
        if let Some(n) = attribute_number(&head, "uniqueCount=\"")
            && n > plausible
        {
            return Err(Refusal::OverLimit(format!(
                "la table des textes partagés annonce {n} textes pour {size} octets"
            )));
        }
    }
    Ok(())
}

fn attribute_number(xml: &str, attr: &str) -> Option<u64> {
    let start = xml.find(attr)? + attr.len();
    let digits: String = xml[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attribute_numbers() {
        let xml = r#"<sst xmlns="x" count="12" uniqueCount="1000000000">"#;
        assert_eq!(attribute_number(xml, "uniqueCount=\""), Some(1_000_000_000));
        assert_eq!(attribute_number(xml, "nothing=\""), None);
    }
}
