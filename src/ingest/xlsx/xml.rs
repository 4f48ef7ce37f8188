//! One XML part of the package, read event by event with quick-xml under the package's guard:
//! no DTD (so no entity can expand), no entity but XML's five and character references, a
//! bounded nesting depth, and every stop turned into a French refusal.

use std::borrow::Cow;
use std::io::BufReader;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::package::Member;
use crate::ingest::limits::Refusal;
use crate::text::echo::bound;

/// Spreadsheet XML nests a dozen levels at most (`worksheet/extLst/ext/…`).
const MAX_DEPTH: u32 = 256;

pub(super) struct Xml<'a> {
    reader: Reader<BufReader<Member<'a>>>,
    depth: u32,
}

impl<'a> Xml<'a> {
    pub fn new(member: Member<'a>) -> Self {
        let mut reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, member));
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = false;
        config.check_comments = false;
        config.expand_empty_elements = false;
        Xml { reader, depth: 0 }
    }

    fn member(&self) -> &Member<'a> {
        self.reader.get_ref().get_ref()
    }

    /// The part's name, bounded for messages.
    pub fn part(&self) -> String {
        bound(self.member().name()).into_owned()
    }

    /// Elements open around the current position.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    pub fn check_time(&self) -> Result<(), Refusal> {
        self.member().budget().check_time()
    }

    /// The part is not what it should be.
    pub fn malformed(&self, what: impl std::fmt::Display) -> Refusal {
        Refusal::Unreadable(format!("classeur illisible ({} : {what})", self.part()))
    }

    /// The next event, its data in `buf` (cleared first).
    pub fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, Refusal> {
        buf.clear();
        self.reader.get_mut().get_mut().mark();
        match self.reader.read_event_into(buf) {
            Ok(event) => {
                match &event {
                    Event::Start(_) => {
                        self.depth += 1;
                        if self.depth > MAX_DEPTH {
                            return Err(Refusal::Unreadable(format!(
                                "classeur illisible ({} : éléments XML imbriqués sur plus de \
                                 {MAX_DEPTH} niveaux)",
                                self.part()
                            )));
                        }
                    }
                    Event::End(_) => self.depth = self.depth.saturating_sub(1),
                    Event::DocType(_) => {
                        return Err(Refusal::Unreadable(format!(
                            "classeur illisible ({} : déclaration DOCTYPE refusée, un classeur \
                             n'en contient jamais)",
                            self.part()
                        )));
                    }
                    _ => {}
                }
                Ok(event)
            }
            Err(e) => {
                let member = self.reader.get_ref().get_ref();
                Err(member.budget().take_trip().unwrap_or_else(|| {
                    Refusal::Unreadable(format!(
                        "classeur illisible ({} : {})",
                        bound(member.name()),
                        bound(&e.to_string())
                    ))
                }))
            }
        }
    }

    /// Skips what is left of the element whose start was just read.
    pub fn skip(&mut self, buf: &mut Vec<u8>) -> Result<(), Refusal> {
        let level = self.depth;
        loop {
            match self.next(buf)? {
                Event::End(_) if self.depth < level => return Ok(()),
                Event::Eof => return Err(self.malformed("fin de fichier inattendue")),
                _ => {}
            }
        }
    }

    /// Appends the text of the element whose start was just read to `out` (entities and
    /// character references resolved, line ends as XML reads them), up to its end; elements
    /// inside are skipped. Refused past `max_bytes` in `out`.
    pub fn text_into(
        &mut self,
        buf: &mut Vec<u8>,
        out: &mut String,
        max_bytes: usize,
        too_long: &dyn Fn() -> Refusal,
    ) -> Result<(), Refusal> {
        let level = self.depth;
        loop {
            match self.next(buf)? {
                Event::Text(t) => push_str(out, &t.xml10_content(), max_bytes, too_long)?,
                Event::CData(t) => push_str(out, &t.xml10_content(), max_bytes, too_long)?,
                Event::GeneralRef(r) => {
                    let resolved = resolve_reference(&r).ok_or_else(|| {
                        self.malformed(format!("entité inconnue « &{}; »", bound(&r)))
                    })?;
                    push_str(out, &resolved, max_bytes, too_long)?;
                }
                Event::End(_) if self.depth < level => return Ok(()),
                Event::Eof => return Err(self.malformed("fin de fichier inattendue")),
                _ => {}
            }
        }
    }
}

fn push_str(
    out: &mut String,
    s: &str,
    max_bytes: usize,
    too_long: &dyn Fn() -> Refusal,
) -> Result<(), Refusal> {
    if out.len() + s.len() > max_bytes {
        return Err(too_long());
    }
    out.push_str(s);
    Ok(())
}

/// XML's five entities and character references; nothing else (no DTD is read).
fn resolve_reference(r: &str) -> Option<Cow<'static, str>> {
    if let Some(s) = quick_xml::escape::resolve_xml_entity(r) {
        return Some(Cow::Borrowed(s));
    }
    let number = r.strip_prefix('#')?;
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    char::from_u32(code)
        .filter(|&c| c != '\0')
        .map(|c| Cow::Owned(c.to_string()))
}

/// The value of attribute `key` (its qualified name as written), unescaped.
pub(super) fn attribute<'e>(e: &'e BytesStart, key: &str) -> Option<Cow<'e, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(unescaped)
}

/// The value of the attribute whose local name is `local` (`r:id` for `id`), unescaped.
pub(super) fn attribute_local<'e>(e: &'e BytesStart, local: &str) -> Option<Cow<'e, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(unescaped)
}

/// An attribute's value with XML's five entities and character references resolved (left as
/// written when it holds another).
fn unescaped(a: quick_xml::events::attributes::Attribute) -> Cow<str> {
    match quick_xml::escape::unescape(&a.value) {
        Ok(Cow::Owned(v)) => Cow::Owned(v),
        _ => a.value,
    }
}

/// The attributes of a start tag as written, `(key, value)`, without unescaping: for the
/// cells and rows, whose attributes are plain ASCII. Stops at the first malformed one.
pub(super) fn raw_attributes<'e>(e: &'e BytesStart) -> RawAttributes<'e> {
    RawAttributes {
        rest: e.attributes_raw(),
    }
}

pub(super) struct RawAttributes<'e> {
    rest: &'e str,
}

impl<'e> Iterator for RawAttributes<'e> {
    type Item = (&'e str, &'e str);

    fn next(&mut self) -> Option<Self::Item> {
        // Byte by byte: every position cut is at an ASCII byte, so a char boundary.
        let s = self.rest;
        let b = s.as_bytes();
        let mut i = 0;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let key_start = i;
        while *b.get(i)? != b'=' {
            i += 1;
        }
        let mut key_end = i;
        while key_end > key_start && b[key_end - 1].is_ascii_whitespace() {
            key_end -= 1;
        }
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let quote = *b.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 1;
        let value_end = value_start + b[value_start..].iter().position(|&c| c == quote)?;
        self.rest = &s[value_end + 1..];
        Some((&s[key_start..key_end], &s[value_start..value_end]))
    }
}

/// Whether an `xsd:boolean` attribute value is true.
pub(super) fn is_true(v: &str) -> bool {
    matches!(v.trim(), "1" | "true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_attributes_as_written() {
        let xml = br#"<c r="A1" s = '2'  t="inlineStr">"#;
        let mut reader = quick_xml::Reader::from_reader(&xml[..]);
        let Ok(Event::Start(e)) = reader.read_event() else {
            panic!("a start tag");
        };
        let found: Vec<_> = raw_attributes(&e).collect();
        assert_eq!(found, [("r", "A1"), ("s", "2"), ("t", "inlineStr")]);
    }

    #[test]
    fn references() {
        assert_eq!(resolve_reference("amp").as_deref(), Some("&"));
        assert_eq!(resolve_reference("#x41").as_deref(), Some("A"));
        assert_eq!(resolve_reference("#233").as_deref(), Some("é"));
        assert_eq!(resolve_reference("#0"), None);
        assert_eq!(resolve_reference("lol9"), None);
    }
}
