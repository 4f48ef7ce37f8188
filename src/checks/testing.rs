//! Small data sets for the rules' unit tests: one file, one sheet per kind, rows in order.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Context, Diagnostic, Rule};
use crate::model::dataset::SheetInfo;
use crate::model::{
    Convention, ConventionCore, ConventionLinks, ConventionTexts, DataSet, Echelle, Field,
    FileStatus, IndicatorValue, Origin, Parsed, Partner, PartnerCore, PartnerType, Referential,
    SheetKind, SourceFile, Statut,
};

pub fn referential() -> Referential {
    Referential::parse(crate::model::referential::BUILT_IN, "intégré")
        .expect("built-in referential")
}

pub fn ok<T>(col: u16, v: T) -> Field<T> {
    Field::new(Some(col), Parsed::Ok(v))
}

pub fn text(col: u16, s: &str) -> Field<String> {
    ok(col, s.to_string())
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn money(s: &str) -> Decimal {
    s.parse().expect("test amount")
}

/// A valid convention: locale, parc AVE, partner P-1, objective OS1, 2019, 10 000 €, en cours.
pub fn convention(id: &str) -> Convention {
    Convention {
        id: text(0, id),
        intitule: text(1, "Animation du réseau de mares"),
        echelle: ok(2, Echelle::Locale),
        parc: text(3, "AVE"),
        partenaires: ok(4, vec!["P-1".to_string()]),
        objectifs: ok(5, vec!["OS1".to_string()]),
        thematique: text(6, "biodiversité"),
        programme: Field::new(Some(7), Parsed::Empty),
        date_signature: ok(8, date("2019-01-10")),
        date_debut: ok(9, date("2019-02-01")),
        date_fin: ok(10, date("2019-12-31")),
        montant_total: ok(11, money("10000")),
        part_region: ok(12, money("5000")),
        part_europe: Field::new(Some(13), Parsed::Empty),
        part_autres: Field::new(Some(14), Parsed::Empty),
        statut: ok(15, Statut::EnCours),
        ..Default::default()
    }
}

/// A valid association partner with an RNA number.
pub fn partner(id: &str) -> Partner {
    Partner {
        id: text(0, id),
        nom: text(1, "Les Blongios"),
        kind: ok(2, PartnerType::Association),
        siret: Field::new(Some(3), Parsed::Empty),
        rna: text(4, "W595012345"),
        code_postal: text(5, "59000"),
        commune: text(6, "Lille"),
        email: text(7, "contact@blongios.fr"),
        telephone: text(8, "03 20 00 00 00"),
        ..Default::default()
    }
}

pub fn indicator(code: &str, year: i32, value: &str) -> IndicatorValue {
    IndicatorValue {
        indicateur: text(0, code),
        annee: ok(1, year),
        valeur: ok(2, money(value)),
        ..Default::default()
    }
}

/// A data set of one file `test.xlsx` with its three sheets; rows start at Excel row 2.
pub fn dataset(
    conventions: Vec<Convention>,
    partners: Vec<Partner>,
    indicators: Vec<IndicatorValue>,
) -> DataSet {
    let mut ds = DataSet::default();
    ds.files.push(SourceFile {
        path: "test.xlsx".into(),
        display: "test.xlsx".into(),
        status: FileStatus::Read,
        decoded_as_windows_1252: false,
        sheets: vec![0, 1, 2],
        rows: conventions.len() + partners.len() + indicators.len(),
    });
    for (kind, rows) in [
        (SheetKind::Conventions, conventions.len()),
        (SheetKind::Partenaires, partners.len()),
        (SheetKind::Indicateurs, indicators.len()),
    ] {
        ds.sheets.push(SheetInfo {
            file: 0,
            name: kind.name().to_string(),
            kind,
            header_row: Some(1),
            missing_columns: vec![],
            unknown_columns: vec![],
            duplicate_columns: vec![],
            data_rows: rows,
        });
    }
    let origin = |sheet, i: usize| Origin {
        sheet,
        row: i as u32 + 2,
    };
    ds.convention_rows = conventions
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c.origin = origin(0, i);
            c
        })
        .collect();
    ds.partner_rows = partners
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            p.origin = origin(1, i);
            p
        })
        .collect();
    ds.indicators = indicators
        .into_iter()
        .enumerate()
        .map(|(i, mut v)| {
            v.origin = origin(2, i);
            v
        })
        .collect();
    ds
}

/// Runs one rule over a data set (linked to the built-in referential) for `year`: the full
/// rows for the row rules, their cores for the others, as `ingest` builds them.
pub fn run_rule(rule: &Rule, mut ds: DataSet, year: i32) -> Vec<Diagnostic> {
    let referential = referential();
    for c in &mut ds.convention_rows {
        c.links = ConventionLinks::resolve(c, &referential);
    }
    ds.conventions = ds.convention_rows.iter().map(ConventionCore::of).collect();
    ds.convention_texts = ds.convention_rows.iter().map(ConventionTexts::of).collect();
    ds.partners = ds.partner_rows.iter().map(PartnerCore::of).collect();
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
    let mut out = Vec::new();
    (rule.check)(&ctx, &mut out);
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
        c.partenaires = ok(4, vec![id.to_string()]);
    }
    run_rule(rule, dataset(vec![c], vec![p], vec![]), 2019)
}
