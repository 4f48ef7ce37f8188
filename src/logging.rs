//! Log lines on stderr, filtered by `RUST_LOG` (`error`, `warn`, `info`, `debug`, `trace`;
//! default `warn`), for the administrator who reads cron's mail. Diagnostics are not logs:
//! they go to stdout or to the output files.

use log::{Level, LevelFilter, Log, Metadata, Record};

struct StderrLogger {
    level: LevelFilter,
}

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= self.level
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = match record.level() {
            Level::Error => "erreur",
            Level::Warn => "attention",
            Level::Info => "info",
            Level::Debug => "débogage",
            Level::Trace => "trace",
        };
        let time = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S");
        eprintln!(
            "{time} enrx [{level}] {}: {}",
            record.target(),
            record.args()
        );
    }

    fn flush(&self) {}
}

/// The level `RUST_LOG` asks for; only a plain level is understood (`info`, `debug`…).
fn level_from(value: Option<&str>) -> LevelFilter {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("off") => LevelFilter::Off,
        Some("error") => LevelFilter::Error,
        Some("info") => LevelFilter::Info,
        Some("debug") => LevelFilter::Debug,
        Some("trace") => LevelFilter::Trace,
        _ => LevelFilter::Warn,
    }
}

pub fn init() {
    let level = level_from(std::env::var("RUST_LOG").ok().as_deref());
    if log::set_boxed_logger(Box::new(StderrLogger { level })).is_ok() {
        log::set_max_level(level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level_from(None), LevelFilter::Warn);
        assert_eq!(level_from(Some("INFO")), LevelFilter::Info);
        assert_eq!(level_from(Some("debug")), LevelFilter::Debug);
        assert_eq!(level_from(Some("n'importe quoi")), LevelFilter::Warn);
    }
}
