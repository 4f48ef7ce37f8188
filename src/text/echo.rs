//! Text from a submission, echoed back to the user: in a diagnostic's message, its `valeur`,
//! the JSON and CSV outputs, `anomalies.csv` and the PDF. A submission is not trusted, so what
//! is echoed is bounded in length, and the characters that could drive a terminal (ESC and
//! every other C0 or C1 control) or reorder a line (bidirectional embeddings, overrides and
//! isolates) are shown escaped, as Rust writes them: `\u{1b}`. Zero-width characters are
//! harmless and stay.

use std::borrow::Cow;
use std::fmt::Write;

use super::french::format_integer;

/// The characters of a cell shown before it is cut.
pub const MAX_CHARS: usize = 200;

/// Whether `c` is shown escaped: C0 controls (tab and line breaks too: a line break would
/// let a cell forge a diagnostic line of its own), DEL, C1 controls, and the bidirectional
/// embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char) {
    if is_unsafe(c) {
        // `\u{1b}`: cannot fail on a String.
        let _ = write!(out, "{}", c.escape_unicode());
    } else {
        out.push(c);
    }
}

/// `text` with its unsafe characters escaped, whole: for the tool's own sentences, which may
/// carry a file name or a library's reason. Escaping twice changes nothing.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// `escape` for an owned string, without a copy when there is nothing to escape.
pub fn escape_owned(text: String) -> String {
    match escape(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    }
}

/// A value from a cell as it is echoed: its first `MAX_CHARS` characters, unsafe ones
/// escaped, then `… (N caractères)` when it was longer. Every cell value a diagnostic quotes
/// goes through here.
pub fn bound(value: &str) -> Cow<'_, str> {
    // Fewer bytes than the limit is fewer characters too.
    if value.len() <= MAX_CHARS && !value.chars().any(is_unsafe) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len().min(4 * MAX_CHARS) + 32);
    let mut chars = value.chars();
    for c in chars.by_ref().take(MAX_CHARS) {
        push_shown(&mut out, c);
    }
    let rest = chars.count();
    if rest > 0 {
        let total = MAX_CHARS + rest;
        let _ = write!(
            out,
            "… ({} caractères)",
            format_integer(i64::try_from(total).unwrap_or(i64::MAX))
        );
    }
    Cow::Owned(out)
}

/// `bound` for an owned string, without a copy when it is short and clean.
pub fn bound_owned(value: String) -> String {
    match bound(&value) {
        Cow::Borrowed(_) => value,
        Cow::Owned(shown) => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_clean_text_is_untouched_and_not_copied() {
        for s in [
            "",
            "P-0042",
            "Parc naturel régional de l'Avesnois",
            "a\u{200b}b\u{feff}",
        ] {
            assert!(matches!(bound(s), Cow::Borrowed(b) if b == s), "{s:?}");
            assert!(matches!(escape(s), Cow::Borrowed(_)));
        }
        let exactly = "é".repeat(MAX_CHARS);
        assert_eq!(bound(&exactly), exactly.as_str());
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(bound("\x1b[2Jeffacé"), "\\u{1b}[2Jeffacé");
        assert_eq!(bound("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(bound("a\u{2066}b\u{2069}"), "a\\u{2066}b\\u{2069}");
        assert_eq!(
            bound("ligne 1\nerreur[R002]: faux"),
            "ligne 1\\u{a}erreur[R002]: faux"
        );
        assert_eq!(bound("\u{9b}31m\u{7f}\t"), "\\u{9b}31m\\u{7f}\\u{9}");
        // Zero-width characters and ordinary French text stay.
        assert_eq!(
            bound("a\u{200b}b\u{200d}c « d »"),
            "a\u{200b}b\u{200d}c « d »"
        );
        // Escaping is idempotent: a diagnostic's text can go through it again.
        let once = escape("\x1b\u{202e}x").into_owned();
        assert_eq!(escape(&once), once.as_str());
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = "x".repeat(30_000);
        let shown = bound(&long);
        assert_eq!(
            shown,
            format!("{}… (30\u{202f}000 caractères)", "x".repeat(MAX_CHARS))
        );
        let one_more = "é".repeat(MAX_CHARS + 1);
        assert!(bound(&one_more).ends_with("… (201 caractères)"));
        // Escapes are counted as the one character they stand for: never cut in half.
        let escapes = "\x1b".repeat(MAX_CHARS + 5);
        let shown = bound(&escapes);
        assert!(shown.starts_with(&"\\u{1b}".repeat(MAX_CHARS)));
        assert!(shown.ends_with("… (205 caractères)"));
    }
}
