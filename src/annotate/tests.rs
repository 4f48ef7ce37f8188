use super::*;
use crate::ingest::discover;

/// The sample data set, read and checked as `validate` does.
pub(crate) fn sample() -> (
    Referential,
    DataSet,
    Vec<Diagnostic>,
    crate::diagnostic::Tally,
) {
    let referential = Referential::load(None).unwrap();
    let folder = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/input"));
    let found = discover::discover(&[folder], &Default::default()).unwrap();
    let checked =
        crate::commands::common::check(found, true, &referential, 2020, &Limits::default(), false);
    (referential, checked.ds, checked.diagnostics, checked.tally)
}

#[test]
fn contributions_add_up_to_the_report() {
    let (referential, mut ds, diagnostics, tally) = sample();
    let scope = Scope::Year(2020);
    let whole = crate::figures::compute::report(&ds, &referential, &diagnostics, &tally, scope);
    let exclusions = Exclusions::from(&diagnostics);
    let parts: Vec<Contribution> = (0..ds.files.len() as u32)
        .map(|file| contribution::of_file(&mut ds, &referential, &exclusions, scope, file, 5))
        .collect();
    let cents = |d| crate::text::french::round(d, 2);
    let count: usize = parts.iter().map(|c| c.totals.active_conventions).sum();
    assert!(count > 0);
    assert_eq!(count, whole.totals.active_conventions);
    let total: rust_decimal::Decimal = parts.iter().map(|c| c.totals.amounts.total).sum();
    assert_eq!(cents(total), cents(whole.totals.amounts.total));
    for (i, o) in whole.objectives.iter().enumerate() {
        let n: usize = parts
            .iter()
            .map(|c| c.objectives[i].active_conventions)
            .sum();
        let region: rust_decimal::Decimal =
            parts.iter().map(|c| c.objectives[i].amounts.region).sum();
        assert_eq!(
            (n, cents(region)),
            (o.active_conventions, cents(o.amounts.region)),
            "{}",
            o.code
        );
        for (j, ind) in o
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.source == "declare")
        {
            let declared: rust_decimal::Decimal = parts
                .iter()
                .map(|c| c.objectives[i].indicators[j].achieved)
                .sum();
            assert_eq!(declared, ind.achieved, "{}", ind.code);
        }
    }
    for (i, s) in whole.scales.iter().enumerate() {
        let n: usize = parts.iter().map(|c| c.scales[i].active_conventions).sum();
        assert_eq!(n, s.active_conventions, "{}", s.key);
    }
    for (i, p) in whole
        .parcs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.key.is_empty())
    {
        let europe: rust_decimal::Decimal = parts.iter().map(|c| c.parcs[i].amounts.europe).sum();
        assert_eq!(cents(europe), cents(p.amounts.europe), "{}", p.key);
    }
    assert!(parts.iter().all(|c| c.conventions.len() <= 5));
    let again = crate::figures::compute::report(&ds, &referential, &diagnostics, &tally, scope);
    assert_eq!(
        again.objectives, whole.objectives,
        "the data set is given back whole"
    );
}

#[test]
fn names_of_the_added_sheets() {
    let mut taken = vec!["Conventions".to_string(), "ANOMALIES".to_string()];
    assert_eq!(unique_name(sheets::ANOMALIES, &mut taken), "Anomalies enrx");
    assert_eq!(unique_name(sheets::FIGURES, &mut taken), "Vos chiffres");
    assert_eq!(
        unique_name(sheets::ANOMALIES, &mut taken),
        "Anomalies enrx 2"
    );
}

/// A package as recent Excel writes it when a cell has a threaded comment: the legacy note,
/// its VML shape, the thread and the persons; and a second drawing using id block 5.
fn threaded_package() -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/><Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/vnd.ms-excel.threadedcomments+xml"/><Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Conventions" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2017/10/relationships/person" Target="persons/person.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData><legacyDrawing r:id="rId2"/></worksheet>"#)),
        ("xl/worksheets/_rels/sheet1.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/><Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>"#.into()),
        ("xl/comments1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><comments xmlns="{MAIN}"><authors><author>tc={{A}}</author></authors><commentList><comment ref="B2" authorId="0" shapeId="0"><text><t>[Threaded comment]

Comment:
    Montant à revoir ?</t></text></comment></commentList></comments>"#)),
        ("xl/drawings/vmlDrawing1.vml", r##"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"></v:shapetype><v:shape id="_x0000_s1025" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>1</x:Row><x:Column>1</x:Column></x:ClientData></v:shape></xml>"##.into()),
        ("xl/drawings/vmlDrawing2.vml", r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="5"/></o:shapelayout></xml>"#.into()),
        ("xl/threadedComments/threadedComment1.xml", r#"<?xml version="1.0" encoding="UTF-8"?><ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><threadedComment ref="B2" dT="2020-05-01T10:00:00.00" personId="{P}" id="{A}"><text>Montant à revoir ?</text></threadedComment></ThreadedComments>"#.into()),
        ("xl/persons/person.xml", r#"<?xml version="1.0" encoding="UTF-8"?><personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><person displayName="Marie" id="{P}" userId="marie" providerId="None"/></personList>"#.into()),
    ];
    let mut out = Vec::new();
    {
        let mut z = zip::ZipWriter::new(Cursor::new(&mut out));
        for (name, text) in &parts {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut z, text.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    out
}

fn parts_of(bytes: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

#[test]
fn threaded_comments_existing_notes_and_drawings() {
    use marks::{At, NoteEntry};
    let note = |row, col, code: &str| Note {
        at: At { row, col },
        entries: vec![NoteEntry {
            head: format!("[{code}] message"),
            details: "attendu : x".into(),
        }],
        text: format!("[{code}] message\nattendu : x"),
    };
    let cells = vec![
        (At { row: 2, col: 1 }, Severity::Erreur),
        (At { row: 3, col: 2 }, Severity::Info),
    ];
    let marks = BTreeMap::from([(
        "Conventions".to_string(),
        SheetMarks {
            cells,
            notes: vec![note(2, 1, "M001"), note(3, 2, "V007")],
        },
    )]);
    let pkg = Package::open(Cursor::new(threaded_package())).unwrap();
    let mut out = Cursor::new(Vec::new());
    let grids = [grid::Grid::new("Anomalies", &[10.0])];
    pkg.write(&mut out, &marks, &grids, "test").unwrap();
    let parts = parts_of(out.get_ref());

    let comments = &parts["xl/comments1.xml"];
    let kept = comments.find("Montant à revoir ?").unwrap();
    assert!(kept < comments.find("[M001]").unwrap(), "{comments}");
    assert!(
        comments.contains("<comment ref=\"C3\" authorId=\"1\">"),
        "{comments}"
    );
    assert!(
        !parts.contains_key("xl/comments2.xml"),
        "the sheet's notes stay in one part"
    );

    let vml = &parts["xl/drawings/vmlDrawing1.vml"];
    assert!(
        vml.contains("data=\"1,6\""),
        "a block no drawing uses: {vml}"
    );
    assert_eq!(
        vml.matches("<v:shape ").count(),
        2,
        "one new shape, for C3 only"
    );
    assert!(vml.contains("_x0000_s6145") && vml.contains("<x:Row>2</x:Row><x:Column>2</x:Column>"));

    let thread = &parts["xl/threadedComments/threadedComment1.xml"];
    assert!(
        thread.contains("parentId=\"{A}\"><text>[M001] message\nattendu : x</text>"),
        "{thread}"
    );
    let persons = &parts["xl/persons/person.xml"];
    assert!(persons.contains("displayName=\"Marie\"") && persons.contains("displayName=\"enrx\""));
    let enrx_id = persons.split("displayName=\"enrx\" id=\"").nth(1).unwrap();
    assert!(thread.contains(&format!("personId=\"{}\"", &enrx_id[..38])));

    let sheet = &parts["xl/worksheets/sheet1.xml"];
    assert_eq!(sheet.matches("legacyDrawing").count(), 1, "{sheet}");
    assert!(sheet.contains("<row r=\"3\"><c r=\"C3\" s=\""), "{sheet}");
    let workbook = &parts["xl/workbook.xml"];
    assert!(
        workbook.contains("<sheet name=\"Anomalies\" sheetId=\"2\""),
        "{workbook}"
    );
    assert!(
        parts.contains_key("xl/styles.xml"),
        "a styles part is added when there was none"
    );
    assert!(parts["xl/_rels/workbook.xml.rels"].contains("styles.xml"));
    assert!(parts["[Content_Types].xml"].contains("/xl/styles.xml"));
}
