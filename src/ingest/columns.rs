//! The columns of each sheet (DESIGN §3), their aliases, and how a header row is matched.

use crate::model::SheetKind;
use crate::text::fold;

/// One known column: its contract name, the other names people give it, whether it is required.
#[derive(Debug)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn col(name: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases,
        required,
    }
}

// The order of each table is the order of the fields the typing code reads (see `typing.rs`).
pub const CONVENTIONS: &[ColumnSpec] = &[
    col(
        "id",
        &[
            "identifiant",
            "id_convention",
            "n° convention",
            "numéro de convention",
            "référence",
        ],
        true,
    ),
    col("intitule", &["objet", "libellé", "titre"], true),
    col("echelle", &[], true),
    col("parc", &["code parc"], false),
    col(
        "partenaires",
        &["id_partenaires", "partenaire", "ids partenaires"],
        true,
    ),
    col("objectifs", &["objectif", "objectifs stratégiques"], true),
    col("thematique", &["thème"], false),
    col("programme", &["code programme"], false),
    col(
        "date_signature",
        &["signature", "date de signature", "signée le"],
        false,
    ),
    col("date_debut", &["début", "date de début"], true),
    col("date_fin", &["fin", "date de fin"], true),
    col(
        "montant_total",
        &["montant", "montant (€)", "montant total (€)"],
        true,
    ),
    col(
        "part_region",
        &["part région (€)", "part_region_hdf"],
        false,
    ),
    col(
        "part_europe",
        &["FEDER", "part Europe (€)", "part_feder"],
        false,
    ),
    col(
        "part_autres",
        &["part autres (€)", "autres financements"],
        false,
    ),
    col("statut", &["état", "statut de la convention"], true),
];

pub const PARTENAIRES: &[ColumnSpec] = &[
    col(
        "id",
        &["id_partenaire", "identifiant", "code partenaire"],
        true,
    ),
    col(
        "nom",
        &["raison sociale", "nom du partenaire", "dénomination"],
        true,
    ),
    col("type", &["type de partenaire", "catégorie"], true),
    col("siret", &["siren", "n° siret", "numéro siret"], false),
    col("rna", &["n° rna", "numéro rna"], false),
    col("code_postal", &["cp"], false),
    col("commune", &["ville", "localité"], false),
    col(
        "email",
        &["courriel", "mail", "adresse électronique"],
        false,
    ),
    col("telephone", &["tel"], false),
];

pub const INDICATEURS: &[ColumnSpec] = &[
    col("indicateur", &["code indicateur"], true),
    col("annee", &["exercice"], true),
    col("valeur", &["valeur déclarée", "réalisé"], true),
    col("parc", &["code parc"], false),
    col(
        "commentaire",
        &["commentaires", "remarque", "observations"],
        false,
    ),
];

pub fn specs(kind: SheetKind) -> &'static [ColumnSpec] {
    match kind {
        SheetKind::Conventions => CONVENTIONS,
        SheetKind::Partenaires => PARTENAIRES,
        SheetKind::Indicateurs => INDICATEURS,
    }
}

/// The folded names and aliases of each sheet's columns, computed once.
fn folded_names(kind: SheetKind) -> &'static [Vec<String>] {
    static FOLDED: std::sync::OnceLock<[Vec<Vec<String>>; 3]> = std::sync::OnceLock::new();
    let all = FOLDED.get_or_init(|| {
        SheetKind::ALL.map(|k| {
            specs(k)
                .iter()
                .map(|spec| {
                    std::iter::once(&spec.name)
                        .chain(spec.aliases)
                        .map(|n| fold(n))
                        .collect()
                })
                .collect()
        })
    });
    &all[kind as usize]
}

/// Which known column a header names, case-, accent-, space- and underscore-insensitively.
pub fn match_header(kind: SheetKind, header: &str) -> Option<usize> {
    let folded = fold(header);
    if folded.is_empty() {
        return None;
    }
    let find = |f: &str| {
        folded_names(kind)
            .iter()
            .position(|names| names.iter().any(|n| n == f))
    };
    find(&folded).or_else(|| {
        // « Montant total (en €) », « Part Région en euros »: the unit is not part of the name.
        let bare: String = folded
            .chars()
            .filter(|c| !matches!(c, '(' | ')' | '€'))
            .collect();
        let bare = ["eneuros", "euros", "eneur", "eur", "en"]
            .iter()
            .find_map(|unit| bare.strip_suffix(unit))
            .unwrap_or(&bare);
        find(bare)
    })
}

/// The sheet kind a sheet or CSV file name announces (`Conventions`, `partenaires-2020.csv`).
pub fn kind_from_name(name: &str) -> Option<SheetKind> {
    let folded = fold(name);
    SheetKind::ALL.into_iter().find(|k| {
        let word = fold(k.name());
        folded == word || folded.starts_with(&word) || folded.contains(&word)
    })
}

/// How many cells of a row name known columns of `kind` (header detection, §3).
pub fn known_headers(kind: SheetKind, row: &[String]) -> usize {
    row.iter()
        .filter(|h| match_header(kind, h).is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_with_aliases_and_loose_spelling() {
        let k = SheetKind::Conventions;
        assert_eq!(match_header(k, "Date début"), match_header(k, "date_debut"));
        assert_eq!(match_header(k, "DATE_DEBUT"), Some(9));
        assert_eq!(match_header(k, "Montant"), Some(11));
        assert_eq!(match_header(k, "Part Région"), Some(12));
        assert_eq!(match_header(k, "Intitulé"), Some(1));
        assert_eq!(match_header(k, "Remarques"), None);
        assert_eq!(match_header(k, "Montant total (en €)"), Some(11));
        assert_eq!(match_header(k, "Part Région en euros"), Some(12));
        assert_eq!(match_header(k, "Date\nfin"), Some(10));
        assert_eq!(match_header(SheetKind::Partenaires, "Téléphone"), Some(8));
    }

    #[test]
    fn sheet_names() {
        assert_eq!(kind_from_name("CONVENTIONS"), Some(SheetKind::Conventions));
        assert_eq!(
            kind_from_name("partenaires-2020"),
            Some(SheetKind::Partenaires)
        );
        assert_eq!(
            kind_from_name("pnr-avesnois-conventions"),
            Some(SheetKind::Conventions)
        );
        assert_eq!(kind_from_name("Indicateurs"), Some(SheetKind::Indicateurs));
        assert_eq!(kind_from_name("Instructions"), None);
    }

    #[test]
    fn every_alias_is_unique_within_a_sheet() {
        for kind in SheetKind::ALL {
            let mut seen = std::collections::HashSet::new();
            for spec in specs(kind) {
                for name in std::iter::once(&spec.name).chain(spec.aliases) {
                    assert!(seen.insert(fold(name)), "{kind:?}: {name} twice");
                }
            }
        }
    }
}
