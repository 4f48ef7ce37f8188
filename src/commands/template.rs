//! `enrx template`: the blank submission workbook the Parcs fill in (DESIGN §7). Its drop-down
//! lists come from the referential, so a workbook filled from it passes `validate`.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula,
    Note, Workbook, Worksheet, XlsxError,
};

use super::{CommandResult, Failure, Outcome, common};
use crate::cli::TemplateArgs;
use crate::model::referential::IndicatorSource;
use crate::model::schema::{self, Choices, ColumnKind, Spec};
use crate::model::{Echelle, PartnerType, Referential, SheetKind, Statut};

/// Rows given formats and drop-downs below the header.
const ROWS: u32 = 2000;

/// The drop-down lists, in the order of the hidden sheet « Listes ».
const CHOICES: [Choices; 9] = [
    Choices::Echelle,
    Choices::Parc,
    Choices::Statut,
    Choices::PartnerType,
    Choices::Objectifs,
    Choices::Thematique,
    Choices::Programme,
    Choices::Indicateur,
    Choices::Annee,
];

struct Lists {
    /// (name, values) written as columns of the hidden sheet « Listes ».
    columns: Vec<(Choices, &'static str, Vec<String>)>,
}

/// Every non-empty combination of the objectives, in order: OS1, OS2, OS1;OS2, …
fn objective_combinations(r: &Referential) -> Vec<String> {
    let codes: Vec<&str> = r.objectives.iter().map(|o| o.code.as_str()).collect();
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
}

fn values(choices: Choices, r: &Referential) -> Vec<String> {
    let owned = |v: &mut dyn Iterator<Item = &str>| v.map(str::to_string).collect();
    match choices {
        Choices::Echelle => owned(&mut Echelle::labels()),
        Choices::Parc => r.parcs.iter().map(|p| p.code.clone()).collect(),
        Choices::Statut => owned(&mut Statut::labels()),
        Choices::PartnerType => owned(&mut PartnerType::labels()),
        Choices::Objectifs => objective_combinations(r),
        Choices::Thematique => r.thematiques.clone(),
        Choices::Programme => r.programmes.iter().map(|p| p.code.clone()).collect(),
        Choices::Indicateur => r
            .indicators()
            .filter(|(_, i)| i.source == IndicatorSource::Declared)
            .map(|(_, i)| i.code.clone())
            .collect(),
        Choices::Annee => r.years().map(|y| y.to_string()).collect(),
    }
}

impl Lists {
    fn from(r: &Referential) -> Lists {
        // Each list is headed by the name of the first column that offers it.
        let name = |choices| {
            SheetKind::ALL
                .iter()
                .flat_map(|&k| schema::specs(k))
                .find(|spec| spec.choices == Some(choices))
                .map_or("", |spec| spec.name)
        };
        Lists {
            columns: CHOICES
                .into_iter()
                .map(|c| (c, name(c), values(c, r)))
                .collect(),
        }
    }

    /// `=Listes!$A$2:$A$6` for the list.
    fn formula(&self, choices: Choices) -> Option<Formula> {
        let (i, (_, _, values)) = self
            .columns
            .iter()
            .enumerate()
            .find(|(_, (c, _, _))| *c == choices)?;
        let letter = crate::diagnostic::column_letters(i as u16);
        Some(Formula::new(format!(
            "=Listes!${letter}$2:${letter}${}",
            values.len() + 1
        )))
    }
}

/// The euro format of money cells (en-US syntax, as the file stores it).
pub const EUROS: &str = "#,##0.00 €";

/// The note of a header cell: required or not, the help, and the column's contract name.
fn header_note(spec: &Spec) -> String {
    let required = if spec.required { "Obligatoire. " } else { "" };
    format!(
        "{required}{}\nNom technique, cité dans les messages d'enrx : {}",
        spec.help, spec.name
    )
}

/// The width of a column, by what it holds.
fn width(spec: &Spec) -> f64 {
    match spec.kind {
        ColumnKind::Date => 13.0,
        ColumnKind::Money => 15.0,
        ColumnKind::Text if spec.required => 40.0,
        ColumnKind::Text | ColumnKind::List => 24.0,
        _ => 14.0,
    }
}

fn add_sheet(wb: &mut Workbook, kind: SheetKind, lists: &Lists) -> Result<(), XlsxError> {
    let name = kind.name();
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x2E_6B_3F))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // OOXML stores number formats in the en-US syntax; French Excel shows « 1 234,50 € ».
    let euros = Format::new().set_num_format(EUROS);
    let text = Format::new().set_num_format("@");
    let ws: &mut Worksheet = wb.add_worksheet().set_name(name)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_row_height(0, 30)?;
    print_setup(ws)?;
    for (c, spec) in schema::specs(kind).iter().enumerate() {
        let c = c as u16;
        // The header a person expects; the contract's name, which diagnostics use, is in the note.
        ws.write_with_format(0, c, spec.label, &header)?;
        ws.insert_note(
            0,
            c,
            &Note::new(header_note(spec))
                .set_author("enrx")
                .set_width(300),
        )?;
        ws.set_column_width(c, width(spec))?;
        let format = match spec.kind {
            ColumnKind::Date => Some(&date),
            ColumnKind::Money => Some(&euros),
            ColumnKind::Code | ColumnKind::List => Some(&text),
            _ => None,
        };
        if let Some(format) = format {
            ws.set_column_format(c, format)?;
        }
        if let Some(choices) = spec.choices
            && let Some(formula) = lists.formula(choices)
        {
            // Objectives may be any combination: the list helps, other entries are allowed.
            let style = if choices == Choices::Objectifs {
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
                    spec.label
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

/// Width of the Instructions sheet's one column, in characters: it prints on a portrait A4
/// page with Excel's Calibri and with the wider fonts LibreOffice falls back to.
const INSTRUCTIONS_WIDTH: f64 = 72.0;

/// The « Instructions » sheet: one wide column of wrapped lines, so that paper shows what the
/// screen shows (a long line overflowing into empty cells is cut at the column's edge in
/// print). Each row is as high as its wrapped text: spreadsheets do not refit rows on opening.
fn add_instructions(wb: &mut Workbook, referential: &Referential) -> Result<(), XlsxError> {
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let title = wrap.clone().set_bold().set_font_size(14);
    let indented = wrap.clone().set_align(FormatAlign::Left).set_indent(1);
    let ws = wb.add_worksheet().set_name("Instructions")?;
    ws.set_column_width(0, INSTRUCTIONS_WIDTH)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&CPage &P / &N");
    let referential_line = format!("Référentiel : {}", referential.title);
    let lines = INSTRUCTIONS
        .iter()
        .copied()
        .chain(["", referential_line.as_str()]);
    // Characters of French text a line holds: about 1.2 per unit of width in Calibri, a little
    // less in the fonts LibreOffice falls back to; an estimate a little short only adds space.
    let capacity = (INSTRUCTIONS_WIDTH * 1.1) as usize;
    for (r, line) in lines.enumerate() {
        let r = r as u32;
        let (text, format, capacity, line_height) = if r == 0 {
            (line, &title, capacity * 11 / 14, 20.0)
        } else if let Some(sub) = line.strip_prefix("   ") {
            (sub, &indented, capacity - 4, 15.0)
        } else {
            (line, &wrap, capacity, 15.0)
        };
        if text.is_empty() {
            continue;
        }
        ws.write_with_format(r, 0, text, format)?;
        ws.set_row_height(
            r,
            line_height * crate::text::wrapped_lines(text, capacity) as f64,
        )?;
    }
    Ok(())
}

/// Data sheets print on landscape A4, one page wide, the header row on every page.
fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header("&C&A");
    ws.set_footer("&CPage &P / &N");
    Ok(())
}

pub fn build(referential: &Referential) -> Result<Vec<u8>, XlsxError> {
    let lists = Lists::from(referential);
    let mut wb = Workbook::new();
    add_instructions(&mut wb, referential)?;
    for kind in SheetKind::ALL {
        add_sheet(&mut wb, kind, &lists)?;
    }
    {
        let ws = wb.add_worksheet().set_name("Listes")?;
        for (c, (_, name, values)) in lists.columns.iter().enumerate() {
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
