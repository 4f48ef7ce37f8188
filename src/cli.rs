//! The command line (DESIGN §2). Doc comments are the French help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::ingest::limits::Limits;
use crate::render::csv::Dialect;

const EXAMPLES: &str = "\
Exemples :
  enrx validate                          vérifie les fichiers du dossier input/
  enrx validate avesnois-2020.xlsx       vérifie un fichier avant de l'envoyer
  enrx report --year 2020                rapport 2020 (PDF et CSV) dans output/2020/
  enrx report --bilan                    bilan de toute la période 2018-2021
  enrx explain R002                      ce que signifie une anomalie et comment la corriger
  enrx template -o modele.xlsx           classeur vierge à remplir par les Parcs

Codes de sortie : 0 terminé sans erreur ; 1 terminé, erreurs trouvées ; 2 impossible de
travailler (argument, référentiel, dossier de sortie) ; 75 un autre rapport est en cours.";

/// The place of `-h, --help` (and `-V, --version`) in the lists of options: the end.
const HELP_LAST: usize = 10_000;

const HELP_TEMPLATE: &str = "{about}\n\nUtilisation : {usage}\n\n{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "enrx",
    version,
    about = "Vérifie les tableurs de conventions des Parcs naturels régionaux et produit le rapport annuel de partenariats d'ENRx.",
    after_help = EXAMPLES,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Affiche l'aide
    // Last in every command's list, after the options flattened from other structs.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true,
          display_order = HELP_LAST)]
    help: Option<bool>,
    /// Affiche la version
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version,
          display_order = HELP_LAST + 1)]
    version: Option<bool>,
}

/// The command line with French help on every subcommand.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
        .help_template(HELP_TEMPLATE)
        .mut_subcommands(|sub| {
            // clap writes defaults, possible values and variables in English: the French doc
            // comments say them instead.
            sub.help_template(HELP_TEMPLATE)
                .disable_help_flag(true)
                .mut_args(|a| {
                    if a.get_action().takes_values() {
                        a.hide_default_value(true)
                            .hide_possible_values(true)
                            .hide_env(true)
                    } else {
                        a
                    }
                })
        })
}

/// Parses the arguments; a mistake is explained in French (exit 2), help and version print.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let result = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => cli,
        Err(e) => {
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                std::process::exit(
                    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                        2
                    } else {
                        0
                    },
                );
            }
            let get = |kind| match e.get(kind) {
                Some(ContextValue::String(s)) => s.clone(),
                Some(ContextValue::Strings(v)) => v.join(", "),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            let message = match e.kind() {
                ErrorKind::UnknownArgument => format!("argument inconnu « {} »", get(ContextKind::InvalidArg)),
                ErrorKind::InvalidSubcommand => format!(
                    "commande inconnue « {} » (commandes : validate, report, template, explain, checks, completions)",
                    get(ContextKind::InvalidSubcommand)
                ),
                ErrorKind::InvalidValue => format!(
                    "valeur « {} » invalide pour {} (valeurs possibles : {})",
                    get(ContextKind::InvalidValue),
                    get(ContextKind::InvalidArg),
                    get(ContextKind::ValidValue)
                ),
                ErrorKind::ValueValidation => format!(
                    "valeur « {} » invalide pour {}",
                    get(ContextKind::InvalidValue),
                    get(ContextKind::InvalidArg)
                ),
                ErrorKind::MissingRequiredArgument => format!("argument obligatoire manquant : {}", get(ContextKind::InvalidArg)),
                ErrorKind::MissingSubcommand => "indiquez une commande : validate, report, template, explain, checks, completions".into(),
                ErrorKind::ArgumentConflict => format!(
                    "{} ne peut pas s'employer avec {}",
                    get(ContextKind::InvalidArg),
                    get(ContextKind::PriorArg)
                ),
                ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
                    format!("nombre de valeurs incorrect pour {}", get(ContextKind::InvalidArg))
                }
                _ => "arguments invalides".into(),
            };
            eprintln!("enrx : erreur : {message}\nAide : enrx --help, ou enrx COMMANDE --help");
            std::process::exit(2);
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Vérifie des tableurs et signale chaque anomalie, à la cellule près
    #[command(
        after_help = "Exemples :\n  enrx validate\n  enrx validate input/pnr-avesnois.xlsx --format json\n  enrx validate input/ --deny-warnings -o anomalies.txt\n  enrx validate input/ --annoter annotes    copies annotées à renvoyer aux Parcs"
    )]
    Validate(ValidateArgs),
    /// Produit le rapport de l'année (PDF et CSV) : la tâche principale
    #[command(
        after_help = "Exemples :\n  enrx report\n  enrx report --year 2020\n  enrx report --bilan --output /srv/enrx/rapports\n\nVariables d'environnement : ENRX_INPUT, ENRX_OUTPUT, ENRX_REFERENTIEL."
    )]
    Report(ReportArgs),
    /// Compare deux dépôts (fichiers ou dossiers) : données ajoutées, retirées ou modifiées, effet sur les chiffres, anomalies
    #[command(
        after_help = "Exemples :\n  enrx diff ancien/pnr-avesnois.xlsx pnr-avesnois.xlsx\n  enrx diff depots-janvier/ depots-fevrier/ --year 2020 --format csv -o changements.csv\n\nCode de sortie : 0 identiques, 1 différents, 2 comparaison impossible."
    )]
    Diff(DiffArgs),
    /// Écrit le classeur modèle (xlsx) à remplir par les Parcs
    Template(TemplateArgs),
    /// Explique une vérification : ce qu'elle contrôle, pourquoi, comment corriger
    #[command(after_help = "Exemple :\n  enrx explain V005")]
    Explain {
        /// Code de la vérification (par ex. R002)
        code: String,
    },
    /// Liste toutes les vérifications : code, gravité, description
    Checks,
    /// Écrit le script de complétion pour un shell
    #[command(after_help = "Exemple :\n  enrx completions bash > /etc/bash_completion.d/enrx")]
    Completions {
        /// bash, zsh, fish ou powershell
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Écrit la page de manuel (roff) : enrx man > /usr/local/share/man/man1/enrx.1
    #[command(hide = true)]
    Man,
}

#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Taille maximale d'un fichier, en Mio (par défaut 512)
    #[arg(long = "max-taille", value_name = "MIO", default_value_t = 512)]
    pub max_file_mib: u64,
    /// Nombre maximal de lignes de données par fichier (par défaut 2 000 000)
    #[arg(long = "max-lignes", value_name = "N", default_value_t = 2_000_000)]
    pub max_rows: usize,
    /// Nombre maximal de cellules par fichier (par défaut 60 000 000)
    #[arg(long = "max-cellules", value_name = "N", default_value_t = 60_000_000)]
    pub max_cells: u64,
    /// Taille maximale d'un classeur une fois décompressé, en Mio (par défaut 2 048)
    #[arg(long = "max-decompresse", value_name = "MIO", default_value_t = 2048)]
    pub max_unzipped_mib: u64,
    /// Mémoire autorisée pour lire un classeur xls, en Mio (par défaut 512)
    #[arg(long = "max-memoire", value_name = "MIO", default_value_t = 512)]
    pub max_memory_mib: u64,
    /// Durée maximale de lecture d'un fichier, en secondes ; au-delà, il est écarté (F002) et les autres sont lus (par défaut 30 ; 0 : sans limite)
    #[arg(long = "max-duree", value_name = "SECONDES", default_value_t = 30)]
    pub max_duration_secs: u64,
    /// Une partie d'un classeur (xlsx, xlsm, ods) ne peut pas se décompresser en plus de N fois sa taille compressée, passés 8 Mio (par défaut 100 ; 0 = sans limite)
    #[arg(long = "max-expansion", value_name = "N", default_value_t = 100)]
    pub max_expansion: u64,
    /// Anomalies d'un même code gardées et affichées par fichier, suivies d'une ligne qui dit combien d'autres il y en a ; les totaux restent exacts (par défaut 1 000 ; 0 : toutes)
    #[arg(long = "max-anomalies", value_name = "N", default_value_t = 1000)]
    pub max_anomalies: usize,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_mib.saturating_mul(1024 * 1024),
            max_rows: self.max_rows,
            max_cells: self.max_cells,
            max_unzipped_bytes: self.max_unzipped_mib.saturating_mul(1024 * 1024),
            max_memory_bytes: self.max_memory_mib.saturating_mul(1024 * 1024),
            max_duration: std::time::Duration::from_secs(self.max_duration_secs),
            max_expansion: self.max_expansion,
            max_anomalies: self.max_anomalies,
            ..Limits::default()
        }
    }
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// lisible, à la manière d'un compilateur
    Text,
    /// pour les scripts
    Json,
    /// pour un tableur
    Csv,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Fichiers ou dossiers à vérifier (par défaut : input/)
    #[arg(value_name = "CHEMIN")]
    pub paths: Vec<PathBuf>,
    /// Référentiel (par défaut : templates/referentiel.toml, sinon celui intégré ; variable ENRX_REFERENTIEL)
    #[arg(long, value_name = "FICHIER", env = "ENRX_REFERENTIEL")]
    pub referentiel: Option<PathBuf>,
    /// Année des vérifications annuelles (par défaut : la dernière année de la période qui n'est pas après aujourd'hui)
    #[arg(long, value_name = "AAAA")]
    pub year: Option<i32>,
    /// Format des anomalies : text (lisible), json (scripts) ou csv (tableur) (par défaut text)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Dialecte du format csv : excel-fr (Excel en français) ou rfc4180 (par défaut excel-fr)
    #[arg(long, value_enum, value_name = "DIALECTE", default_value_t = Dialect::ExcelFr)]
    pub csv_dialect: Dialect,
    /// Les avertissements aussi donnent le code de sortie 1
    #[arg(long)]
    pub deny_warnings: bool,
    /// Écrit les anomalies dans ce fichier au lieu de la sortie standard
    #[arg(short, long, value_name = "FICHIER")]
    pub output: Option<PathBuf>,
    /// Suit aussi les liens symboliques qui sortent des dossiers vérifiés (par défaut : signalés, F005, et non lus)
    #[arg(long)]
    pub suivre_liens: bool,
    /// Écrit aussi dans ce dossier, pour chaque fichier lu, une copie annotée
    /// <nom>-annote.xlsx (.xlsm pour un xlsm) : cellules en cause colorées et commentées, feuilles
    /// « Anomalies » et « Vos chiffres » en tête ; l'original n'est jamais modifié (le dossier ne
    /// peut pas être dans un dossier vérifié)
    #[arg(long, value_name = "DOSSIER")]
    pub annoter: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Le dépôt d'avant : un fichier ou un dossier
    #[arg(value_name = "AVANT")]
    pub before: PathBuf,
    /// Le dépôt d'après : un fichier ou un dossier
    #[arg(value_name = "APRES")]
    pub after: PathBuf,
    /// Référentiel (par défaut : templates/referentiel.toml, sinon celui intégré ; variable ENRX_REFERENTIEL)
    #[arg(long, value_name = "FICHIER", env = "ENRX_REFERENTIEL")]
    pub referentiel: Option<PathBuf>,
    /// Année dont on compare les chiffres (par défaut : la dernière année de la période qui n'est pas après aujourd'hui)
    #[arg(long, value_name = "AAAA")]
    pub year: Option<i32>,
    /// Format : text (lisible), json (scripts) ou csv (une ligne par champ modifié) (par défaut text)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Dialecte du format csv : excel-fr (Excel en français) ou rfc4180 (par défaut excel-fr)
    #[arg(long, value_enum, value_name = "DIALECTE", default_value_t = Dialect::ExcelFr)]
    pub csv_dialect: Dialect,
    /// Écrit les différences dans ce fichier au lieu de la sortie standard
    #[arg(short, long, value_name = "FICHIER")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Dossier des fichiers déposés par les Parcs (par défaut input/ ; variable ENRX_INPUT)
    #[arg(
        long,
        value_name = "DOSSIER",
        env = "ENRX_INPUT",
        default_value = "input"
    )]
    pub input: PathBuf,
    /// Dossier où écrire le rapport (par défaut output/ ; variable ENRX_OUTPUT)
    #[arg(
        long,
        value_name = "DOSSIER",
        env = "ENRX_OUTPUT",
        default_value = "output"
    )]
    pub output: PathBuf,
    /// Année du rapport (par défaut : la dernière année de la période qui n'est pas après aujourd'hui)
    #[arg(long, value_name = "AAAA", conflicts_with = "bilan")]
    pub year: Option<i32>,
    /// Bilan de toute la période de la convention au lieu d'une année
    #[arg(long)]
    pub bilan: bool,
    /// Référentiel (par défaut : templates/referentiel.toml, sinon celui intégré ; variable ENRX_REFERENTIEL)
    #[arg(long, value_name = "FICHIER", env = "ENRX_REFERENTIEL")]
    pub referentiel: Option<PathBuf>,
    /// Dossier des modèles du rapport (rapport.toml, fonts/) (par défaut : templates/, sinon ceux intégrés)
    #[arg(long, value_name = "DOSSIER")]
    pub templates: Option<PathBuf>,
    /// Dialecte des fichiers CSV : excel-fr (Excel en français) ou rfc4180 (par défaut excel-fr)
    #[arg(long, value_enum, value_name = "DIALECTE", default_value_t = Dialect::ExcelFr)]
    pub csv_dialect: Dialect,
    /// Refait le rapport même si rien n'a changé depuis le dernier
    #[arg(long)]
    pub force: bool,
    /// N'écrit rien sur la sortie standard ; les erreurs restent sur la sortie d'erreur
    #[arg(short, long)]
    pub quiet: bool,
    /// Suit aussi les liens symboliques qui sortent du dossier d'entrée (par défaut : signalés, F005, et non lus)
    #[arg(long)]
    pub suivre_liens: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// Fichier à écrire (par défaut modele-conventions-enrx.xlsx)
    #[arg(
        short,
        long,
        value_name = "FICHIER",
        default_value = "modele-conventions-enrx.xlsx"
    )]
    pub output: PathBuf,
    /// Référentiel dont les listes déroulantes sont tirées
    #[arg(long, value_name = "FICHIER", env = "ENRX_REFERENTIEL")]
    pub referentiel: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn help_is_listed_last() {
        let mut command = super::command();
        command.build();
        for sub in command.get_subcommands_mut() {
            let help = sub.render_help().to_string();
            let options = help
                .split("Options:")
                .nth(1)
                .unwrap_or_else(|| panic!("{}: {help}", sub.get_name()));
            let last = options
                .split("\n\n")
                .next()
                .unwrap()
                .lines()
                .rfind(|l| l.trim_start().starts_with('-'))
                .unwrap_or_default();
            assert!(
                last.trim_start().starts_with("-h, --help"),
                "{}: {options}",
                sub.get_name()
            );
        }
    }
}
