//! `enrx template`: the blank submission workbook the Parcs fill in (DESIGN §7). Its drop-down
//! lists come from the referential, so a workbook filled from it passes `validate`.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula,
    Note, Workbook, Worksheet, XlsxError,
};

use super::{CommandResult, Failure, Outcome, common};
use crate::cli::TemplateArgs;
use crate::ingest::columns::{CONVENTIONS, ColumnSpec, INDICATEURS, PARTENAIRES};
use crate::model::referential::IndicatorSource;
use crate::model::{Echelle, PartnerType, Referential, Statut};

/// Rows given formats and drop-downs below the header.
const ROWS: u32 = 2000;

/// What a column holds, for the header's note and the cell formats.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Code,
    Date,
    Euros,
    Number,
}

fn describe(sheet: &str, column: &str) -> (&'static str, Kind) {
    match (sheet, column) {
        ("Conventions", "id") => (
            "Identifiant unique de la convention, par ex. C-2020-001. Unique dans tous les fichiers envoyés.",
            Kind::Code,
        ),
        ("Conventions", "intitule") => ("Objet de la convention, en clair.", Kind::Text),
        ("Conventions", "echelle") => (
            "Échelle du partenariat : choisir dans la liste.",
            Kind::Text,
        ),
        ("Conventions", "parc") => (
            "Code du Parc (liste). Obligatoire pour les échelles territoriale et locale.",
            Kind::Code,
        ),
        ("Conventions", "partenaires") => (
            "Identifiants des partenaires (colonne id de la feuille Partenaires), séparés par des points-virgules : P-0001;P-0002.",
            Kind::Code,
        ),
        ("Conventions", "objectifs") => (
            "Objectifs stratégiques auxquels contribue la convention, séparés par des points-virgules : OS1;OS3.",
            Kind::Code,
        ),
        ("Conventions", "thematique") => ("Thématique (liste), facultative.", Kind::Text),
        ("Conventions", "programme") => (
            "Programme national ou européen (liste). Obligatoire pour les échelles nationale et européenne.",
            Kind::Code,
        ),
        ("Conventions", "date_signature") => (
            "Date de signature (jj/mm/aaaa). Obligatoire au-delà de 23 000 € par an.",
            Kind::Date,
        ),
        ("Conventions", "date_debut") => ("Date de début (jj/mm/aaaa).", Kind::Date),
        ("Conventions", "date_fin") => (
            "Date de fin (jj/mm/aaaa), au plus tôt la date de début.",
            Kind::Date,
        ),
        ("Conventions", "montant_total") => {
            ("Montant total de la convention, en euros.", Kind::Euros)
        }
        ("Conventions", "part_region") => {
            ("Part de la Région, en euros (facultatif).", Kind::Euros)
        }
        ("Conventions", "part_europe") => (
            "Part européenne (FEDER, Interreg), en euros (facultatif).",
            Kind::Euros,
        ),
        ("Conventions", "part_autres") => (
            "Part des autres financeurs, en euros (facultatif). Les trois parts ensemble ne dépassent pas le montant total.",
            Kind::Euros,
        ),
        ("Conventions", "statut") => (
            "Statut de la convention : choisir dans la liste.",
            Kind::Text,
        ),
        ("Partenaires", "id") => (
            "Identifiant unique du partenaire, par ex. P-0001, cité dans la colonne partenaires des conventions.",
            Kind::Code,
        ),
        ("Partenaires", "nom") => ("Nom ou raison sociale.", Kind::Text),
        ("Partenaires", "type") => ("Type de partenaire : choisir dans la liste.", Kind::Text),
        ("Partenaires", "siret") => (
            "SIRET (14 chiffres) ou SIREN (9 chiffres), espaces admis. Saisi en texte.",
            Kind::Code,
        ),
        ("Partenaires", "rna") => (
            "Numéro RNA d'une association : W suivi de 9 chiffres.",
            Kind::Code,
        ),
        ("Partenaires", "code_postal") => (
            "Code postal à 5 chiffres, saisi en texte (02100, pas 2100).",
            Kind::Code,
        ),
        ("Partenaires", "commune") => ("Commune du siège.", Kind::Text),
        ("Partenaires", "email") => ("Courriel de contact.", Kind::Text),
        ("Partenaires", "telephone") => (
            "Téléphone : 03 21 00 00 00 ou +33 3 21 00 00 00.",
            Kind::Code,
        ),
        ("Indicateurs", "indicateur") => ("Code de l'indicateur déclaratif (liste).", Kind::Code),
        ("Indicateurs", "annee") => ("Année de la valeur (liste).", Kind::Number),
        ("Indicateurs", "valeur") => (
            "Valeur réalisée dans l'année (nombre positif).",
            Kind::Number,
        ),
        ("Indicateurs", "parc") => ("Code du Parc concerné (facultatif).", Kind::Code),
        ("Indicateurs", "commentaire") => ("Commentaire libre.", Kind::Text),
        _ => ("", Kind::Text),
    }
}

struct Lists {
    /// (name, values) written as columns of the hidden sheet « Listes ».
    columns: Vec<(&'static str, Vec<String>)>,
}

impl Lists {
    fn from(r: &Referential) -> Lists {
        let codes = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
        let objectives: Vec<String> = {
            let codes: Vec<&str> = r.objectives.iter().map(|o| o.code.as_str()).collect();
            // Every non-empty combination, in order: OS1, OS2, OS1;OS2, …
            let mut combos: Vec<String> = (1..(1u32 << codes.len().min(8)))
                .map(|mask| {
                    codes
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, c)| *c)
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .collect();
            combos.sort_by_key(|c| (c.matches(';').count(), c.clone()));
            combos
        };
        Lists {
            columns: vec![
                ("echelle", codes(Echelle::labels().collect())),
                ("parc", r.parcs.iter().map(|p| p.code.clone()).collect()),
                ("statut", codes(Statut::labels().collect())),
                ("type", codes(PartnerType::labels().collect())),
                ("objectifs", objectives),
                ("thematique", r.thematiques.clone()),
                (
                    "programme",
                    r.programmes.iter().map(|p| p.code.clone()).collect(),
                ),
                (
                    "indicateur",
                    r.indicators()
                        .filter(|(_, i)| i.source == IndicatorSource::Declared)
                        .map(|(_, i)| i.code.clone())
                        .collect(),
                ),
                ("annee", r.years().map(|y| y.to_string()).collect()),
            ],
        }
    }

    /// `=Listes!$A$2:$A$6` for the named list.
    fn formula(&self, name: &str) -> Option<Formula> {
        let (i, (_, values)) = self
            .columns
            .iter()
            .enumerate()
            .find(|(_, (n, _))| *n == name)?;
        let letter = crate::checks::diagnostic::column_letters(i as u16);
        Some(Formula::new(format!(
            "=Listes!${letter}$2:${letter}${}",
            values.len() + 1
        )))
    }
}

fn add_sheet(
    wb: &mut Workbook,
    name: &str,
    specs: &[ColumnSpec],
    lists: &Lists,
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x2E_6B_3F))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let euros = Format::new().set_num_format("# ##0,00 €");
    let text = Format::new().set_num_format("@");
    let ws: &mut Worksheet = wb.add_worksheet().set_name(name)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_row_height(0, 30)?;
    for (c, spec) in specs.iter().enumerate() {
        let c = c as u16;
        let (help, kind) = describe(name, spec.name);
        ws.write_with_format(0, c, spec.name, &header)?;
        let required = if spec.required { "Obligatoire. " } else { "" };
        ws.insert_note(
            0,
            c,
            &Note::new(format!("{required}{help}"))
                .set_author("enrx")
                .set_width(300),
        )?;
        let width = match kind {
            Kind::Date => 13.0,
            Kind::Euros => 15.0,
            _ if spec.name == "intitule" || spec.name == "nom" => 40.0,
            _ if spec.name == "partenaires"
                || spec.name == "thematique"
                || spec.name == "commentaire" =>
            {
                24.0
            }
            _ => 14.0,
        };
        ws.set_column_width(c, width)?;
        let format = match kind {
            Kind::Date => Some(&date),
            Kind::Euros => Some(&euros),
            Kind::Code => Some(&text),
            _ => None,
        };
        if let Some(format) = format {
            ws.set_column_format(c, format)?;
        }
        let list_name = match (name, spec.name) {
            ("Indicateurs", "annee") => Some("annee"),
            (
                _,
                n @ ("echelle" | "parc" | "statut" | "type" | "objectifs" | "thematique"
                | "programme" | "indicateur"),
            ) => Some(n),
            _ => None,
        };
        if let Some(formula) = list_name.and_then(|n| lists.formula(n)) {
            // Objectives may be any combination: the list helps, other entries are allowed.
            let style = if spec.name == "objectifs" {
                DataValidationErrorStyle::Information
            } else {
                DataValidationErrorStyle::Stop
            };
            let validation = DataValidation::new()
                .allow_list_formula(formula)
                .set_error_style(style)
                .set_error_title("Valeur hors liste")?
                .set_error_message(format!(
                    "Choisissez une valeur de la liste pour « {} ».",
                    spec.name
                ))?;
            ws.add_data_validation(1, c, ROWS, c, &validation)?;
        }
    }
    Ok(())
}

const INSTRUCTIONS: &[&str] = &[
    "Modèle de dépôt des conventions de partenariat – ENRx",
    "",
    "Ce classeur se remplit puis s'envoie à ENRx. Avant l'envoi, vérifiez-le : enrx validate mon-fichier.xlsx",
    "",
    "1. Feuille Conventions : une ligne par convention. Les colonnes marquées « Obligatoire » dans leur commentaire doivent être remplies.",
    "   Échelle, parc, statut, thématique et programme se choisissent dans les listes déroulantes.",
    "   Le parc est obligatoire pour les échelles territoriale et locale ; le programme pour les échelles nationale et européenne.",
    "   Partenaires : les identifiants de la feuille Partenaires, séparés par des points-virgules (P-0001;P-0002).",
    "   Objectifs : OS1, OS2, OS3, ou plusieurs séparés par des points-virgules (OS1;OS3).",
    "   Dates au format jj/mm/aaaa ; montants en euros ; la somme des parts ne dépasse pas le montant total.",
    "2. Feuille Partenaires : une ligne par partenaire, avec un identifiant unique (P-0001…).",
    "   SIRET à 14 chiffres (ou SIREN à 9), RNA « W + 9 chiffres » pour les associations, code postal à 5 chiffres : ces colonnes sont en format Texte.",
    "   Un partenaire déjà déclaré dans un autre fichier (par ENRx ou un autre Parc) ne se déclare pas une deuxième fois : citez son identifiant.",
    "3. Feuille Indicateurs : les valeurs réalisées des indicateurs déclaratifs, une ligne par indicateur et par année (et par Parc si besoin).",
    "",
    "Ne renommez pas les feuilles ni les en-têtes : enrx les reconnaît par leur nom. Vous pouvez ajouter des lignes de titre au-dessus des en-têtes.",
    "Une ligne en erreur est écartée des chiffres du rapport à la Région : enrx indique la cellule et la correction.",
];

pub fn build(referential: &Referential) -> Result<Vec<u8>, XlsxError> {
    let lists = Lists::from(referential);
    let mut wb = Workbook::new();
    {
        let title = Format::new().set_bold().set_font_size(14);
        let ws = wb.add_worksheet().set_name("Instructions")?;
        ws.set_column_width(0, 120)?;
        for (r, line) in INSTRUCTIONS.iter().enumerate() {
            if r == 0 {
                ws.write_with_format(0, 0, *line, &title)?;
            } else {
                ws.write(r as u32, 0, *line)?;
            }
        }
        ws.write(
            INSTRUCTIONS.len() as u32 + 1,
            0,
            format!("Référentiel : {}", referential.title),
        )?;
    }
    add_sheet(&mut wb, "Conventions", CONVENTIONS, &lists)?;
    add_sheet(&mut wb, "Partenaires", PARTENAIRES, &lists)?;
    add_sheet(&mut wb, "Indicateurs", INDICATEURS, &lists)?;
    {
        let ws = wb.add_worksheet().set_name("Listes")?;
        for (c, (name, values)) in lists.columns.iter().enumerate() {
            ws.write(0, c as u16, *name)?;
            for (r, v) in values.iter().enumerate() {
                ws.write(r as u32 + 1, c as u16, v.as_str())?;
            }
        }
        ws.set_hidden(true);
    }
    wb.save_to_buffer()
}

pub fn run(args: &TemplateArgs) -> CommandResult {
    let referential = common::referential(args.referentiel.as_deref())?;
    let bytes = build(&referential)
        .map_err(|e| Failure::cannot_run(format!("impossible de construire le modèle ({e})")))?;
    common::write_file(&args.output, &bytes)?;
    common::print(format!("modèle écrit : {}\n", args.output.display()).as_bytes())?;
    Ok(Outcome::Clean)
}
