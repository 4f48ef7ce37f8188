//! Small helpers over quick-xml for the parts of a workbook package: names without their
//! prefix, attributes read and replaced, text escaped for XML 1.0.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::BytesStart;

use super::PatchError;

/// A reader that gives every byte back as it was (no trimming).
pub fn reader<R: BufRead>(source: R) -> Reader<R> {
    let mut r = Reader::from_reader(source);
    let config = r.config_mut();
    config.trim_text(false);
    config.expand_empty_elements = false;
    r
}

/// The element's name without its namespace prefix.
pub fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

pub fn is(e: &BytesStart, name: &str) -> bool {
    e.local_name().as_ref() == name
}

/// The prefix of a qualified name (`x` for `x:worksheet`), empty when there is none.
pub fn prefix_of(e: &BytesStart) -> String {
    let name = e.name();
    match name.as_ref().split_once(':') {
        Some((p, _)) => p.to_string(),
        None => String::new(),
    }
}

/// An attribute's value, unescaped, by its qualified name (`r`, `r:id`).
pub fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find_map(|a| (a.key.as_ref() == name).then(|| value(&a.value)))
}

/// An attribute by its local name, whatever its prefix (`r:id`, `rel:id`).
pub fn attr_local(e: &BytesStart, local_name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find_map(|a| (a.key.local_name().as_ref() == local_name).then(|| value(&a.value)))
}

/// A raw attribute value, unescaped.
fn value(raw: &str) -> String {
    quick_xml::escape::unescape(raw)
        .map(Cow::into_owned)
        .unwrap_or_else(|_| raw.to_string())
}

/// The element with attributes replaced or added (`None` removes one), the others as they were.
pub fn with_attrs(e: &BytesStart, changes: &[(&str, Option<&str>)]) -> BytesStart<'static> {
    let name = e.name().as_ref().to_string();
    let mut out = BytesStart::new(name);
    for a in e.attributes().flatten() {
        let key = a.key.as_ref().to_string();
        if changes.iter().any(|(k, _)| *k == key) {
            continue;
        }
        // The raw value is already escaped: keep it byte for byte.
        push_raw(&mut out, &key, &a.value);
    }
    for (k, v) in changes {
        if let Some(v) = v {
            push_raw(&mut out, k, &esc(v));
        }
    }
    out
}

fn push_raw(e: &mut BytesStart<'static>, key: &str, escaped: &str) {
    let content = format!("{} {key}=\"{}\"", &**e, escaped.replace('"', "&quot;"));
    let name_len = e.name().as_ref().len();
    *e = BytesStart::from_content(content, name_len);
}

/// An attribute value escaped for XML, without the characters XML 1.0 forbids.
pub fn esc(s: &str) -> String {
    escape(s, true)
}

/// Element text escaped for XML, without the characters XML 1.0 forbids.
pub fn esc_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `<t>` with `xml:space="preserve"` when spaces at its ends or line breaks must survive.
pub fn t_element(tag: &str, s: &str) -> String {
    let preserve =
        s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) || s.contains('\n');
    if preserve {
        format!("<{tag} xml:space=\"preserve\">{}</{tag}>", esc_text(s))
    } else {
        format!("<{tag}>{}</{tag}>", esc_text(s))
    }
}

/// A qualified name with the document's prefix for its main namespace.
pub fn qualified(prefix: &str, local: &str) -> String {
    if prefix.is_empty() {
        local.to_string()
    } else {
        format!("{prefix}:{local}")
    }
}

/// The prefix a root element binds to `namespace` (`Some("")` for the default namespace).
pub fn prefix_for(root: &BytesStart, namespace: &str) -> Option<String> {
    root.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref().to_string();
        if a.value.as_ref() != namespace {
            return None;
        }
        if key == "xmlns" {
            Some(String::new())
        } else {
            key.strip_prefix("xmlns:").map(str::to_string)
        }
    })
}

pub fn xml_error(part: &str, e: impl std::fmt::Display) -> PatchError {
    PatchError(format!("{part} : XML illisible ({e})"))
}

pub const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_attributes_and_keeps_the_others_raw() {
        let e = BytesStart::from_content(r#"c r="A1" s="3" t="s""#, 1);
        let out = with_attrs(&e, &[("s", Some("12"))]);
        assert_eq!(&*out, r#"c r="A1" t="s" s="12""#);
        let e = BytesStart::from_content(r#"x:row r="2" spans="1:3""#, 5);
        let out = with_attrs(&e, &[("spans", None)]);
        assert_eq!(&*out, r#"x:row r="2""#);
        assert_eq!(attr(&e, "r").as_deref(), Some("2"));
        assert_eq!(prefix_of(&e), "x");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            esc("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
        assert_eq!(t_element("t", " x"), "<t xml:space=\"preserve\"> x</t>");
    }
}
