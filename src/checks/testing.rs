//! Small data sets for the rules' unit tests: one file, one sheet per kind, rows in order.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Check, Context, Diagnostic, RowContext, Rule};
use crate::model::schema::{convention, indicator, partner};
use crate::model::{
    Convention, ConventionCore, ConventionLinks, ConventionTexts, DataSet, Echelle, Field,
    FileStatus, IndicatorValue, Origin, Parsed, Partner, PartnerCore, PartnerType, Referential,
    RowChunk, SheetId, SheetInfo, SheetKind, SourceFile, Statut,
};

pub fn referential() -> Referential {
    Referential::parse(crate::model::referential::BUILT_IN, "intégré")
        .expect("built-in referential")
}

pub fn ok<T>(col: u16, v: T) -> Field<T> {
    Field::new(Some(col), Parsed::Ok(v))
}

pub fn text(col: u16, s: &str) -> Field<crate::model::Text> {
    ok(col, s.into())
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn money(s: &str) -> Decimal {
    s.parse().expect("test amount")
}

/// A field at its column of the schema.
fn at<T, R>(
    column: &crate::model::schema::Column<R>,
    columns: &[&crate::model::schema::Column<R>],
    v: Parsed<T>,
) -> Field<T> {
    let col = columns
        .iter()
        .position(|c| std::ptr::eq(*c, column))
        .expect("a schema column");
    Field::new(Some(col as u16), v)
}

/// A valid convention: locale, parc AVE, partner P-1, objective OS1, 2019, 10 000 €, en cours.
pub fn convention(id: &str) -> Convention {
    use convention::*;
    let f = |column, v| at(column, &ALL, v);
    Convention {
        id: f(&ID, Parsed::Ok(id.into())),
        intitule: f(&INTITULE, Parsed::Ok("Animation du réseau de mares".into())),
        echelle: at(&ECHELLE, &ALL, Parsed::Ok(Echelle::Locale)),
        parc: f(&PARC, Parsed::Ok("AVE".into())),
        partenaires: at(&PARTENAIRES, &ALL, Parsed::Ok(vec!["P-1".into()])),
        objectifs: at(&OBJECTIFS, &ALL, Parsed::Ok(vec!["OS1".into()])),
        thematique: f(&THEMATIQUE, Parsed::Ok("biodiversité".into())),
        programme: f(&PROGRAMME, Parsed::Empty),
        date_signature: at(&DATE_SIGNATURE, &ALL, Parsed::Ok(date("2019-01-10"))),
        date_debut: at(&DATE_DEBUT, &ALL, Parsed::Ok(date("2019-02-01"))),
        date_fin: at(&DATE_FIN, &ALL, Parsed::Ok(date("2019-12-31"))),
        montant_total: at(&MONTANT_TOTAL, &ALL, Parsed::Ok(money("10000"))),
        part_region: at(&PART_REGION, &ALL, Parsed::Ok(money("5000"))),
        part_europe: at(&PART_EUROPE, &ALL, Parsed::Empty),
        part_autres: at(&PART_AUTRES, &ALL, Parsed::Empty),
        statut: at(&STATUT, &ALL, Parsed::Ok(Statut::EnCours)),
        ..Default::default()
    }
}

/// A valid association partner with an RNA number.
pub fn partner(id: &str) -> Partner {
    use partner::*;
    let f = |column, v: &str| at(column, &ALL, Parsed::Ok(v.into()));
    Partner {
        id: f(&ID, id),
        nom: f(&NOM, "Les Blongios"),
        kind: at(&TYPE, &ALL, Parsed::Ok(PartnerType::Association)),
        siret: at(&SIRET, &ALL, Parsed::Empty),
        rna: f(&RNA, "W595012345"),
        code_postal: f(&CODE_POSTAL, "59000"),
        commune: f(&COMMUNE, "Lille"),
        email: f(&EMAIL, "contact@blongios.fr"),
        telephone: f(&TELEPHONE, "03 20 00 00 00"),
        ..Default::default()
    }
}

pub fn indicator(code: &str, year: i32, value: &str) -> IndicatorValue {
    use indicator::*;
    IndicatorValue {
        indicateur: at(&INDICATEUR, &ALL, Parsed::Ok(code.into())),
        annee: at(&ANNEE, &ALL, Parsed::Ok(year)),
        valeur: at(&VALEUR, &ALL, Parsed::Ok(money(value))),
        ..Default::default()
    }
}

/// A data set's files and sheets (editable by a test), and its full rows.
pub struct TestData {
    pub ds: DataSet,
    pub rows: RowChunk,
}

impl std::ops::Deref for TestData {
    type Target = DataSet;
    fn deref(&self) -> &DataSet {
        &self.ds
    }
}

impl std::ops::DerefMut for TestData {
    fn deref_mut(&mut self) -> &mut DataSet {
        &mut self.ds
    }
}

/// The sheet of each kind in the test file.
fn sheet_id(kind: SheetKind) -> SheetId {
    SheetId::new(0, kind as u32)
}

/// A data set of one file `test.xlsx` with its three sheets; rows start at Excel row 2.
pub fn dataset(
    conventions: Vec<Convention>,
    partners: Vec<Partner>,
    indicators: Vec<IndicatorValue>,
) -> TestData {
    let mut ds = DataSet::default();
    ds.files.push(SourceFile {
        path: "test.xlsx".into(),
        display: "test.xlsx".into(),
        status: FileStatus::Read,
        decoded_as_windows_1252: false,
        sheets: SheetKind::ALL.map(sheet_id).to_vec(),
        rows: conventions.len() + partners.len() + indicators.len(),
        unread_tables: Vec::new(),
    });
    for (kind, rows) in [
        (SheetKind::Conventions, conventions.len()),
        (SheetKind::Partenaires, partners.len()),
        (SheetKind::Indicateurs, indicators.len()),
    ] {
        ds.sheets.push(SheetInfo {
            id: sheet_id(kind),
            name: kind.name().to_string(),
            kind,
            header_row: Some(1),
            headers: crate::model::schema::specs(kind)
                .iter()
                .map(|s| s.label.to_string())
                .collect(),
            missing_columns: vec![],
            unknown_columns: vec![],
            duplicate_columns: vec![],
            columns: (0..crate::model::schema::specs(kind).len() as u16)
                .map(Some)
                .collect(),
            data_rows: rows,
            hidden_rows: 0,
            hidden_row_numbers: vec![],
            hidden_columns: vec![],
            merges: vec![],
            totals: vec![],
            notes: vec![],
        });
    }
    let origin = |kind, i: usize| Origin {
        sheet: sheet_id(kind),
        row: i as u32 + 2,
    };
    let rows = RowChunk {
        conventions: conventions
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                c.origin = origin(SheetKind::Conventions, i);
                c
            })
            .collect(),
        partners: partners
            .into_iter()
            .enumerate()
            .map(|(i, mut p)| {
                p.origin = origin(SheetKind::Partenaires, i);
                p
            })
            .collect(),
        indicators: indicators
            .into_iter()
            .enumerate()
            .map(|(i, mut v)| {
                v.origin = origin(SheetKind::Indicateurs, i);
                v
            })
            .collect(),
    };
    TestData { ds, rows }
}

/// Runs one rule over a data set (linked to the built-in referential) for `year`, as a run
/// gives it: a row rule sees each sheet's full rows as a chunk, the others the merged cores.
pub fn run_rule(rule: &Rule, data: TestData, year: i32) -> Vec<Diagnostic> {
    run_rule_muted(rule, data, year, &[])
}

/// As `run_rule`, the codes `muted` over `--max-anomalies` (a row rule only counts them).
pub fn run_rule_muted(
    rule: &Rule,
    data: TestData,
    year: i32,
    muted: &[&'static str],
) -> Vec<Diagnostic> {
    let referential = referential();
    let TestData { mut ds, mut rows } = data;
    for c in &mut rows.conventions {
        c.links = ConventionLinks::resolve(c, &referential);
    }
    let mut out = Vec::new();
    match rule.check {
        Check::Row(check) => {
            let chunks = [
                RowChunk {
                    conventions: rows.conventions,
                    ..Default::default()
                },
                RowChunk {
                    partners: rows.partners,
                    ..Default::default()
                },
                RowChunk {
                    indicators: rows.indicators,
                    ..Default::default()
                },
            ];
            for (kind, chunk) in SheetKind::ALL.into_iter().zip(&chunks) {
                let ctx = RowContext {
                    sheet: ds.sheet_at(sheet_id(kind)),
                    rows: chunk,
                    referential: &referential,
                    year,
                    whole_data_set: true,
                    muted,
                };
                check(&ctx, &mut out);
            }
        }
        Check::Set(check) | Check::Aggregate(check) => {
            ds.conventions = rows.conventions.iter().map(ConventionCore::of).collect();
            ds.convention_texts = rows.conventions.iter().map(ConventionTexts::of).collect();
            ds.partners = rows.partners.iter().map(PartnerCore::of).collect();
            ds.indicators = rows.indicators;
            ds.link();
            let exclusions = super::Exclusions::none();
            let ctx = Context {
                ds: &ds,
                referential: &referential,
                year,
                exclusions: &exclusions,
                whole_data_set: true,
                actives: std::sync::OnceLock::new(),
            };
            check(&ctx, &mut out);
        }
    }
    for d in &out {
        assert_eq!(d.code, rule.code);
    }
    out
}

/// The rule over one convention and its partner P-1.
pub fn run_on_convention(rule: &Rule, c: Convention) -> Vec<Diagnostic> {
    run_rule(rule, dataset(vec![c], vec![partner("P-1")], vec![]), 2019)
}

pub fn run_on_partner(rule: &Rule, p: Partner) -> Vec<Diagnostic> {
    let mut c = convention("C-1");
    if let Some(id) = p.id.text() {
        c.partenaires.parsed = Parsed::Ok(vec![id.into()]);
    }
    run_rule(rule, dataset(vec![c], vec![p], vec![]), 2019)
}
