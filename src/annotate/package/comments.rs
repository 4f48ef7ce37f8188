//! The notes of a flagged sheet: the comments part (a note the depositor already had on a
//! cell is kept, ours added after it), the VML drawing that shows them (new shapes get ids in
//! blocks no other drawing of the workbook uses), and, on a cell that holds a threaded comment
//! of recent Excel, a reply in that thread.

use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::Writer;
use quick_xml::events::Event;

use super::PatchError;
use super::xml::{self, attr, local, prefix_of, qualified, t_element, xml_error};
use crate::annotate::marks::{At, NoteEntry};

/// One flagged cell's note.
pub struct Note {
    pub at: At,
    pub entries: Vec<NoteEntry>,
    /// The same as plain text.
    pub text: String,
}

const AUTHOR: &str = "enrx";

fn run(p: &str, bold: bool, text: &str) -> String {
    let q = |n: &str| qualified(p, n);
    format!(
        "<{r}><{rpr}>{b}<{sz} val=\"9\"/><{color} indexed=\"81\"/><{font} val=\"Tahoma\"/><{family} val=\"2\"/></{rpr}>{t}</{r}>",
        r = q("r"),
        rpr = q("rPr"),
        b = if bold {
            format!("<{}/>", q("b"))
        } else {
            String::new()
        },
        sz = q("sz"),
        color = q("color"),
        font = q("rFont"),
        family = q("family"),
        t = t_element(&q("t"), text),
    )
}

/// The runs of a note: each diagnostic's first line in bold, its details below.
fn runs(p: &str, note: &Note, after_existing: bool) -> String {
    let mut out = String::new();
    for (i, e) in note.entries.iter().enumerate() {
        let lead = if i > 0 || after_existing { "\n\n" } else { "" };
        out.push_str(&run(p, true, &format!("{lead}{}", e.head)));
        if !e.details.is_empty() {
            out.push_str(&run(p, false, &format!("\n{}", e.details)));
        }
    }
    out
}

fn comment(p: &str, note: &Note, author: usize) -> String {
    format!(
        "<{c} ref=\"{}\" authorId=\"{author}\"><{t}>{}</{t}></{c}>",
        note.at.a1(),
        runs(p, note, false),
        c = qualified(p, "comment"),
        t = qualified(p, "text"),
    )
}

/// A comments part of its own, for a sheet that had no notes.
pub fn new_part(notes: &[Note]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors><author>enrx</author></authors><commentList>",
    );
    for n in notes {
        s.push_str(&comment("", n, 0));
    }
    s.push_str("</commentList></comments>");
    s
}

/// The cells that already have a note in a comments part.
pub fn refs(text: &str, part: &str) -> Result<HashSet<At>, PatchError> {
    let mut r = xml::reader(text.as_bytes());
    let mut buf = Vec::new();
    let mut out = HashSet::new();
    loop {
        match r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, e))?
        {
            Event::Start(e) | Event::Empty(e) if local(&e) == "comment" => {
                if let Some(at) = attr(&e, "ref").and_then(|r| At::parse(&r)) {
                    out.insert(at);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// An existing comments part with our author, our text after each flagged cell's note, and a
/// new note for each other flagged cell.
pub fn merge(text: &str, notes: &[Note], part: &str) -> Result<Vec<u8>, PatchError> {
    let by_cell: HashMap<At, &Note> = notes.iter().map(|n| (n.at, n)).collect();
    let mut done: HashSet<At> = HashSet::new();
    let mut r = xml::reader(text.as_bytes());
    let mut w = Writer::new(Vec::with_capacity(text.len() + notes.len() * 400));
    let mut buf = Vec::new();
    let (mut prefix, mut authors, mut author, mut current) = (String::new(), 0usize, None, None);
    let mut depth = 0usize;
    let mut listed = false;
    let raw = |w: &mut Writer<Vec<u8>>, s: &str| -> Result<(), PatchError> {
        use std::io::Write;
        w.get_mut()
            .write_all(s.as_bytes())
            .map_err(|e| xml_error(part, e))
    };
    loop {
        let event = r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, e))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => {
                depth += 1;
                match local(e).as_str() {
                    "comments" if depth == 1 => prefix = prefix_of(e),
                    "comment" => current = attr(e, "ref").and_then(|r| At::parse(&r)),
                    _ => {}
                }
            }
            Event::Empty(e) if local(e) == "author" => authors += 1,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    "author" => authors += 1,
                    "authors" => {
                        author = Some(authors);
                        raw(&mut w, &t_element(&qualified(&prefix, "author"), AUTHOR))?;
                    }
                    "text" => {
                        if let Some(n) = current.and_then(|at| by_cell.get(&at)) {
                            done.insert(n.at);
                            raw(&mut w, &runs(&prefix, n, true))?;
                        }
                    }
                    "commentList" => {
                        listed = true;
                        let id = author.unwrap_or(0);
                        for n in notes.iter().filter(|n| !done.contains(&n.at)) {
                            raw(&mut w, &comment(&prefix, n, id))?;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        w.write_event(event).map_err(|e| xml_error(part, e))?;
        buf.clear();
    }
    if author.is_none() || !listed {
        return Err(PatchError(format!(
            "{part} : notes sans auteurs ou sans liste"
        )));
    }
    Ok(w.into_inner())
}

/// VML shape ids come in blocks of 1 024, one block list per drawing: those a drawing uses.
pub fn vml_blocks(text: &str) -> Vec<u32> {
    let mut blocks = Vec::new();
    if let Some(i) = text.find("o:idmap") {
        let rest = &text[i..];
        if let Some(d) = rest.find("data=\"") {
            let data = &rest[d + 6..];
            let data = &data[..data.find('"').unwrap_or(0)];
            blocks.extend(data.split(',').filter_map(|b| b.trim().parse::<u32>().ok()));
        }
    }
    let mut rest = text;
    while let Some(i) = rest.find("_x0000_s") {
        rest = &rest[i + 8..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u32>() {
            blocks.push(n / 1024);
        }
    }
    blocks
}

/// The blocks `count` new shapes take from `first`.
pub fn blocks_for(first: u32, count: usize) -> Vec<u32> {
    let last = (first * 1024 + count as u32) / 1024;
    (first..=last.max(first)).collect()
}

const SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

/// A hidden note's shape, beside its cell and tall enough for its text.
fn shape(id: u32, note: &Note, z: usize) -> String {
    let lines: u32 = note
        .text
        .split('\n')
        .map(|l| (l.chars().count() as u32).div_ceil(48).max(1))
        .sum();
    let rows = (lines + 1).clamp(3, 40);
    let (row0, col0) = (note.at.row - 1, note.at.col);
    let (top, top_offset) = if row0 == 0 { (0, 2) } else { (row0 - 1, 10) };
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:{left}pt;margin-top:{mtop}pt;width:288pt;height:{height}pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{c1}, 15, {top}, {top_offset}, {c2}, 15, {bottom}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row0}</x:Row><x:Column>{col0}</x:Column></x:ClientData></v:shape>",
        left = (col0 + 1) * 48 + 11,
        mtop = top * 15 + 2,
        height = rows * 15,
        z = z + 1,
        c1 = col0 + 1,
        c2 = col0 + 6,
        bottom = top + rows,
    )
}

fn shapes(notes: &[&Note], first_block: u32) -> String {
    notes
        .iter()
        .enumerate()
        .map(|(i, n)| shape(first_block * 1024 + 1 + i as u32, n, i))
        .collect()
}

/// A VML drawing of its own for the notes of a sheet that had none.
pub fn new_vml(notes: &[&Note], first_block: u32) -> String {
    let data = blocks_for(first_block, notes.len())
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{data}\"/></o:shapelayout>{SHAPETYPE}{}</xml>",
        shapes(notes, first_block)
    )
}

/// An existing VML drawing (often not well-formed XML: edited as text) with shapes for the
/// new notes, their blocks added to its id map.
pub fn append_vml(
    text: &str,
    notes: &[&Note],
    first_block: u32,
    part: &str,
) -> Result<String, PatchError> {
    if notes.is_empty() {
        return Ok(text.to_string());
    }
    let end = text
        .rfind("</xml>")
        .ok_or_else(|| PatchError(format!("{part} : dessin VML sans fin")))?;
    let mut out = String::with_capacity(text.len() + notes.len() * 900);
    let head = &text[..end];
    let blocks = blocks_for(first_block, notes.len())
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    match head
        .find("o:idmap")
        .and_then(|i| head[i..].find("data=\"").map(|d| i + d + 6))
    {
        Some(at) => {
            let close = at + head[at..].find('"').unwrap_or(0);
            out.push_str(&head[..close]);
            if close > at {
                out.push(',');
            }
            out.push_str(&blocks);
            out.push_str(&head[close..]);
        }
        None => out.push_str(head),
    }
    if !head.contains("_x0000_t202") {
        out.push_str(SHAPETYPE);
    }
    out.push_str(&shapes(notes, first_block));
    out.push_str(&text[end..]);
    Ok(out)
}

/// The roots of threaded comments (recent Excel) by cell, and where each thread ends.
pub struct Threads {
    roots: HashMap<At, String>,
    /// Byte offset just after the last comment of each thread.
    ends: BTreeMap<usize, At>,
}

pub fn threads(text: &str, part: &str) -> Result<Threads, PatchError> {
    let mut r = xml::reader(text.as_bytes());
    let mut buf = Vec::new();
    let mut roots = HashMap::new();
    let mut last_end: HashMap<At, usize> = HashMap::new();
    let mut current = None;
    loop {
        match r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, e))?
        {
            Event::Start(e) if local(&e) == "threadedComment" => {
                current = attr(&e, "ref").and_then(|r| At::parse(&r));
                if let Some(at) = current
                    && attr(&e, "parentId").is_none()
                    && let Some(id) = attr(&e, "id")
                {
                    roots.entry(at).or_insert(id);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "threadedComment" => {
                if let Some(at) = current.take() {
                    last_end.insert(at, r.buffer_position() as usize);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(Threads {
        roots,
        ends: last_end.into_iter().map(|(at, end)| (end, at)).collect(),
    })
}

impl Threads {
    pub fn has(&self, at: At) -> bool {
        self.roots.contains_key(&at)
    }

    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The threaded comments part with a reply from `person` at the end of each flagged thread.
    pub fn reply(&self, text: &str, notes: &[Note], person: &str, now: &str, seed: &str) -> String {
        let by_cell: HashMap<At, &Note> = notes.iter().map(|n| (n.at, n)).collect();
        let prefix = text
            .find("<")
            .map(|_| {
                let root = text.find("ThreadedComments").unwrap_or(0);
                let open = text[..root].rfind('<').unwrap_or(0);
                text[open + 1..root].trim_end_matches(':').to_string()
            })
            .unwrap_or_default();
        let el = qualified(&prefix, "threadedComment");
        let text_el = qualified(&prefix, "text");
        let mut out = String::with_capacity(text.len() + notes.len() * 300);
        let mut from = 0;
        for (&end, at) in &self.ends {
            let (Some(note), Some(parent)) = (by_cell.get(at), self.roots.get(at)) else {
                continue;
            };
            out.push_str(&text[from..end]);
            out.push_str(&format!(
                "<{el} ref=\"{}\" dT=\"{now}\" personId=\"{person}\" id=\"{}\" parentId=\"{}\"><{text_el}>{}</{text_el}></{el}>",
                at.a1(),
                guid(&format!("{seed}:{}", at.a1())),
                xml::esc(parent),
                xml::esc_text(&note.text),
            ));
            from = end;
        }
        out.push_str(&text[from..]);
        out
    }
}

/// A person part with enrx added, and enrx's id there.
pub fn with_person(text: Option<&str>, seed: &str) -> Result<(String, String), PatchError> {
    let id = guid(&format!("{seed}:person"));
    let person =
        format!("<person displayName=\"enrx\" id=\"{id}\" userId=\"enrx\" providerId=\"None\"/>");
    let text = text.unwrap_or(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<personList xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\" xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"></personList>",
    );
    if text.contains("<personList") && !text.contains("</personList>") {
        // `<personList/>`: give it an end tag.
        let at = text.rfind("/>").unwrap_or(text.len());
        return Ok((
            format!("{}>{person}</personList>{}", &text[..at], &text[at + 2..]),
            id,
        ));
    }
    Ok((
        super::parts::append_to_root(text, &person, "xl/persons/person.xml")?,
        id,
    ))
}

/// A GUID in braces, derived from `seed` (the same file gives the same ids).
pub fn guid(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(seed.as_bytes());
    let hex: String = h.iter().take(16).map(|b| format!("{b:02X}")).collect();
    format!(
        "{{{}-{}-4{}-8{}-{}}}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(row: u32, col: u32, text: &str) -> Note {
        Note {
            at: At { row, col },
            entries: vec![NoteEntry {
                head: format!("[V001] {text}"),
                details: "attendu : x".into(),
            }],
            text: format!("[V001] {text}\nattendu : x"),
        }
    }

    #[test]
    fn keeps_the_depositors_note_and_adds_ours_after_it() {
        let existing = r#"<?xml version="1.0"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>Marie</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>À vérifier</t></r></text></comment></commentList></comments>"#;
        let notes = [note(2, 1, "vide"), note(3, 0, "autre")];
        let out = String::from_utf8(merge(existing, &notes, "c").unwrap()).unwrap();
        assert!(
            out.contains("<author>Marie</author><author>enrx</author></authors>"),
            "{out}"
        );
        assert!(
            out.contains(r#"<r><t>À vérifier</t></r><r><rPr><b/>"#),
            "{out}"
        );
        assert!(out.contains("\n\n[V001] vide"), "{out}");
        assert!(out.contains(r#"<comment ref="A3" authorId="1">"#), "{out}");
        assert_eq!(refs(&out, "c").unwrap().len(), 2);
    }

    #[test]
    fn vml_shapes_take_fresh_blocks() {
        let n = note(1, 0, "x");
        let v = new_vml(&[&n], 3);
        assert!(v.contains(r#"data="3""#));
        assert!(v.contains("_x0000_s3073"));
        assert!(vml_blocks(&v).iter().all(|&b| b == 3));
        let old = r#"<xml xmlns:v="urn:schemas-microsoft-com:vml"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shape id="_x0000_s1025"></v:shape></xml>"#;
        assert_eq!(vml_blocks(old), vec![1, 1]);
        let out = append_vml(old, &[&n], 2, "v").unwrap();
        assert!(out.contains(r#"data="1,2""#), "{out}");
        assert!(
            out.contains("_x0000_t202") && out.contains("_x0000_s2049"),
            "{out}"
        );
        assert_eq!(blocks_for(1, 1023), vec![1]);
        assert_eq!(blocks_for(1, 1024), vec![1, 2]);
    }

    #[test]
    fn replies_in_a_thread() {
        let text = r#"<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="B2" dT="2020-01-01T00:00:00.00" personId="{P}" id="{A}"><text>Q ?</text></threadedComment><threadedComment ref="B2" dT="2020-01-01T00:00:00.00" personId="{P}" id="{B}" parentId="{A}"><text>R</text></threadedComment><threadedComment ref="C3" dT="2020-01-01T00:00:00.00" personId="{P}" id="{C}"><text>S</text></threadedComment></ThreadedComments>"#;
        let t = threads(text, "t").unwrap();
        assert!(t.has(At { row: 2, col: 1 }));
        let out = t.reply(
            text,
            &[note(2, 1, "vide")],
            "{E}",
            "2026-01-01T00:00:00.00",
            "s",
        );
        let reply = out.find("personId=\"{E}\"").unwrap();
        assert!(
            reply > out.find("{B}").unwrap() && reply < out.find("{C}").unwrap(),
            "{out}"
        );
        assert!(
            out.contains("parentId=\"{A}\"><text>[V001] vide\nattendu : x</text>"),
            "{out}"
        );
        let g = guid("x");
        assert_eq!(g.len(), 38);
    }
}
