//! A Parc's workbook with a few problems on both sheets, for the picture of an annotated copy
//! in the README (`scripts/annote-picture.sh`).
//!
//! cargo run --example annote_demo -- DOSSIER    # writes DOSSIER/pnr-avesnois-2020.xlsx

use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Note, Workbook, XlsxError};

const CONVENTIONS: [&str; 12] = [
    "Identifiant",
    "Intitulé",
    "Échelle",
    "Parc",
    "Partenaires",
    "Objectifs",
    "Date de début",
    "Date de fin",
    "Montant total",
    "Part Région",
    "Statut",
    "Date de signature",
];

/// (id, intitulé, échelle, partenaires, objectifs, début, fin, montant, part Région, statut)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    (u16, u8, u8),
    (u16, u8, u8),
    f64,
    f64,
    &'static str,
);

const ROWS: [Row; 8] = [
    (
        "C-2020-001",
        "Convention annuelle ENRx / Parc naturel régional de l'Avesnois – 2020",
        "territoriale",
        "P-0002",
        "OS1",
        (2020, 1, 1),
        (2020, 12, 31),
        315_030.0,
        258_325.0,
        "soldée",
    ),
    (
        "C-2020-020",
        "Chantiers nature et entretien des corridors du bocage",
        "locale",
        "P-0040;P-0041",
        "OS2;OS3",
        (2020, 2, 1),
        (2021, 6, 30),
        11_000.4,
        5_500.0,
        "en cours",
    ),
    (
        "C-2020-021",
        "Inventaire des vergers haute-tige de la Thiérache",
        "locale",
        "P-0042;P-0420",
        "OS2",
        (2020, 3, 1),
        (2020, 12, 31),
        9_490.0,
        4_745.0,
        "signée",
    ),
    (
        "C-2020-022",
        "Sauvegarde des variétés fruitières locales",
        "locale",
        "P-0043",
        "OS2;OS5",
        (2020, 1, 15),
        (2021, 3, 31),
        6_500.25,
        3_250.0,
        "signée",
    ),
    (
        "C-2020-023",
        "Jardins pédagogiques du Pays de Mormal",
        "locale",
        "P-0044",
        "OS3",
        (2020, 9, 1),
        (2020, 6, 30),
        4_200.25,
        2_100.0,
        "signée",
    ),
    (
        "C-2020-024",
        "",
        "locale",
        "P-0045",
        "OS3",
        (2020, 2, 1),
        (2020, 12, 31),
        8_000.0,
        4_000.0,
        "signée",
    ),
    (
        "C-2020-025",
        "Suivi des oiseaux nicheurs de la vallée de la Sambre",
        "locale",
        "P-0046",
        "OS2",
        (2020, 4, 1),
        (2020, 11, 30),
        -5_700.8,
        2_850.0,
        "signée",
    ),
    (
        "C-2020-026",
        "Plan de paysage de la vallée de la Sambre",
        "locale",
        "P-0040",
        "OS2",
        (2020, 5, 1),
        (2020, 12, 31),
        12_100.0,
        6_050.0,
        "terminée",
    ),
];

const PARTNERS: [[&str; 8]; 7] = [
    [
        "P-0002",
        "Parc naturel régional de l'Avesnois",
        "parc",
        "25590082100026",
        "",
        "59550",
        "Maroilles",
        "contact@parc-naturel-avesnois.com",
    ],
    [
        "P-0040",
        "Les Blongios",
        "association",
        "",
        "W595012345",
        "59000",
        "Lille",
        "contact@blongios.fr",
    ],
    [
        "P-0041",
        "CPIE Bocage de l'Avesnois",
        "association",
        "41234567800012",
        "",
        "59550",
        "Maroilles",
        "cpie@bocage",
    ],
    [
        "P-0042",
        "Les Croqueurs de pommes",
        "association",
        "",
        "",
        "59440",
        "Avesnes-sur-Helpe",
        "",
    ],
    [
        "P-0043",
        "Pépinière Dubois",
        "entreprise",
        "82345678900019",
        "",
        "2100",
        "Saint-Quentin",
        "contact@pepiniere-dubois.fr",
    ],
    [
        "P-0044",
        "École du Quesnoy",
        "enseignement-recherche",
        "19590012300017",
        "",
        "59530",
        "Le Quesnoy",
        "",
    ],
    [
        "P-0045",
        "Commune de Maroilles",
        "collectivité",
        "21590380200019",
        "",
        "59550",
        "Maroilles",
        "mairie@maroilles.fr",
    ],
];

fn main() -> Result<(), XlsxError> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&dir)?;
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color("DDEBD2")
        .set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let euros = Format::new().set_num_format("#,##0.00\\ \"€\"");

    let ws = wb.add_worksheet().set_name("Conventions")?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    for (c, h) in CONVENTIONS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &head)?;
    }
    for (i, r) in ROWS.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write(row, 0, r.0)?;
        if !r.1.is_empty() {
            ws.write(row, 1, r.1)?;
        }
        ws.write(row, 2, r.2)?;
        ws.write(row, 3, "AVE")?;
        ws.write(row, 4, r.3)?;
        ws.write(row, 5, r.4)?;
        let d = |(y, m, d): (u16, u8, u8)| ExcelDateTime::from_ymd(y, m, d);
        ws.write_date_with_format(row, 6, &d(r.5)?, &date)?;
        ws.write_date_with_format(row, 7, &d(r.6)?, &date)?;
        ws.write_number_with_format(row, 8, r.7, &euros)?;
        ws.write_number_with_format(row, 9, r.8, &euros)?;
        ws.write(row, 10, r.9)?;
        ws.write_date_with_format(row, 11, &d((r.5.0 - 1, 12, 10))?, &date)?;
    }
    ws.insert_note(
        5,
        7,
        &Note::new("Date de fin à confirmer avec l'école").set_author("M. Lefebvre"),
    )?;
    for (c, w) in [12, 52, 12, 6, 16, 10, 13, 13, 14, 14, 10, 13]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;

    let ws = wb.add_worksheet().set_name("Partenaires")?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    for (c, h) in [
        "Identifiant",
        "Nom",
        "Type",
        "SIRET",
        "RNA",
        "Code postal",
        "Commune",
        "E-mail",
    ]
    .iter()
    .enumerate()
    {
        ws.write_with_format(0, c as u16, *h, &head)?;
    }
    for (i, p) in PARTNERS.iter().enumerate() {
        for (c, v) in p.iter().enumerate() {
            if !v.is_empty() {
                ws.write(i as u32 + 1, c as u16, *v)?;
            }
        }
    }
    for (c, w) in [12, 36, 20, 16, 12, 11, 18, 32].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    wb.save(format!("{dir}/pnr-avesnois-2020.xlsx"))
}
