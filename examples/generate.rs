//! Deterministic generator of fictional enrx input data (no network, no new dependency).
//!
//! ```text
//! cargo run --release --example generate -- sample input
//! cargo run --release --example generate -- bench bench-data --rows 1000000 [--check]
//! cargo run --release --example generate -- submissions bench-data/submissions --count 50 --rows 300
//! cargo test --example generate
//! ```
//!
//! `sample` writes the realistic data set the main job runs on (committed as `input/`), then
//! checks it against the contract's rules and reads every file back (calamine, csv).
//! `bench` and `submissions` write valid synthetic data for benchmarks.

#[path = "generate/bulk.rs"]
mod bulk;
#[path = "generate/check.rs"]
mod check;
#[path = "generate/csvout.rs"]
mod csvout;
#[path = "generate/ident.rs"]
mod ident;
#[path = "generate/model.rs"]
mod model;
#[path = "generate/names.rs"]
mod names;
#[path = "generate/ods.rs"]
mod ods;
#[path = "generate/rng.rs"]
mod rng;
#[path = "generate/sample.rs"]
mod sample;
#[path = "generate/sample_files.rs"]
mod sample_files;
#[path = "generate/table.rs"]
mod table;
#[path = "generate/xlsx.rs"]
mod xlsx;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "\
usage: generate sample <dir>
       generate bench <dir> --rows N [--check]
       generate submissions <dir> [--count 50] [--rows 300]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::from(2)
        }
    }
}

fn option(args: &[String], name: &str, default: Option<usize>) -> Result<usize> {
    match args.iter().position(|a| a == name) {
        Some(i) => {
            let v = args
                .get(i + 1)
                .ok_or_else(|| format!("{name} needs a value"))?;
            Ok(v.replace(['_', ' '], "").parse()?)
        }
        None => default.ok_or_else(|| format!("{name} is required\n{USAGE}").into()),
    }
}

fn run(args: &[String]) -> Result<()> {
    let (mode, dir) = match args {
        [mode, dir, ..] if !dir.starts_with("--") => (mode.as_str(), PathBuf::from(dir)),
        _ => return Err(USAGE.into()),
    };
    let rest = &args[2..];
    let started = Instant::now();
    let written = match mode {
        "sample" => sample_mode(&dir)?,
        "bench" => {
            let rows = option(rest, "--rows", None)?;
            let written = bulk::bench(&dir, rows)?;
            if rest.iter().any(|a| a == "--check") {
                let problems = bulk::check_bench(&dir, rows)?;
                if !problems.is_empty() {
                    return Err(format!("read-back:\n{}", problems.join("\n")).into());
                }
            }
            written
        }
        "submissions" => bulk::submissions(
            &dir,
            option(rest, "--count", Some(50))?,
            option(rest, "--rows", Some(300))?,
        )?,
        _ => return Err(USAGE.into()),
    };
    report(&written, started);
    Ok(())
}

fn report(written: &[PathBuf], started: Instant) {
    let mut total = 0u64;
    for p in written {
        let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        total += size;
        if written.len() <= 12 {
            println!("{:>12} octets  {}", size, p.display());
        }
    }
    println!(
        "{} fichier(s), {} octets, en {:.2} s",
        written.len(),
        total,
        started.elapsed().as_secs_f64()
    );
}

fn sample_mode(dir: &Path) -> Result<Vec<PathBuf>> {
    let s = sample::build();
    let rules = check::rules(&s);
    for l in &rules.lines {
        println!("{l}");
    }
    if !rules.problems.is_empty() {
        for p in &rules.problems {
            eprintln!("rule: {p}");
        }
        return Err(format!("{} rule problems; nothing written", rules.problems.len()).into());
    }
    let written = sample_files::write_all(dir, &s)?;
    let back = check::read_back(dir, &s);
    for l in &back.lines {
        println!("lu : {l}");
    }
    if !back.problems.is_empty() {
        for p in back.problems.iter().take(30) {
            eprintln!("read-back: {p}");
        }
        return Err(format!("{} read-back problems", back.problems.len()).into());
    }
    println!(
        "avertissements voulus : D005 sur {}, V006 sur {}, O002 sur {:?}",
        s.deliberate.signed_late,
        s.deliberate.without_identifier,
        check::BELOW_TARGET
    );
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_obeys_the_rules() {
        let s = sample::build();
        let r = check::rules(&s);
        assert!(r.problems.is_empty(), "{:#?}", r.problems);
        assert!(s.ds.conventions.len() >= 140 && s.ds.conventions.len() <= 170);
    }

    #[test]
    fn sample_is_deterministic() {
        let a = sample::build();
        let b = sample::build();
        let key = |s: &sample::Sample| {
            s.ds.conventions
                .iter()
                .map(|c| format!("{c:?}"))
                .chain(s.ds.partners.iter().map(|p| format!("{p:?}")))
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&a), key(&b));
    }

    #[test]
    fn sample_files_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = sample::build();
        sample_files::write_all(dir.path(), &s).unwrap();
        let r = check::read_back(dir.path(), &s);
        assert!(r.problems.is_empty(), "{:#?}", r.problems);
    }

    #[test]
    fn bench_files_read_back() {
        let dir = tempfile::tempdir().unwrap();
        bulk::bench(dir.path(), 3_000).unwrap();
        let problems = bulk::check_bench(dir.path(), 3_000).unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn synthetic_rows_are_valid() {
        use model::*;
        let pool = bulk::Pool {
            count: 400,
            with_parcs: true,
            global_offset: 0,
            id_prefix: "P-".into(),
            id_width: 6,
        };
        let mix = bulk::Mix {
            scales: &bulk::BENCH_MIX,
            parc: None,
            from: period_start(),
        };
        let mut rng = rng::Rng::new(3);
        let mut sirets = std::collections::HashSet::new();
        for j in 0..pool.count {
            let p = pool.partner(j);
            if let Some(s) = &p.siret {
                assert!(ident::luhn_valid(s) && sirets.insert(s.clone()), "{s}");
            }
            assert!(p.rna.is_some() || p.siret.is_some() || p.ptype != ptype::ASSOCIATION);
            assert!(p.email.as_deref().is_none_or(ident::is_email));
            assert!(p.telephone.as_deref().is_none_or(ident::is_phone));
        }
        for i in 0..20_000 {
            let c = bulk::convention(&mut rng, &|y| format!("C-{y}-{i}"), &pool, i % 400, &mix);
            assert!(c.debut <= c.fin && c.debut >= period_start() && c.fin <= period_end());
            assert!(c.region + c.europe.unwrap_or(0) + c.autres.unwrap_or(0) <= c.total);
            assert!(c.signature.is_none_or(|s| s <= c.debut));
            if let Some((a, b)) = c.programme.and_then(programme).and_then(|p| p.dates) {
                assert!(a <= c.debut && c.fin <= b, "{c:?}");
            }
            if c.scale == Scale::Locale {
                assert!(c.total <= 2_200_000);
                assert!(
                    c.partners
                        .iter()
                        .any(|&j| ptype::is_local_actor(pool.ptype(j)))
                );
            }
            assert_eq!(
                c.parc.is_some(),
                matches!(c.scale, Scale::Locale | Scale::Territoriale)
            );
            if !matches!(c.status, Status::Projet | Status::Resiliee | Status::Signee) {
                assert_eq!(c.status, Status::from_end(c.fin));
            }
        }
    }
}
