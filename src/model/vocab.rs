//! The closed vocabularies fixed by the contract (DESIGN §3): échelle, statut, partner type.

use crate::text::fold;

/// Whether `label` is the feminine of `word` (both folded): `locale`/`local`,
/// `europeenne`/`europeen`, `soldee`/`solde`.
pub fn feminine_of(label: &str, word: &str) -> bool {
    !word.is_empty()
        && label
            .strip_prefix(word)
            .is_some_and(|rest| rest == "e" || rest == "ne")
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The French word as users write it and as reports show it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a word case-, accent-, space-, hyphen- and underscore-insensitively, and in
            /// either gender (« soldé », « Régional » are the listed « soldée », « régionale »).
            pub fn parse(s: &str) -> Option<Self> {
                // Most cells hold the word exactly as listed: no folding for them.
                if let Some(v) = Self::ALL.iter().copied().find(|v| v.label() == s) {
                    return Some(v);
                }
                static FOLDED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
                let labels = FOLDED.get_or_init(|| Self::ALL.iter().map(|v| fold(v.label())).collect());
                let folded = fold(s);
                labels
                    .iter()
                    .position(|l| *l == folded || $crate::model::vocab::feminine_of(l, &folded))
                    .map(|i| Self::ALL[i])
            }

            pub fn labels() -> impl Iterator<Item = &'static str> + Clone {
                Self::ALL.iter().map(|v| v.label())
            }
        }
    };
}

vocabulary!(
    /// The four scales of partnership (the seed's « échelles »), national and European apart.
    Echelle {
        Regionale => "régionale",
        Territoriale => "territoriale",
        Locale => "locale",
        Nationale => "nationale",
        Europeenne => "européenne",
    }
);

vocabulary!(
    /// Life cycle of a convention.
    Statut {
        Projet => "projet",
        Signee => "signée",
        EnCours => "en cours",
        Soldee => "soldée",
        Resiliee => "résiliée",
    }
);

vocabulary!(
    /// Kind of partner organisation.
    PartnerType {
        Association => "association",
        Entreprise => "entreprise",
        OrganismeProfessionnel => "organisme professionnel",
        EnseignementRecherche => "enseignement-recherche",
        Collectivite => "collectivité",
        EtatEtablissementPublic => "État-établissement public",
        FederationReseau => "fédération-réseau",
        Parc => "parc",
        Autre => "autre",
    }
);

impl Statut {
    /// Signed conventions count in the figures (DESIGN §6); projects and cancelled ones do not.
    pub fn counts_as_active(self) -> bool {
        matches!(self, Statut::Signee | Statut::EnCours | Statut::Soldee)
    }
}

impl Echelle {
    /// A parc is required at these scales (DESIGN §3).
    pub fn needs_parc(self) -> bool {
        matches!(self, Echelle::Territoriale | Echelle::Locale)
    }

    /// A programme is required at these scales (O004).
    pub fn needs_programme(self) -> bool {
        matches!(self, Echelle::Nationale | Echelle::Europeenne)
    }
}

impl PartnerType {
    /// Local actors of the seed: associative, economic, professional, educational (O007).
    pub fn is_local_actor(self) -> bool {
        matches!(
            self,
            PartnerType::Association
                | PartnerType::Entreprise
                | PartnerType::OrganismeProfessionnel
                | PartnerType::EnseignementRecherche
                | PartnerType::Collectivite
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_loosely() {
        assert_eq!(Statut::parse("En_Cours"), Some(Statut::EnCours));
        assert_eq!(Statut::parse("SIGNEE"), Some(Statut::Signee));
        assert_eq!(Echelle::parse("Europeenne"), Some(Echelle::Europeenne));
        assert_eq!(
            PartnerType::parse("etat etablissement public"),
            Some(PartnerType::EtatEtablissementPublic)
        );
        assert_eq!(Statut::parse("terminée"), None);
    }

    #[test]
    fn words_match_in_either_gender() {
        assert_eq!(Echelle::parse("Régional"), Some(Echelle::Regionale));
        assert_eq!(Echelle::parse("local"), Some(Echelle::Locale));
        assert_eq!(Echelle::parse("européen"), Some(Echelle::Europeenne));
        assert_eq!(Statut::parse("soldé"), Some(Statut::Soldee));
        assert_eq!(Statut::parse("Résilié"), Some(Statut::Resiliee));
        assert_eq!(Statut::parse(""), None);
        assert_eq!(Statut::parse("e"), None);
        assert_eq!(Echelle::parse("region"), None);
    }
}
