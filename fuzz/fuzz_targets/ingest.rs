//! Fuzzes the ingest layer on the formats read in-process (CSV, xlsx): the first byte picks
//! the file name, the rest is the file. xls and ods are read in an isolated child process in
//! production, so a calamine abort there costs one file, not the run.

#![no_main]

use libfuzzer_sys::fuzz_target;

use enrx::ingest::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let name = match selector % 4 {
        0 => "conventions.csv",
        1 => "partenaires.csv",
        2 => "depot.csv",
        _ => "depot.xlsx",
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("write");
    let limits = Limits {
        max_rows: 10_000,
        max_cells: 200_000,
        max_unzipped_bytes: 16 * 1024 * 1024,
        ..Limits::default()
    };
    let referential = enrx::model::Referential::parse(enrx::model::referential::BUILT_IN, "intégré")
        .expect("built-in referential");
    // The whole path `validate` takes: reading with the row checks as the sink, then the others.
    let Ok(found) = enrx::ingest::discover::discover(&[path], &Default::default()) else {
        return;
    };
    let _ = enrx::commands::common::check(
        found,
        true,
        &referential,
        2020,
        &limits,
        selector % 8 >= 4,
    );
});
