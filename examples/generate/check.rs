//! Self-checks: the sample obeys the contract's rules (DESIGN §3–§5), and the files read back
//! with calamine / the csv crate give exactly the values that were written.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::csvout::Encoding;
use crate::ident;
use crate::model::ptype;
use crate::model::*;
use crate::sample::{Sample, Sub};
use crate::sample_files::{FILES, Format, dialect, tables_of};
use crate::table::{Cell, Table, cell_text};

/// Yearly targets of the referential (`templates/referentiel.toml` on branch main):
/// indicator code, targets 2018..2021.
const TARGETS: [(&str, [i64; 4]); 10] = [
    ("OS1-I1", [5, 5, 5, 5]),
    ("OS1-I2", [8, 10, 10, 12]),
    ("OS1-I3", [900_000, 950_000, 1_000_000, 1_000_000]),
    ("OS2-I1", [25, 30, 30, 35]),
    ("OS2-I2", [200, 220, 240, 260]),
    ("OS2-I3", [1500, 1800, 2000, 2200]),
    ("OS3-I1", [50, 50, 50, 50]),
    ("OS3-I2", [4, 4, 4, 3]),
    ("OS3-I3", [300, 320, 340, 360]),
    ("OS3-I4", [1800, 1900, 2000, 2100]),
];

/// Indicators deliberately below their target in the sample (O002): (code, year).
pub const BELOW_TARGET: [(&str, i32); 1] = [("OS1-I2", 2020)];

pub struct Report {
    pub problems: Vec<String>,
    pub lines: Vec<String>,
}

fn days(a: chrono::NaiveDate, b: chrono::NaiveDate) -> i64 {
    (b - a).num_days() + 1
}

/// Montant annualisé for year `y` in cents (DESIGN §6), as f64: only compared to targets.
fn annualised(c: &Convention, y: i32) -> f64 {
    let start = c.debut.max(date(y, 1, 1));
    let end = c.fin.min(date(y, 12, 31));
    if end < start {
        return 0.0;
    }
    c.total as f64 * days(start, end) as f64 / days(c.debut, c.fin) as f64
}

pub fn rules(s: &Sample) -> Report {
    let ds = &s.ds;
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let mut bad = |m: String| problems.push(m);

    // Ids unique across the whole set, each record in exactly one file.
    let mut ids = HashSet::new();
    for c in &ds.conventions {
        if !ids.insert(c.id.clone()) {
            bad(format!("duplicate convention id {}", c.id));
        }
    }
    let mut pids = HashSet::new();
    let mut sirets = HashSet::new();
    for p in &ds.partners {
        if !pids.insert(p.id.clone()) {
            bad(format!("duplicate partner id {}", p.id));
        }
        const TYPES: [&str; 9] = [
            ptype::ASSOCIATION,
            ptype::ENTREPRISE,
            ptype::ORG_PRO,
            ptype::ENSEIGNEMENT,
            ptype::COLLECTIVITE,
            ptype::ETAT,
            ptype::FEDERATION,
            ptype::PARC,
            ptype::AUTRE,
        ];
        if !TYPES.contains(&p.ptype) {
            bad(format!("{}: unknown type {}", p.id, p.ptype));
        }
        if let Some(x) = &p.siret {
            if x.len() != 14 || !ident::luhn_valid(x) || !ident::luhn_valid(&x[..9]) {
                bad(format!("{}: bad SIRET {x}", p.id));
            }
            if !sirets.insert(x.clone()) {
                bad(format!("{}: SIRET {x} used twice", p.id));
            }
        }
        if let Some(x) = &p.rna
            && !ident::is_rna(x)
        {
            bad(format!("{}: bad RNA {x}", p.id));
        }
        if p.ptype == ptype::ASSOCIATION
            && p.rna.is_none()
            && p.siret.is_none()
            && p.id != s.deliberate.without_identifier
        {
            bad(format!("{}: association without RNA nor SIRET", p.id));
        }
        if let Some(x) = &p.code_postal
            && (!ident::is_postal_code(x) || !["02", "59", "60", "62", "80"].contains(&&x[..2]))
        {
            bad(format!("{}: bad postal code {x}", p.id));
        }
        if let Some(x) = &p.email
            && !ident::is_email(x)
        {
            bad(format!("{}: bad e-mail {x}", p.id));
        }
        if let Some(x) = &p.telephone
            && !ident::is_phone(x)
        {
            bad(format!("{}: bad phone {x}", p.id));
        }
    }
    if s.conv_sub.len() != ds.conventions.len() || s.partner_sub.len() != ds.partners.len() {
        bad("every record must belong to exactly one file".into());
    }

    let mut used = vec![false; ds.partners.len()];
    let (start, end) = (period_start(), period_end());
    for c in &ds.conventions {
        let id = &c.id;
        for &p in &c.partners {
            used[p] = true;
        }
        if c.partners.is_empty() {
            bad(format!("{id}: no partner"));
        }
        if c.objectives.is_empty() || c.objectives.iter().any(|o| !(1..=3).contains(o)) {
            bad(format!("{id}: objectives {:?}", c.objectives));
        }
        if c.intitule.trim().is_empty() {
            bad(format!("{id}: empty title"));
        }
        let needs_parc = matches!(c.scale, Scale::Territoriale | Scale::Locale);
        if needs_parc != c.parc.is_some() {
            bad(format!(
                "{id}: parc {:?} for a {} convention",
                c.parc,
                c.scale.label()
            ));
        }
        match (c.scale, c.programme.and_then(programme)) {
            (Scale::Nationale | Scale::Europeenne, None) => {
                bad(format!("{id}: no programme"));
            }
            (Scale::Nationale | Scale::Europeenne, Some(pr)) => {
                if pr.scale != c.scale {
                    bad(format!("{id}: programme {} of another scale", pr.code));
                }
                if let Some((a, b)) = pr.dates
                    && (c.debut < a || c.fin > b)
                {
                    bad(format!("{id}: dates outside programme {}", pr.code));
                }
            }
            (_, Some(_)) => bad(format!(
                "{id}: programme on a {} convention",
                c.scale.label()
            )),
            _ => {}
        }
        if c.fin < c.debut {
            bad(format!("{id}: ends before it starts"));
        }
        if c.debut < start || c.fin > end {
            bad(format!("{id}: outside the period"));
        }
        match c.signature {
            Some(sig) if sig > c.debut && *id != s.deliberate.signed_late => {
                bad(format!("{id}: signed after it started"));
            }
            None if c.status != Status::Projet && c.total > 2_300_000 => {
                bad(format!("{id}: above 23 000 € and not signed"));
            }
            Some(_) if c.status == Status::Projet => bad(format!("{id}: a signed project")),
            _ => {}
        }
        let parts = c.region + c.europe.unwrap_or(0) + c.autres.unwrap_or(0);
        if parts > c.total || c.region < 0 || c.total <= 0 {
            bad(format!("{id}: parts {parts} above total {}", c.total));
        }
        if c.europe.is_some() != (c.scale == Scale::Europeenne) {
            bad(format!(
                "{id}: part_europe on a {} convention",
                c.scale.label()
            ));
        }
        let expected_status = match c.status {
            Status::Projet | Status::Resiliee => c.status,
            _ => Status::from_end(c.fin),
        };
        if c.status != expected_status {
            bad(format!(
                "{id}: status {} with end {}",
                c.status.label(),
                c.fin
            ));
        }
        let (lo, hi) = match c.scale {
            Scale::Regionale => (200_000_000, 400_000_000),
            Scale::Territoriale => (5_000_000, 40_000_000),
            Scale::Locale => (200_000, 2_200_000),
            Scale::Nationale | Scale::Europeenne => (1_000_000, 25_000_000),
        };
        if !(lo..=hi).contains(&c.total) {
            bad(format!("{id}: amount {} outside {lo}..{hi} cents", c.total));
        }
        if c.scale == Scale::Locale
            && !c
                .partners
                .iter()
                .any(|&p| ptype::is_local_actor(ds.partners[p].ptype))
        {
            bad(format!("{id}: local convention without a local actor"));
        }
    }
    for (p, u) in ds.partners.iter().zip(&used) {
        if !u {
            bad(format!("{}: partner used by no convention", p.id));
        }
    }

    // Year rules: ≥ 50 associations at local scale, member parcs, objectives.
    for y in YEARS {
        let associations: BTreeSet<usize> = ds
            .conventions
            .iter()
            .filter(|c| c.scale == Scale::Locale && c.active_in(y))
            .flat_map(|c| c.partners.iter().copied())
            .filter(|&p| ds.partners[p].ptype == ptype::ASSOCIATION)
            .collect();
        lines.push(format!(
            "{y}: {} associations in active local conventions, {} active conventions",
            associations.len(),
            ds.conventions.iter().filter(|c| c.active_in(y)).count()
        ));
        if associations.len() < 50 {
            bad(format!(
                "{y}: only {} local associations",
                associations.len()
            ));
        }
        for (code, _, member) in PARCS {
            if member
                && !ds.conventions.iter().any(|c| {
                    c.scale == Scale::Territoriale && c.parc == Some(code) && c.active_in(y)
                })
            {
                bad(format!(
                    "{y}: member parc {code} without territorial convention"
                ));
            }
        }
        for o in 1..=3u8 {
            if !ds
                .conventions
                .iter()
                .any(|c| c.active_in(y) && c.objectives.contains(&o))
            {
                bad(format!("{y}: OS{o} without an active convention"));
            }
        }
    }

    // Indicators against the referential's targets.
    for (code, targets) in TARGETS {
        let mut row = format!("{code:7}");
        for (k, y) in YEARS.into_iter().enumerate() {
            let active = || ds.conventions.iter().filter(move |c| c.active_in(y));
            let value: f64 = match code {
                "OS1-I1" => active().filter(|c| c.scale == Scale::Territoriale).count() as f64,
                "OS1-I3" => {
                    active()
                        .filter(|c| c.objectives.contains(&1))
                        .map(|c| annualised(c, y) / c.objectives.len() as f64)
                        .sum::<f64>()
                        / 100.0
                }
                "OS2-I1" => active().filter(|c| c.objectives.contains(&2)).count() as f64,
                "OS3-I1" => active()
                    .flat_map(|c| c.partners.iter().copied())
                    .filter(|&p| ds.partners[p].ptype == ptype::ASSOCIATION)
                    .collect::<BTreeSet<_>>()
                    .len() as f64,
                "OS3-I2" => active()
                    .filter(|c| matches!(c.scale, Scale::Nationale | Scale::Europeenne))
                    .count() as f64,
                _ => {
                    ds.indicators
                        .iter()
                        .filter(|v| v.code == code && v.annee == y)
                        .map(|v| v.valeur_centi)
                        .sum::<i64>() as f64
                        / 100.0
                }
            };
            let below = value < targets[k] as f64;
            row.push_str(&format!(
                "  {y}: {value:>10.0} / {:<8}{}",
                targets[k],
                if below { " <" } else { "  " }
            ));
            if below != BELOW_TARGET.contains(&(code, y)) {
                bad(format!(
                    "{code} {y}: {value:.0} against target {} (deliberate: {})",
                    targets[k],
                    BELOW_TARGET.contains(&(code, y))
                ));
            }
        }
        lines.push(row);
    }
    for v in &ds.indicators {
        if !TARGETS.iter().any(|(c, _)| *c == v.code) || !YEARS.contains(&v.annee) {
            bad(format!("unknown indicator or year {} {}", v.code, v.annee));
        }
    }

    let associations = ds
        .partners
        .iter()
        .filter(|p| p.ptype == ptype::ASSOCIATION)
        .count();
    if ds.partners.len() < 60 || associations < 50 {
        bad(format!(
            "{} partners, {associations} associations",
            ds.partners.len()
        ));
    }
    let mut per_scale: BTreeMap<Scale, usize> = BTreeMap::new();
    for c in &ds.conventions {
        *per_scale.entry(c.scale).or_default() += 1;
    }
    lines.insert(
        0,
        format!(
            "{} conventions ({}), {} partners ({associations} associations), {} indicator values",
            ds.conventions.len(),
            per_scale
                .iter()
                .map(|(s, n)| format!("{} {n}", s.label()))
                .collect::<Vec<_>>()
                .join(", "),
            ds.partners.len(),
            ds.indicators.len()
        ),
    );
    Report { problems, lines }
}

// ----- read-back -----

fn same(written: &Cell, read: &Data, ods: bool) -> bool {
    match (written, read) {
        (Cell::Empty, Data::Empty) => true,
        (Cell::Empty, Data::String(s)) => s.is_empty(),
        (Cell::Text(a), Data::String(b)) => a == b,
        (Cell::Date(d), Data::DateTime(x)) if !ods => {
            x.is_datetime() && x.as_datetime().map(|t| t.date()) == Some(*d)
        }
        (Cell::Date(d), Data::DateTimeIso(s)) if ods => *s == d.format("%Y-%m-%d").to_string(),
        (Cell::Money(c), Data::Float(f)) => (f * 100.0 - *c as f64).abs() < 0.5,
        (Cell::Centi(c), Data::Float(f)) => (f * 100.0 - *c as f64).abs() < 0.5,
        (Cell::Int(i), Data::Float(f)) => (*f - *i as f64).abs() < 1e-9,
        (Cell::Int(i), Data::Int(j)) => i == j,
        _ => false,
    }
}

fn compare_sheet(
    file: &str,
    t: &Table,
    rows: &[Vec<Data>],
    ods: bool,
    problems: &mut Vec<String>,
) -> usize {
    let h = t.header_row();
    if let Some(title) = &t.title
        && rows.first().and_then(|r| r.first()) != Some(&Data::String(title.clone()))
    {
        problems.push(format!("{file} {}: title row missing", t.sheet));
    }
    let header: Vec<String> = rows
        .get(h)
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .unwrap_or_default();
    if header[..t.header.len().min(header.len())] != t.header[..] {
        problems.push(format!(
            "{file} {}: header {header:?}, expected {:?}",
            t.sheet, t.header
        ));
    }
    let data = &rows[(h + 1).min(rows.len())..];
    if data.len() != t.rows.len() {
        problems.push(format!(
            "{file} {}: {} data rows read, {} written",
            t.sheet,
            data.len(),
            t.rows.len()
        ));
    }
    let mut dates = 0;
    for (r, (w, got)) in t.rows.iter().zip(data).enumerate() {
        for (c, cell) in w.iter().enumerate() {
            let read = got.get(c).cloned().unwrap_or(Data::Empty);
            if matches!(read, Data::DateTime(_) | Data::DateTimeIso(_)) {
                dates += 1;
            }
            if !same(cell, &read, ods) {
                problems.push(format!(
                    "{file} {} row {} col {}: wrote {cell:?}, read {read:?}",
                    t.sheet,
                    h + r + 2,
                    c + 1
                ));
            }
        }
    }
    dates
}

/// Opens every file of the sample as a user's tool would, and compares it with what was meant.
pub fn read_back(dir: &Path, s: &Sample) -> Report {
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    for f in &FILES {
        let path = dir.join(f.name);
        let tables = tables_of(s, f);
        match f.format {
            Format::Xlsx | Format::Ods => {
                let ods = f.format == Format::Ods;
                let mut wb = match open_workbook_auto(&path) {
                    Ok(wb) => wb,
                    Err(e) => {
                        problems.push(format!("{}: {e}", f.name));
                        continue;
                    }
                };
                let names = wb.sheet_names();
                let expected: Vec<&str> = tables.iter().map(|t| t.sheet).collect();
                if names != expected {
                    problems.push(format!(
                        "{}: sheets {names:?}, expected {expected:?}",
                        f.name
                    ));
                }
                let mut summary = Vec::new();
                for t in &tables {
                    let range = match wb.worksheet_range(t.sheet) {
                        Ok(r) => r,
                        Err(e) => {
                            problems.push(format!("{} {}: {e}", f.name, t.sheet));
                            continue;
                        }
                    };
                    // Rows as the user sees them, from row 1 (the range starts at its first cell).
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    let mut rows: Vec<Vec<Data>> = vec![Vec::new(); r0 as usize];
                    for r in range.rows() {
                        let mut v = vec![Data::Empty; c0 as usize];
                        v.extend(r.iter().cloned());
                        rows.push(v);
                    }
                    let dates = compare_sheet(f.name, t, &rows, ods, &mut problems);
                    summary.push(format!(
                        "{} {} rows ({dates} date cells)",
                        t.sheet,
                        t.rows.len()
                    ));
                }
                lines.push(format!("{}: {}", f.name, summary.join(", ")));
            }
            Format::Csv(enc) => {
                let bytes = match std::fs::read(&path) {
                    Ok(b) => b,
                    Err(e) => {
                        problems.push(format!("{}: {e}", f.name));
                        continue;
                    }
                };
                let text = match enc {
                    Encoding::Windows1252 => {
                        if std::str::from_utf8(&bytes).is_ok() {
                            problems.push(format!("{}: expected Windows-1252 bytes", f.name));
                        }
                        encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
                    }
                    Encoding::Utf8Bom => {
                        let has_bom = bytes.starts_with(b"\xEF\xBB\xBF");
                        if !has_bom {
                            problems.push(format!("{}: no BOM", f.name));
                        }
                        String::from_utf8_lossy(&bytes[if has_bom { 3 } else { 0 }..]).into_owned()
                    }
                };
                if !text.contains("\r\n") || text.replace("\r\n", "").contains('\n') {
                    problems.push(format!("{}: line ends are not CRLF", f.name));
                }
                let t = &tables[0];
                let d = dialect(f.sub);
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(b';')
                    .has_headers(false)
                    .from_reader(text.as_bytes());
                let records: Vec<Vec<String>> = reader
                    .records()
                    .filter_map(Result::ok)
                    .map(|r| r.iter().map(str::to_string).collect())
                    .collect();
                if records.first() != Some(&t.header) {
                    problems.push(format!("{}: header {:?}", f.name, records.first()));
                }
                if records.len() != t.rows.len() + 1 {
                    problems.push(format!(
                        "{}: {} records for {} rows",
                        f.name,
                        records.len(),
                        t.rows.len()
                    ));
                }
                for (w, got) in t.rows.iter().zip(records.iter().skip(1)) {
                    let expected: Vec<String> =
                        w.iter().map(|c| cell_text(c, d.dates, d.money)).collect();
                    if &expected != got {
                        problems.push(format!("{}: {got:?} != {expected:?}", f.name));
                    }
                }
                lines.push(format!(
                    "{}: {} {} rows, {:?}",
                    f.name,
                    t.sheet,
                    t.rows.len(),
                    match enc {
                        Encoding::Windows1252 => "Windows-1252",
                        Encoding::Utf8Bom => "UTF-8 with BOM",
                    }
                ));
            }
        }
    }
    // Every partner referenced by a file is defined exactly once in the set.
    let mut defined: HashMap<&str, Sub> = HashMap::new();
    for (p, sub) in s.ds.partners.iter().zip(&s.partner_sub) {
        defined.insert(&p.id, *sub);
    }
    for c in &s.ds.conventions {
        for &p in &c.partners {
            if !defined.contains_key(s.ds.partners[p].id.as_str()) {
                problems.push(format!("{}: partner {} defined nowhere", c.id, p));
            }
        }
    }
    Report { problems, lines }
}
