//! One sheet as the writers see it (typed cells), and how each submission lays out its columns.

use chrono::NaiveDate;

use crate::ident::spaced_siret;
use crate::model::{Convention, IndicatorValue, Partner, parc_name};

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    /// Euro cents.
    Money(i64),
    Int(i64),
    /// Hundredths (indicator values such as 512,5 ha).
    Centi(i64),
}

pub struct Table {
    pub sheet: &'static str,
    /// A title line above the header, followed by a blank row (as offices do).
    pub title: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The 0-based row index of the header.
    pub fn header_row(&self) -> usize {
        if self.title.is_some() { 2 } else { 0 }
    }
}

/// Conventions columns (DESIGN §3).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CF {
    Id,
    Intitule,
    Echelle,
    Parc,
    Partenaires,
    Objectifs,
    Thematique,
    Programme,
    Signature,
    Debut,
    Fin,
    Total,
    Region,
    Europe,
    Autres,
    Statut,
}

/// Partenaires columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PF {
    Id,
    Nom,
    Type,
    Siret,
    Rna,
    CodePostal,
    Commune,
    Email,
    Telephone,
}

/// How one office writes its values.
#[derive(Clone, Copy, Default)]
pub struct Style {
    /// `Locale`, `En cours`, `Association` instead of the lower-case words.
    pub capitalised_words: bool,
    /// Every n-th convention writes its objectives `1;3` instead of `OS1;OS3` (0: never).
    pub numeric_objectives_every: usize,
    /// The parc's name (`Caps et Marais d'Opale`) instead of its code.
    pub parc_as_name: bool,
    /// SIRET typed with spaces (`732 829 320 00074`).
    pub spaced_siret: bool,
    /// Partner ids separated by `, ` instead of `;`.
    pub comma_partner_list: bool,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Empty, text)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn word(s: &str, style: &Style) -> Cell {
    if style.capitalised_words {
        text(capitalise(s))
    } else {
        text(s)
    }
}

pub fn convention_row(
    c: &Convention,
    cols: &[(&str, CF)],
    style: &Style,
    index: usize,
    partner_id: &dyn Fn(usize) -> String,
) -> Vec<Cell> {
    cols.iter()
        .map(|(_, f)| match f {
            CF::Id => text(&c.id),
            CF::Intitule => text(&c.intitule),
            CF::Echelle => word(c.scale.label(), style),
            CF::Parc => match c.parc {
                Some(p) if style.parc_as_name => text(parc_name(p)),
                Some(p) => text(p),
                None => Cell::Empty,
            },
            CF::Partenaires => {
                let sep = if style.comma_partner_list { ", " } else { ";" };
                text(
                    c.partners
                        .iter()
                        .map(|&p| partner_id(p))
                        .collect::<Vec<_>>()
                        .join(sep),
                )
            }
            CF::Objectifs => {
                let numeric = style.numeric_objectives_every > 0
                    && index % style.numeric_objectives_every == style.numeric_objectives_every - 1;
                text(c.objectives_text(numeric))
            }
            CF::Thematique => opt_text(c.thematique),
            CF::Programme => opt_text(c.programme),
            CF::Signature => c.signature.map_or(Cell::Empty, Cell::Date),
            CF::Debut => Cell::Date(c.debut),
            CF::Fin => Cell::Date(c.fin),
            CF::Total => Cell::Money(c.total),
            CF::Region => Cell::Money(c.region),
            CF::Europe => c.europe.map_or(Cell::Empty, Cell::Money),
            CF::Autres => c.autres.map_or(Cell::Empty, Cell::Money),
            CF::Statut => word(c.status.label(), style),
        })
        .collect()
}

pub fn partner_row(p: &Partner, cols: &[(&str, PF)], style: &Style) -> Vec<Cell> {
    cols.iter()
        .map(|(_, f)| match f {
            PF::Id => text(&p.id),
            PF::Nom => text(&p.nom),
            PF::Type => word(p.ptype, style),
            PF::Siret => match &p.siret {
                Some(s) if style.spaced_siret => text(spaced_siret(s)),
                Some(s) => text(s),
                None => Cell::Empty,
            },
            PF::Rna => opt_text(p.rna.as_deref()),
            PF::CodePostal => opt_text(p.code_postal.as_deref()),
            PF::Commune => opt_text(p.commune.as_deref()),
            PF::Email => opt_text(p.email.as_deref()),
            PF::Telephone => opt_text(p.telephone.as_deref()),
        })
        .collect()
}

pub const INDICATOR_HEADER: [&str; 5] = ["indicateur", "annee", "valeur", "parc", "commentaire"];

pub fn indicator_row(v: &IndicatorValue) -> Vec<Cell> {
    vec![
        text(v.code),
        Cell::Int(i64::from(v.annee)),
        if v.valeur_centi % 100 == 0 {
            Cell::Int(v.valeur_centi / 100)
        } else {
            Cell::Centi(v.valeur_centi)
        },
        opt_text(v.parc),
        opt_text(v.commentaire),
    ]
}

pub fn header<T>(cols: &[(&str, T)]) -> Vec<String> {
    cols.iter().map(|(h, _)| h.to_string()).collect()
}

// ----- text forms of values, for CSV and for the text of ODS cells -----

#[derive(Clone, Copy)]
pub enum DateText {
    /// `01/02/2019`
    French,
    /// `2019-02-01`
    Iso,
}

#[derive(Clone, Copy)]
pub enum MoneyText {
    /// `12 345,50 €` with U+00A0 as thousands separator (French Excel).
    FrenchEuro,
    /// `12345,5` (decimal comma, no separator, cents only when there are some).
    FrenchPlain,
    /// `12345.50`
    Dot,
}

pub fn date_text(d: NaiveDate, f: DateText) -> String {
    match f {
        DateText::French => d.format("%d/%m/%Y").to_string(),
        DateText::Iso => d.format("%Y-%m-%d").to_string(),
    }
}

fn group_thousands(units: i64, sep: char) -> String {
    let digits = units.abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2 + 1);
    if units < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

pub fn money_text(cents: i64, f: MoneyText) -> String {
    let units = cents / 100;
    let rest = (cents % 100).abs();
    match f {
        MoneyText::FrenchEuro => format!("{},{rest:02}\u{a0}€", group_thousands(units, '\u{a0}')),
        MoneyText::FrenchPlain if rest == 0 => units.to_string(),
        MoneyText::FrenchPlain if rest % 10 == 0 => format!("{units},{}", rest / 10),
        MoneyText::FrenchPlain => format!("{units},{rest:02}"),
        MoneyText::Dot => format!("{units}.{rest:02}"),
    }
}

pub fn centi_text(v: i64, comma: bool) -> String {
    let units = v / 100;
    let rest = v % 100;
    let sep = if comma { ',' } else { '.' };
    if rest == 0 {
        units.to_string()
    } else if rest % 10 == 0 {
        format!("{units}{sep}{}", rest / 10)
    } else {
        format!("{units}{sep}{rest:02}")
    }
}

/// A cell as a CSV field.
pub fn cell_text(c: &Cell, d: DateText, m: MoneyText) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Date(x) => date_text(*x, d),
        Cell::Money(x) => money_text(*x, m),
        Cell::Int(x) => x.to_string(),
        Cell::Centi(x) => centi_text(*x, !matches!(m, MoneyText::Dot)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_money() {
        assert_eq!(
            money_text(1_234_550, MoneyText::FrenchEuro),
            "12\u{a0}345,50\u{a0}€"
        );
        assert_eq!(money_text(99_900, MoneyText::FrenchEuro), "999,00\u{a0}€");
        assert_eq!(
            money_text(300_000_000, MoneyText::FrenchEuro),
            "3\u{a0}000\u{a0}000,00\u{a0}€"
        );
        assert_eq!(money_text(1_234_550, MoneyText::FrenchPlain), "12345,5");
        assert_eq!(money_text(1_234_500, MoneyText::FrenchPlain), "12345");
        assert_eq!(money_text(1_234_507, MoneyText::Dot), "12345.07");
        assert_eq!(centi_text(51_250, true), "512,5");
    }
}
