//! How a header row is matched to the columns of the schema (`model::schema`, DESIGN §3):
//! names and aliases compared case-, accent-, space- and underscore-insensitively.

use crate::model::SheetKind;
use crate::model::schema::specs;
use crate::text::fold;

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
        find(bare).or_else(|| find(&unqualified(header)))
    })
}

/// « Intitulé de la convention », « Part Europe (FEDER) », « Nom (raison sociale) » : the name
/// without what is in brackets and without the record it is about, folded.
fn unqualified(header: &str) -> String {
    let mut kept = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let folded = fold(&kept);
    ["delaconvention", "dupartenaire", "delindicateur"]
        .iter()
        .find_map(|about| folded.strip_suffix(about))
        .map_or(folded.clone(), str::to_string)
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
        assert_eq!(match_header(k, "Intitulé de la convention"), Some(1));
        assert_eq!(match_header(k, "Date de fin de la convention"), Some(10));
        assert_eq!(match_header(k, "Part Europe (FEDER)"), Some(13));
        assert_eq!(match_header(k, "Montant [HT]"), Some(11));
        assert_eq!(match_header(k, "(remarques)"), None);
        let p = SheetKind::Partenaires;
        assert_eq!(match_header(p, "Type du partenaire"), Some(2));
        assert_eq!(match_header(p, "Nom (raison sociale)"), Some(1));
        assert_eq!(match_header(p, "Identifiant du partenaire"), Some(0));
        assert_eq!(
            match_header(SheetKind::Indicateurs, "Valeur de l'indicateur"),
            Some(2)
        );
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
    fn every_label_matches_its_own_column() {
        // The template writes the labels as headers: each must be read back as its column.
        for kind in SheetKind::ALL {
            for (i, spec) in specs(kind).iter().enumerate() {
                assert_eq!(
                    match_header(kind, spec.label),
                    Some(i),
                    "{kind:?}: « {} » is not read as {}",
                    spec.label,
                    spec.name
                );
            }
        }
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
