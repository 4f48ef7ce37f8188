//! The convention the data is checked against (DESIGN §4), read from `referentiel.toml`.
//!
//! A new convention period is a new file, not new code: every code, title, target and
//! threshold used by the checks and the figures comes from here.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::vocab::{Echelle, PartnerType};
use crate::text::fold;

/// The referential built into the binary, used when no file overrides it.
pub const BUILT_IN: &str = include_str!("../../templates/referentiel.toml");

#[derive(Debug, Clone)]
pub struct Referential {
    /// Where it was read from, for the manifest and messages.
    pub source: String,
    /// The text it was parsed from (its SHA-256 goes into the manifest).
    pub text: String,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub objectives: Vec<Objective>,
    pub parcs: Vec<Parc>,
    pub programmes: Vec<Programme>,
    pub thematiques: Vec<String>,
    pub thresholds: Thresholds,
    /// Folded names → index, built once: every row looks its codes up here.
    lookup: Lookup,
}

#[derive(Debug, Clone, Default)]
struct Lookup {
    objectives: std::collections::HashMap<String, usize>,
    parcs: std::collections::HashMap<String, usize>,
    programmes: std::collections::HashMap<String, usize>,
    thematiques: std::collections::HashMap<String, usize>,
    indicators: std::collections::HashMap<String, (usize, usize)>,
    /// The codes and names exactly as the referential writes them (`SCE`, `OS1`), with what
    /// the folded lookup gives for them: nearly every cell holds one, and is found without
    /// being folded.
    exact_objectives: rustc_hash::FxHashMap<String, usize>,
    exact_parcs: rustc_hash::FxHashMap<String, usize>,
    exact_programmes: rustc_hash::FxHashMap<String, usize>,
}

impl Lookup {
    fn build(r: &Referential) -> Lookup {
        let mut l = Lookup::default();
        for (i, o) in r.objectives.iter().enumerate() {
            let code = fold(&o.code);
            let number = code
                .trim_start_matches(|c: char| c.is_alphabetic())
                .to_string();
            // « Objectif 1 », « objectif stratégique 1 », as the seed document words them.
            for spelled in ["objectif", "objectifstrategique"] {
                l.objectives
                    .entry(format!("{spelled}{number}"))
                    .or_insert(i);
            }
            l.objectives.entry(number).or_insert(i);
            l.objectives.insert(code, i);
            for (j, ind) in o.indicators.iter().enumerate() {
                l.indicators.insert(fold(&ind.code), (i, j));
            }
        }
        for (i, p) in r.parcs.iter().enumerate() {
            for name in std::iter::once(&p.code)
                .chain(std::iter::once(&p.name))
                .chain(&p.aliases)
            {
                l.parcs.entry(fold(name)).or_insert(i);
            }
        }
        for (i, p) in r.programmes.iter().enumerate() {
            l.programmes.insert(fold(&p.code), i);
        }
        for (i, t) in r.thematiques.iter().enumerate() {
            l.thematiques.insert(fold(t), i);
        }
        l.index_exact_forms(r);
        l
    }

    fn index_exact_forms(&mut self, r: &Referential) {
        let exact = |map: &std::collections::HashMap<String, usize>, written: &str| {
            map.get(&fold(written)).map(|&i| (written.to_string(), i))
        };
        for o in &r.objectives {
            self.exact_objectives
                .extend(exact(&self.objectives, &o.code));
        }
        for p in &r.parcs {
            for name in std::iter::once(&p.code)
                .chain(std::iter::once(&p.name))
                .chain(&p.aliases)
            {
                self.exact_parcs.extend(exact(&self.parcs, name));
            }
        }
        for p in &r.programmes {
            self.exact_programmes
                .extend(exact(&self.programmes, &p.code));
        }
    }
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub code: String,
    pub title: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub source: IndicatorSource,
    /// Yearly targets.
    pub targets: BTreeMap<i32, Decimal>,
}

/// Where an indicator's achieved value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorSource {
    /// Summed from the Indicateurs sheets.
    Declared,
    /// Computed from the active conventions.
    Computed { measure: Measure, filter: Filter },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    ActiveConventions,
    DistinctPartners,
    AnnualisedAmount,
}

/// Restricts a computed indicator to some conventions; empty lists mean « all ».
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub scales: Vec<Echelle>,
    /// Indices of objectives.
    pub objectives: Vec<usize>,
    pub partner_types: Vec<PartnerType>,
}

#[derive(Debug, Clone)]
pub struct Parc {
    pub code: String,
    pub name: String,
    pub member: bool,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Programme {
    pub code: String,
    pub title: String,
    pub scale: Echelle,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Thresholds {
    /// O006: minimum distinct association partners at local scale in a year.
    pub min_local_associations: usize,
    /// M002: amount ceiling per scale.
    pub ceilings: Vec<(Echelle, Decimal)>,
    /// M003: above this yearly amount a written, signed convention is required.
    pub signed_convention_threshold: Decimal,
}

/// A broken referential: what is wrong and on which line of which file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferentialError {
    pub source: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl std::fmt::Display for ReferentialError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "référentiel {} invalide, ligne {line} : {}",
                self.source, self.reason
            ),
            None => write!(f, "référentiel {} invalide : {}", self.source, self.reason),
        }
    }
}

// ---- the file as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReferential {
    convention: RawConvention,
    objectifs: Vec<RawObjective>,
    parcs: Vec<RawParc>,
    programmes: Vec<RawProgramme>,
    thematiques: Vec<String>,
    seuils: RawThresholds,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConvention {
    titre: String,
    debut: Spanned<toml::value::Datetime>,
    fin: Spanned<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    code: Spanned<String>,
    intitule: String,
    #[serde(default)]
    indicateurs: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: Spanned<String>,
    intitule: String,
    unite: String,
    source: Spanned<String>,
    #[serde(default)]
    mesure: Option<Spanned<String>>,
    #[serde(default)]
    echelles: Vec<Spanned<String>>,
    #[serde(default)]
    objectifs: Vec<Spanned<String>>,
    #[serde(default)]
    types_partenaires: Vec<Spanned<String>>,
    cibles: Spanned<BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParc {
    code: Spanned<String>,
    nom: String,
    membre: bool,
    #[serde(default)]
    alias: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    code: Spanned<String>,
    intitule: String,
    echelle: Spanned<String>,
    #[serde(default)]
    debut: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    fin: Option<Spanned<toml::value::Datetime>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    associations_locales_min: usize,
    convention_ecrite: f64,
    plafonds: BTreeMap<String, f64>,
}

impl Referential {
    /// Reads the referential: `path` when given, else `templates/referentiel.toml` when it
    /// exists in the working directory, else the built-in copy.
    pub fn load(path: Option<&Path>) -> Result<Referential, ReferentialError> {
        let default = Path::new("templates/referentiel.toml");
        let path = path.or_else(|| default.is_file().then_some(default));
        match path {
            Some(p) => {
                let source = p.display().to_string();
                let text = std::fs::read_to_string(p).map_err(|e| ReferentialError {
                    source: source.clone(),
                    line: None,
                    reason: format!("lecture impossible ({})", crate::io_reason(&e)),
                })?;
                Referential::parse(&text, &source)
            }
            None => Referential::parse(BUILT_IN, "intégré"),
        }
    }

    /// Parses and checks a referential; `source` names it in the errors.
    pub fn parse(text: &str, source: &str) -> Result<Referential, ReferentialError> {
        let reader = Reader { text, source };
        let raw: RawReferential =
            toml::from_str(text).map_err(|e| reader.fail(e.span(), e.message().to_string()))?;
        let (start, end) = reader.period(&raw.convention)?;
        reader.check_capacity(&raw)?;
        let objectives = reader.objectives(&raw.objectifs)?;
        let parcs = reader.parcs(&raw.parcs)?;
        let programmes = reader.programmes(&raw.programmes)?;
        let thresholds = reader.thresholds(&raw.seuils)?;
        let mut referential = Referential {
            source: source.to_string(),
            text: text.to_string(),
            title: raw.convention.titre,
            start,
            end,
            objectives,
            parcs,
            programmes,
            thematiques: raw.thematiques,
            thresholds,
            lookup: Lookup::default(),
        };
        referential.lookup = Lookup::build(&referential);
        Ok(referential)
    }

    /// The years of the period, first to last.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        use chrono::Datelike;
        self.start.year()..=self.end.year()
    }

    /// The default report year: the last year of the period that is not after `today`.
    pub fn default_year(&self, today: NaiveDate) -> i32 {
        use chrono::Datelike;
        today.year().clamp(self.start.year(), self.end.year())
    }

    /// An objective by its code (`OS1`), its number (`1`) or with spaces (`os 1`).
    pub fn find_objective(&self, written: &str) -> Option<usize> {
        if let Some(&i) = self.lookup.exact_objectives.get(written) {
            return Some(i);
        }
        self.lookup.objectives.get(&fold(written)).copied()
    }

    /// A parc by its code or its name (with or without « PNR »), accent-insensitively.
    pub fn find_parc(&self, written: &str) -> Option<usize> {
        if let Some(&i) = self.lookup.exact_parcs.get(written) {
            return Some(i);
        }
        let folded = fold(written);
        if let Some(&i) = self.lookup.parcs.get(&folded) {
            return Some(i);
        }
        let stripped = ["parcnaturelregional", "pnr"]
            .iter()
            .find_map(|prefix| folded.strip_prefix(prefix))
            .map(|rest| {
                ["del", "des", "du", "de"]
                    .iter()
                    .find_map(|article| rest.strip_prefix(article))
                    .unwrap_or(rest)
            })?;
        self.lookup.parcs.get(stripped).copied()
    }

    pub fn find_programme(&self, written: &str) -> Option<usize> {
        if let Some(&i) = self.lookup.exact_programmes.get(written) {
            return Some(i);
        }
        self.lookup.programmes.get(&fold(written)).copied()
    }

    pub fn find_thematique(&self, written: &str) -> Option<usize> {
        // Most cells hold a word as the referential writes it, accents and all: folding
        // (Unicode decomposition) only for the others.
        if let Some(i) = self.thematiques.iter().position(|t| t == written) {
            return Some(i);
        }
        self.lookup.thematiques.get(&fold(written)).copied()
    }

    /// Every indicator with the index of its objective.
    pub fn indicators(&self) -> impl Iterator<Item = (usize, &Indicator)> {
        self.objectives
            .iter()
            .enumerate()
            .flat_map(|(i, o)| o.indicators.iter().map(move |ind| (i, ind)))
    }

    pub fn find_indicator(&self, written: &str) -> Option<(usize, &Indicator)> {
        let &(o, i) = self.lookup.indicators.get(&fold(written))?;
        Some((o, &self.objectives[o].indicators[i]))
    }

    pub fn ceiling(&self, scale: Echelle) -> Option<Decimal> {
        self.thresholds
            .ceilings
            .iter()
            .find(|(e, _)| *e == scale)
            .map(|(_, v)| *v)
    }
}

/// Turns the file as written into the referential's parts; a problem becomes an error at
/// its line of `text`.
struct Reader<'a> {
    text: &'a str,
    source: &'a str,
}

impl Reader<'_> {
    fn fail(&self, span: Option<std::ops::Range<usize>>, reason: String) -> ReferentialError {
        ReferentialError {
            source: self.source.to_string(),
            line: span.map(|s| line_of(self.text, s.start)),
            reason,
        }
    }

    fn date(&self, d: &Spanned<toml::value::Datetime>) -> Result<NaiveDate, ReferentialError> {
        let v = d.get_ref();
        v.date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32))
            .ok_or_else(|| self.fail(Some(d.span()), format!("date attendue, trouvé {v}")))
    }

    /// The convention's first and last day.
    fn period(&self, c: &RawConvention) -> Result<(NaiveDate, NaiveDate), ReferentialError> {
        let start = self.date(&c.debut)?;
        let end = self.date(&c.fin)?;
        if end < start {
            return Err(self.fail(
                Some(c.fin.span()),
                "la fin de la convention précède son début".into(),
            ));
        }
        Ok((start, end))
    }

    /// Rows keep their parc and programme as 16-bit indices, their objectives as bits
    /// (model::record).
    fn check_capacity(&self, raw: &RawReferential) -> Result<(), ReferentialError> {
        if raw.parcs.len() > usize::from(u16::MAX) || raw.programmes.len() > usize::from(u16::MAX) {
            return Err(self.fail(None, "plus de 65 535 parcs ou programmes".into()));
        }
        if raw.objectifs.len() > super::record::ObjectiveSet::CAPACITY {
            return Err(self.fail(
                None,
                format!(
                    "plus de {} objectifs",
                    super::record::ObjectiveSet::CAPACITY
                ),
            ));
        }
        Ok(())
    }

    /// The objectives, then their indicators: an indicator may filter on any objective, so
    /// indicators are read once all objectives are known.
    fn objectives(&self, raw: &[RawObjective]) -> Result<Vec<Objective>, ReferentialError> {
        let mut objectives: Vec<Objective> = Vec::new();
        for o in raw {
            if objectives.iter().any(|x| x.code == *o.code.get_ref()) {
                return Err(self.fail(
                    Some(o.code.span()),
                    format!("objectif « {} » en double", o.code.get_ref()),
                ));
            }
            objectives.push(Objective {
                code: o.code.get_ref().clone(),
                title: o.intitule.clone(),
                indicators: Vec::new(),
            });
        }
        let mut seen_indicators: Vec<String> = Vec::new();
        for (oi, o) in raw.iter().enumerate() {
            for ind in &o.indicateurs {
                let code = ind.code.get_ref().clone();
                if seen_indicators.contains(&code) {
                    return Err(self.fail(
                        Some(ind.code.span()),
                        format!("indicateur « {code} » en double"),
                    ));
                }
                seen_indicators.push(code.clone());
                let indicator = Indicator {
                    source: self.indicator_source(ind, &code, &objectives)?,
                    targets: self.targets(ind)?,
                    code,
                    title: ind.intitule.clone(),
                    unit: ind.unite.clone(),
                };
                objectives[oi].indicators.push(indicator);
            }
        }
        Ok(objectives)
    }

    /// `declare`, or `calcule` with its measure and filters.
    fn indicator_source(
        &self,
        ind: &RawIndicator,
        code: &str,
        objectives: &[Objective],
    ) -> Result<IndicatorSource, ReferentialError> {
        match fold(ind.source.get_ref()).as_str() {
            "declare" => Ok(IndicatorSource::Declared),
            "calcule" => Ok(IndicatorSource::Computed {
                measure: self.measure(ind, code)?,
                filter: self.filter(ind, objectives)?,
            }),
            _ => Err(self.fail(
                Some(ind.source.span()),
                format!(
                    "source inconnue « {} » (attendu : declare ou calcule)",
                    ind.source.get_ref()
                ),
            )),
        }
    }

    fn measure(&self, ind: &RawIndicator, code: &str) -> Result<Measure, ReferentialError> {
        let Some(m) = ind.mesure.as_ref() else {
            return Err(self.fail(
                Some(ind.source.span()),
                format!("l'indicateur calculé « {code} » n'a pas de « mesure »"),
            ));
        };
        match m.get_ref().as_str() {
            "conventions_actives" => Ok(Measure::ActiveConventions),
            "partenaires_distincts" => Ok(Measure::DistinctPartners),
            "montant_annualise" => Ok(Measure::AnnualisedAmount),
            other => Err(self.fail(
                Some(m.span()),
                format!(
                    "mesure inconnue « {other} » (attendu : conventions_actives, partenaires_distincts, montant_annualise)"
                ),
            )),
        }
    }

    /// A computed indicator's restrictions: scales, objectives, partner types.
    fn filter(
        &self,
        ind: &RawIndicator,
        objectives: &[Objective],
    ) -> Result<Filter, ReferentialError> {
        let mut filter = Filter::default();
        for s in &ind.echelles {
            filter
                .scales
                .push(Echelle::parse(s.get_ref()).ok_or_else(|| {
                    self.fail(
                        Some(s.span()),
                        format!("échelle inconnue « {} »", s.get_ref()),
                    )
                })?);
        }
        for s in &ind.objectifs {
            let i = objectives
                .iter()
                .position(|x| x.code == *s.get_ref())
                .ok_or_else(|| {
                    self.fail(
                        Some(s.span()),
                        format!("objectif inconnu « {} »", s.get_ref()),
                    )
                })?;
            filter.objectives.push(i);
        }
        for s in &ind.types_partenaires {
            filter
                .partner_types
                .push(PartnerType::parse(s.get_ref()).ok_or_else(|| {
                    self.fail(
                        Some(s.span()),
                        format!("type de partenaire inconnu « {} »", s.get_ref()),
                    )
                })?);
        }
        Ok(filter)
    }

    /// Yearly targets: a year, a value ≥ 0.
    fn targets(&self, ind: &RawIndicator) -> Result<BTreeMap<i32, Decimal>, ReferentialError> {
        let mut targets = BTreeMap::new();
        for (year, value) in ind.cibles.get_ref() {
            let y: i32 = year.parse().map_err(|_| {
                self.fail(
                    Some(ind.cibles.span()),
                    format!("année de cible invalide « {year} »"),
                )
            })?;
            let v = Decimal::from_f64_retain(*value)
                .filter(|v| !v.is_sign_negative())
                .ok_or_else(|| {
                    self.fail(
                        Some(ind.cibles.span()),
                        format!("cible invalide pour {year}"),
                    )
                })?;
            targets.insert(y, v.normalize());
        }
        Ok(targets)
    }

    fn parcs(&self, raw: &[RawParc]) -> Result<Vec<Parc>, ReferentialError> {
        let mut parcs: Vec<Parc> = Vec::new();
        for p in raw {
            if parcs.iter().any(|x| x.code == *p.code.get_ref()) {
                return Err(self.fail(
                    Some(p.code.span()),
                    format!("parc « {} » en double", p.code.get_ref()),
                ));
            }
            parcs.push(Parc {
                code: p.code.get_ref().clone(),
                name: p.nom.clone(),
                member: p.membre,
                aliases: p.alias.clone(),
            });
        }
        Ok(parcs)
    }

    fn programmes(&self, raw: &[RawProgramme]) -> Result<Vec<Programme>, ReferentialError> {
        let mut programmes: Vec<Programme> = Vec::new();
        for p in raw {
            let scale = Echelle::parse(p.echelle.get_ref()).ok_or_else(|| {
                self.fail(
                    Some(p.echelle.span()),
                    format!("échelle inconnue « {} »", p.echelle.get_ref()),
                )
            })?;
            programmes.push(Programme {
                code: p.code.get_ref().clone(),
                title: p.intitule.clone(),
                scale,
                start: p.debut.as_ref().map(|d| self.date(d)).transpose()?,
                end: p.fin.as_ref().map(|d| self.date(d)).transpose()?,
            });
        }
        Ok(programmes)
    }

    fn thresholds(&self, raw: &RawThresholds) -> Result<Thresholds, ReferentialError> {
        let mut ceilings = Vec::new();
        for (scale, value) in &raw.plafonds {
            let e = Echelle::parse(scale).ok_or_else(|| {
                self.fail(
                    None,
                    format!("seuils.plafonds : échelle inconnue « {scale} »"),
                )
            })?;
            let v = Decimal::from_f64_retain(*value)
                .ok_or_else(|| self.fail(None, format!("seuils.plafonds.{scale} invalide")))?;
            ceilings.push((e, v.normalize()));
        }
        let threshold = Decimal::from_f64_retain(raw.convention_ecrite)
            .ok_or_else(|| self.fail(None, "seuils.convention_ecrite invalide".into()))?;
        Ok(Thresholds {
            min_local_associations: raw.associations_locales_min,
            ceilings,
            signed_convention_threshold: threshold.normalize(),
        })
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map(|s| s.matches('\n').count() + 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in() -> Referential {
        Referential::parse(BUILT_IN, "intégré").expect("the built-in referential parses")
    }

    #[test]
    fn built_in_referential_has_the_convention() {
        let r = built_in();
        assert_eq!(r.objectives.len(), 3);
        assert_eq!(r.objectives[0].code, "OS1");
        assert!(r.objectives[1].title.starts_with("Contribuer"));
        assert_eq!(r.parcs.len(), 5);
        assert_eq!(r.parcs.iter().filter(|p| p.member).count(), 3);
        assert_eq!(r.years(), 2018..=2021);
        assert_eq!(r.thresholds.min_local_associations, 50);
        assert!(r.indicators().count() >= 6);
    }

    #[test]
    fn finds_codes_loosely() {
        let r = built_in();
        assert_eq!(r.find_objective("OS3"), Some(2));
        assert_eq!(r.find_objective("3"), Some(2));
        assert_eq!(r.find_objective("os 2"), Some(1));
        assert_eq!(r.find_objective("OS9"), None);
        assert_eq!(r.find_parc("AVE"), r.find_parc("Avesnois"));
        assert!(r.find_parc("caps et marais d'opale").is_some());
        assert!(r.find_parc("PNR Scarpe-Escaut").is_some());
        assert_eq!(r.find_parc("Vosges du Nord"), None);
        assert!(r.find_programme("partons").is_some());
    }

    #[test]
    fn default_year_is_last_year_not_after_today() {
        let r = built_in();
        let d = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert_eq!(r.default_year(d(2026)), 2021);
        assert_eq!(r.default_year(d(2019)), 2019);
        assert_eq!(r.default_year(d(2010)), 2018);
    }

    #[test]
    fn broken_referential_gives_line_and_reason() {
        let text = BUILT_IN.replacen("echelle = \"européenne\"", "echelle = \"galactique\"", 1);
        let err = Referential::parse(&text, "r.toml").unwrap_err();
        assert!(err.reason.contains("galactique"), "{err}");
        let line = err.line.expect("a line");
        assert!(text.lines().nth(line - 1).unwrap().contains("galactique"));

        let err = Referential::parse("convention = 3", "r.toml").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn unknown_objective_in_filter_is_refused() {
        let text = BUILT_IN.replacen("objectifs = [\"OS2\"]", "objectifs = [\"OS7\"]", 1);
        assert_ne!(
            text, BUILT_IN,
            "the fixture must contain an objective filter"
        );
        let err = Referential::parse(&text, "r.toml").unwrap_err();
        assert!(err.reason.contains("OS7"));
    }
}
