//! The report's titles and introductory texts (`templates/rapport.toml`), with `{placeholders}`
//! for the figures. Built into the binary; a copy in `templates/` or `--templates` overrides it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const BUILT_IN: &str = include_str!("../../templates/rapport.toml");

/// The placeholders a text may use (see the comment at the top of `rapport.toml`).
pub const PLACEHOLDERS: &[&str] = &[
    "periode",
    "convention",
    "conventions_actives",
    "montant_annualise",
    "part_region",
    "partenaires",
    "associations",
    "fichiers",
    "lignes_ecartees",
    "erreurs",
    "avertissements",
    "reste",
    "annees",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub titre: String,
    #[serde(default)]
    pub introduction: String,
    #[serde(default)]
    pub reste: String,
    #[serde(default)]
    pub aucune: String,
    #[serde(default)]
    pub texte: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    pub titre: String,
    pub sous_titre: String,
    pub destinataire: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub texte: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub couverture: Cover,
    pub entete: Header,
    pub chiffres_cles: Section,
    /// Texts written before this section existed still work: it then has its built-in text.
    #[serde(default = "built_in_evolution")]
    pub evolution: Section,
    pub objectifs: Section,
    pub echelles: Section,
    pub parcs: Section,
    pub partenaires: Section,
    pub programmes: Section,
    pub conventions: Section,
    pub anomalies: Section,
    pub methode: Section,
}

fn built_in_evolution() -> Section {
    Section {
        titre: "Évolution {annees}".into(),
        introduction: "Les années de la convention côte à côte, chacune comptée comme dans son propre rapport.".into(),
        reste: String::new(),
        aucune: String::new(),
        texte: String::new(),
    }
}

/// Why the report's texts could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TextsError {
    #[error("{} illisible ({})", .path.display(), crate::io_reason(.source))]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `--templates DIR` without `DIR/rapport.toml`.
    #[error("{} introuvable", .path.display())]
    Missing { path: PathBuf },
    /// `origin` is the file's path, or « rapport.toml intégré ».
    #[error("{origin} invalide : {problem}")]
    Invalid {
        origin: String,
        problem: TextsProblem,
    },
}

/// What is wrong inside a `rapport.toml`.
#[derive(Debug, thiserror::Error)]
pub enum TextsProblem {
    /// Not TOML, or not the expected sections; `line` when the parser knows it.
    #[error("{}{message}", line_prefix(*.line))]
    Syntax {
        line: Option<usize>,
        message: String,
    },
    #[error("repère inconnu {{{name}}} (repères : {})", PLACEHOLDERS.join(", "))]
    UnknownPlaceholder { name: String },
}

fn line_prefix(line: Option<usize>) -> String {
    line.map(|l| format!("ligne {l} : ")).unwrap_or_default()
}

impl Texts {
    /// `dir/rapport.toml` when given, else `templates/rapport.toml` when present, else built-in.
    /// Returns the text too, for the manifest's fingerprint.
    pub fn load(dir: Option<&Path>) -> Result<(Texts, String), TextsError> {
        let candidate = dir
            .map(|d| d.join("rapport.toml"))
            .unwrap_or_else(|| Path::new("templates").join("rapport.toml"));
        let (text, origin) = if candidate.is_file() {
            let text = match std::fs::read_to_string(&candidate) {
                Ok(text) => text,
                Err(source) => {
                    return Err(TextsError::Unreadable {
                        path: candidate,
                        source,
                    });
                }
            };
            let origin = candidate.display().to_string();
            (text, origin)
        } else if let Some(d) = dir {
            return Err(TextsError::Missing {
                path: d.join("rapport.toml"),
            });
        } else {
            (BUILT_IN.to_string(), "rapport.toml intégré".to_string())
        };
        let texts =
            Texts::parse(&text).map_err(|problem| TextsError::Invalid { origin, problem })?;
        Ok((texts, text))
    }

    pub fn parse(text: &str) -> Result<Texts, TextsProblem> {
        let texts: Texts = toml::from_str(text).map_err(|e| TextsProblem::Syntax {
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
            message: e.message().to_string(),
        })?;
        for placeholder in placeholders_in(text) {
            if !PLACEHOLDERS.contains(&placeholder.as_str()) {
                return Err(TextsProblem::UnknownPlaceholder { name: placeholder });
            }
        }
        Ok(texts)
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// `{name:singulier|pluriel}`: (name, singular, plural).
fn agreement(inside: &str) -> Option<(&str, &str, &str)> {
    let (name, forms) = inside.split_once(':')?;
    let (singular, plural) = forms.split_once('|')?;
    is_name(name).then_some((name, singular, plural))
}

/// The `{names}` used in the non-comment lines of a text, `{name:…|…}` included.
fn placeholders_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let mut rest = line;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            let inside = &after[..end];
            if is_name(inside) {
                found.push(inside.to_string());
            } else if let Some((name, _, _)) = agreement(inside) {
                found.push(name.to_string());
            }
            rest = &after[end + 1..];
        }
    }
    found
}

/// Whether a filled-in count reads as singular in French: below 2 (`0`, `1`, `1,5`).
fn is_singular(value: &str) -> bool {
    let number: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '−'))
        .map(|c| match c {
            ',' => '.',
            '−' => '-',
            c => c,
        })
        .collect();
    number.parse::<f64>().is_ok_and(|n| n.abs() < 2.0)
}

/// Replaces every `{name}` by its value, and every `{name:singulier|pluriel}` by the form that
/// agrees with the value of `name` (French: 0 and 1 take the singular).
pub fn fill(template: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            rest = &rest[start..];
            break;
        };
        let inside = &after[..end];
        let replaced = if let Some(value) = values.get(inside) {
            Some(value.as_str())
        } else if let Some((name, singular, plural)) = agreement(inside)
            && let Some(value) = values.get(name)
        {
            Some(if is_singular(value) { singular } else { plural })
        } else {
            None
        };
        match replaced {
            Some(text) => out.push_str(text),
            None => {
                out.push('{');
                out.push_str(inside);
                out.push('}');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_texts_parse() {
        let t = Texts::parse(BUILT_IN).expect("built-in rapport.toml");
        assert!(t.objectifs.titre.contains("objectifs stratégiques"));
    }

    #[test]
    fn unknown_placeholder_is_refused() {
        let text = BUILT_IN.replacen(
            "Hauts-de-France – {periode}",
            "Hauts-de-France – {annee}",
            1,
        );
        assert_ne!(text, BUILT_IN);
        let err = Texts::parse(&text).unwrap_err().to_string();
        assert!(err.contains("{annee}"), "{err}");
    }

    #[test]
    fn syntax_errors_give_their_line() {
        let err = Texts::parse("[couverture]\ntitre = 3\n").unwrap_err();
        assert!(err.to_string().starts_with("ligne 2 : "), "{err}");
    }

    #[test]
    fn plurals_agree_with_their_count() {
        let text = "{n} {n:ligne en erreur en est écartée|lignes en erreur en sont écartées}";
        let with = |n: &str| fill(text, &BTreeMap::from([("n", n.to_string())]));
        assert_eq!(with("0"), "0 ligne en erreur en est écartée");
        assert_eq!(with("1"), "1 ligne en erreur en est écartée");
        assert_eq!(with("2"), "2 lignes en erreur en sont écartées");
        assert_eq!(
            with("1\u{202f}234"),
            "1\u{202f}234 lignes en erreur en sont écartées"
        );
        // An agreement with an unknown name is refused like any unknown placeholder.
        let bad = BUILT_IN.replacen("{lignes_ecartees:ligne en", "{lignes:ligne en", 1);
        assert_ne!(bad, BUILT_IN);
        assert!(
            Texts::parse(&bad)
                .unwrap_err()
                .to_string()
                .contains("{lignes}")
        );
    }

    #[test]
    fn fills_placeholders() {
        let values = BTreeMap::from([("periode", "2020".to_string()), ("reste", "3".to_string())]);
        assert_eq!(
            fill("En {periode}, {reste} de plus.", &values),
            "En 2020, 3 de plus."
        );
    }
}
