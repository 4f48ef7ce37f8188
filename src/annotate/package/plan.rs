//! What a copy changes in a package, decided before anything is written: the parts replaced,
//! the parts added, their relationships and content types, the flagged sheets.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Seek};

use super::comments::{self, Note};
use super::new_sheet;
use super::parts::{self, Relationship, types};
use super::workbook::{self, NewSheet};
use super::{Package, PatchError, SheetMarks};
use crate::annotate::grid::Grid;
use crate::annotate::marks::At;

/// A flagged sheet: its name, its part, the relationship of the drawing of its notes.
pub struct FlaggedSheet {
    pub name: String,
    pub part: String,
    pub legacy_rid: String,
}

pub struct Plan {
    pub content_types: String,
    /// Existing parts written anew, by lower-case name.
    pub replaced: HashMap<String, Vec<u8>>,
    pub new_parts: Vec<(String, Vec<u8>)>,
    pub sheets: Vec<FlaggedSheet>,
    /// Existing parts written after the others (the styles, once the sheets are streamed).
    deferred: HashSet<String>,
}

impl Plan {
    pub fn is_deferred(&self, lower: &str) -> bool {
        self.deferred.contains(lower)
    }
}

/// Part names given out so far, so that no two parts share one.
struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// `{stem}{n}{ext}` with the first free `n`.
    fn fresh(&mut self, stem: &str, ext: &str) -> String {
        let name = (1..)
            .map(|n| format!("{stem}{n}{ext}"))
            .find(|n| !self.taken.contains(&n.to_ascii_lowercase()))
            .unwrap_or_default();
        self.taken.insert(name.to_ascii_lowercase());
        name
    }
}

/// A flagged sheet's relationships, and those added to them.
struct SheetRels {
    part: String,
    rels: Vec<Relationship>,
    ids: Vec<String>,
    added: String,
}

impl SheetRels {
    fn target_of(&self, kind: &str) -> Option<String> {
        self.rels
            .iter()
            .find(|r| r.is(kind))
            .map(|r| parts::resolve(&self.part, &r.target))
    }

    /// Adds a relationship to `target`; returns its id.
    fn add(&mut self, kind: &str, target: &str) -> String {
        let id = parts::fresh_id(&self.ids);
        self.added.push_str(&parts::relationship_xml(
            &id,
            kind,
            &parts::relative(&self.part, target),
        ));
        self.ids.push(id.clone());
        id
    }
}

struct Builder<'p, R: Read + Seek> {
    pkg: &'p mut Package<R>,
    names: Names,
    plan: Plan,
    /// Parts added, with the content type each needs.
    typed: Vec<(String, &'static str)>,
    /// Relationships added to the workbook's.
    workbook_rels: Vec<String>,
    next_block: u32,
    person: Option<String>,
    seed: String,
}

pub fn make<R: Read + Seek>(
    pkg: &mut Package<R>,
    marks: &BTreeMap<String, SheetMarks>,
    added: &[Grid],
    seed: &str,
) -> Result<Plan, PatchError> {
    let taken = pkg
        .members
        .names
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let mut b = Builder {
        names: Names { taken },
        plan: Plan {
            content_types: String::new(),
            replaced: HashMap::new(),
            new_parts: Vec::new(),
            sheets: Vec::new(),
            deferred: HashSet::new(),
        },
        typed: Vec::new(),
        workbook_rels: Vec::new(),
        next_block: 1,
        person: None,
        seed: seed.to_string(),
        pkg,
    };
    b.next_block = b.used_vml_blocks()? + 1;
    for (name, sheet_marks) in marks {
        if let Some(part) = b.pkg.sheet_part(name) {
            b.sheet(name, part, sheet_marks)?;
        }
    }
    b.new_sheets(added)?;
    b.finish()
}

impl<R: Read + Seek> Builder<'_, R> {
    fn read(&mut self, part: &str) -> Result<Option<String>, PatchError> {
        parts::read_text(&mut self.pkg.zip, &self.pkg.members, part)
    }

    fn used_vml_blocks(&mut self) -> Result<u32, PatchError> {
        let vml: Vec<String> = self
            .pkg
            .members
            .names
            .iter()
            .filter(|n| n.to_ascii_lowercase().ends_with(".vml"))
            .cloned()
            .collect();
        let mut max = 0;
        for part in vml {
            if let Some(text) = self.read(&part)? {
                max = comments::vml_blocks(&text).into_iter().fold(max, u32::max);
            }
        }
        Ok(max)
    }

    /// Plans the notes of one flagged sheet.
    fn sheet(&mut self, name: &str, part: String, marks: &SheetMarks) -> Result<(), PatchError> {
        let rels_part = parts::rels_of(&part);
        let rels_text = self.read(&rels_part)?;
        let rels = match &rels_text {
            Some(t) => parts::relationships(t, &rels_part)?,
            None => Vec::new(),
        };
        let mut sheet_rels = SheetRels {
            ids: rels.iter().map(|r| r.id.clone()).collect(),
            part: part.clone(),
            rels,
            added: String::new(),
        };
        let had_note = self.comments(&mut sheet_rels, marks)?;
        let needing: Vec<&Note> = marks
            .notes
            .iter()
            .filter(|n| !had_note.contains(&n.at))
            .collect();
        let legacy_rid = self.drawing(&mut sheet_rels, &needing)?;
        self.threads(&part, &sheet_rels.rels, marks)?;
        if !sheet_rels.added.is_empty() {
            let text = rels_text.as_deref().unwrap_or(parts::EMPTY_RELS);
            let bytes = parts::append_to_root(text, &sheet_rels.added, &rels_part)?.into_bytes();
            if rels_text.is_some() {
                self.plan
                    .replaced
                    .insert(rels_part.to_ascii_lowercase(), bytes);
            } else {
                self.plan.new_parts.push((rels_part, bytes));
            }
        }
        self.plan.sheets.push(FlaggedSheet {
            name: name.to_string(),
            part,
            legacy_rid,
        });
        Ok(())
    }

    /// The notes: merged into the sheet's comments part, or a new one. Returns the cells that
    /// already had a note (their shape is already drawn).
    fn comments(
        &mut self,
        rels: &mut SheetRels,
        marks: &SheetMarks,
    ) -> Result<HashSet<At>, PatchError> {
        let existing = match rels.target_of("comments") {
            Some(p) => self.read(&p)?.map(|t| (p, t)),
            None => None,
        };
        match existing {
            Some((p, t)) => {
                let merged = comments::merge(&t, &marks.notes, &p)?;
                self.plan.replaced.insert(p.to_ascii_lowercase(), merged);
                comments::refs(&t, &p)
            }
            None => {
                let p = self.names.fresh("xl/comments", ".xml");
                rels.add(&types::comments(), &p);
                self.plan
                    .new_parts
                    .push((p.clone(), comments::new_part(&marks.notes).into_bytes()));
                self.typed.push((p, types::CT_COMMENTS));
                Ok(HashSet::new())
            }
        }
    }

    /// The drawing that shows the notes: the sheet's legacy drawing with shapes added, or a new
    /// one. Returns its relationship id.
    fn drawing(&mut self, rels: &mut SheetRels, needing: &[&Note]) -> Result<String, PatchError> {
        let mut legacy = None;
        for r in rels.rels.iter().filter(|r| r.is("vmlDrawing")) {
            let p = parts::resolve(&rels.part, &r.target);
            if let Some(text) = self.read(&p)?
                && text.contains("ClientData")
            {
                legacy = Some((r.id.clone(), p, text));
                break;
            }
        }
        let first = self.next_block;
        self.next_block = comments::blocks_for(first, needing.len())
            .last()
            .copied()
            .unwrap_or(first)
            + 1;
        Ok(match legacy {
            Some((id, p, text)) => {
                if !needing.is_empty() {
                    let vml = comments::append_vml(&text, needing, first, &p)?;
                    self.plan
                        .replaced
                        .insert(p.to_ascii_lowercase(), vml.into_bytes());
                }
                id
            }
            None => {
                let p = self.names.fresh("xl/drawings/vmlDrawing", ".vml");
                let id = rels.add(&types::vml_drawing(), &p);
                self.plan
                    .new_parts
                    .push((p.clone(), comments::new_vml(needing, first).into_bytes()));
                self.typed.push((p, types::CT_VML));
                id
            }
        })
    }

    /// A reply in each flagged cell's thread of recent Excel, from the person « enrx ».
    fn threads(
        &mut self,
        part: &str,
        rels: &[Relationship],
        marks: &SheetMarks,
    ) -> Result<(), PatchError> {
        let Some(rel) = rels.iter().find(|r| r.kind == types::THREADED) else {
            return Ok(());
        };
        let p = parts::resolve(part, &rel.target);
        let Some(text) = self.read(&p)? else {
            return Ok(());
        };
        let threads = comments::threads(&text, &p)?;
        if !marks.notes.iter().any(|n| threads.has(n.at)) {
            return Ok(());
        }
        let person = self.person()?;
        let now = chrono::Local::now()
            .format("%Y-%m-%dT%H:%M:%S.00")
            .to_string();
        let seed = format!("{}:{p}", self.seed);
        let replied = threads.reply(&text, &marks.notes, &person, &now, &seed);
        self.plan
            .replaced
            .insert(p.to_ascii_lowercase(), replied.into_bytes());
        Ok(())
    }

    /// enrx's id in the workbook's list of persons (added to it, or to a new one).
    fn person(&mut self) -> Result<String, PatchError> {
        if let Some(id) = &self.person {
            return Ok(id.clone());
        }
        let existing = self
            .pkg
            .rels
            .iter()
            .find(|r| r.kind == types::PERSON)
            .map(|r| parts::resolve(&self.pkg.workbook_part, &r.target));
        let text = match &existing {
            Some(p) => self.read(p)?,
            None => None,
        };
        let (bytes, id) = comments::with_person(text.as_deref(), &self.seed)?;
        match existing.filter(|_| text.is_some()) {
            Some(p) => {
                self.plan
                    .replaced
                    .insert(p.to_ascii_lowercase(), bytes.into_bytes());
            }
            None => {
                let p = self.names.fresh("xl/persons/person", ".xml");
                self.workbook_rel(types::PERSON, &p);
                self.plan.new_parts.push((p.clone(), bytes.into_bytes()));
                self.typed.push((p, types::CT_PERSON));
            }
        }
        self.person = Some(id.clone());
        Ok(id)
    }

    /// Adds a relationship to the workbook's; returns its id.
    fn workbook_rel(&mut self, kind: &str, part: &str) -> String {
        let mut taken: Vec<String> = self.pkg.rels.iter().map(|r| r.id.clone()).collect();
        taken.extend(self.workbook_rels.iter().map(|r| {
            r.split("Id=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default()
                .to_string()
        }));
        let id = parts::fresh_id(&taken);
        let target = parts::relative(&self.pkg.workbook_part, part);
        self.workbook_rels
            .push(parts::relationship_xml(&id, kind, &target));
        id
    }

    fn new_sheets(&mut self, added: &[Grid]) -> Result<(), PatchError> {
        let last_id = self
            .pkg
            .workbook
            .sheets
            .iter()
            .map(|s| s.sheet_id)
            .max()
            .unwrap_or(0);
        let mut new_sheets = Vec::new();
        for (sheet_id, grid) in (last_id + 1..).zip(added) {
            let p = self.names.fresh("xl/worksheets/sheet", ".xml");
            let rid = self.workbook_rel(&types::worksheet(), &p);
            new_sheets.push(NewSheet {
                name: grid.name.clone(),
                sheet_id,
                rid,
                filter: new_sheet::filter_range(grid),
            });
            let xml = new_sheet::worksheet(grid, &self.pkg.styles, self.pkg.workbook.date1904);
            self.plan.new_parts.push((p.clone(), xml.into_bytes()));
            self.typed.push((p, types::CT_WORKSHEET));
        }
        let workbook = workbook::rewrite(&self.pkg.workbook_text, &new_sheets)?;
        self.plan
            .replaced
            .insert(self.pkg.workbook_part.to_ascii_lowercase(), workbook);
        Ok(())
    }

    fn finish(mut self) -> Result<Plan, PatchError> {
        match &self.pkg.styles_part {
            Some(p) => {
                self.plan.deferred.insert(p.to_ascii_lowercase());
            }
            None => {
                self.workbook_rel(&types::styles(), "xl/styles.xml");
                self.typed.push(("xl/styles.xml".into(), types::CT_STYLES));
            }
        }
        let rels = parts::append_to_root(
            &self.pkg.rels_text,
            &self.workbook_rels.concat(),
            &self.pkg.rels_part,
        )?;
        self.plan
            .replaced
            .insert(self.pkg.rels_part.to_ascii_lowercase(), rels.into_bytes());
        self.plan.content_types = self.pkg.content_types.with(&self.typed)?;
        Ok(self.plan)
    }
}
