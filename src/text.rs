//! Text folding and nearest-match hints, shared by header matching, vocabularies and ids;
//! French number and date formatting in `french`; what is echoed from a submission in `echo`.

pub mod echo;
pub mod french;

use unicode_normalization::UnicodeNormalization;

/// Folds a label for comparison: lower case, accents removed, and spaces,
/// underscores, hyphens, apostrophes and dots dropped, so that `Date début`,
/// `date_debut` and `DATE-DEBUT` compare equal.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // Most cells (codes, ids, words without accents): no Unicode decomposition needed.
        return s
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'_' | b'-' | b'\t' | b'\n' | b'\r' | b'\'' | b'.'))
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    fold_unicode(s)
}

fn fold_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            // Line breaks too: Excel headers are often typed « Date↵début » (Alt+Entrée).
            ' ' | '_' | '-' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t' | '\n' | '\r' | '\''
            | '’' | '.' | '–' | '—' => {}
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Lower case without accents, every kind of space made a plain one, and nothing else
/// dropped: for reading words in a value (`1er Février 2019` → `1er fevrier 2019`).
pub fn fold_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            c if is_combining_mark(c) => {}
            '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t' => out.push(' '),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// Trims ordinary and non-breaking spaces around a cell's text, and the characters nobody
/// sees: zero-width spaces and joiners, direction marks, embeddings and isolates, the byte
/// order mark, soft hyphens. A cell holding only those looks empty, and is.
pub fn trim(s: &str) -> &str {
    // Most cells start and end with a visible ASCII character: nothing to look at further.
    let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        return s;
    }
    s.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
}

/// A format character that shows nothing on its own.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The longest text (in characters, folded) `nearest` compares.
const MAX_COMPARED: usize = echo::MAX_CHARS;

/// Up to two known words closest to `value`, for an « aide » line.
/// Compared on their folded forms; only close enough candidates are kept.
pub fn nearest<'a, I>(value: &str, candidates: I) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let folded = fold(value);
    let length = folded.chars().count();
    // No id or word is that long: comparing a crafted 30 000-character cell with as long ids
    // letter by letter would take seconds each.
    if folded.is_empty() || length > MAX_COMPARED {
        return Vec::new();
    }
    let limit = (length / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let candidate = fold(c);
            // The distance is at least the difference in length: a 30 000-character cell is
            // not compared letter by letter with every id.
            if candidate.chars().count().abs_diff(length) > limit {
                return None;
            }
            Some((strsim::levenshtein(&folded, &candidate), c))
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(2)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// `nearest` as an « aide » sentence, or `None` when nothing is close. The words may come
/// from a submission (ids): each is echoed bounded.
pub fn nearest_hint<'a, I>(value: &str, candidates: I, what: &str) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let near = nearest(value, candidates);
    if near.is_empty() {
        None
    } else {
        let near: Vec<_> = near.iter().map(|w| echo::bound(w)).collect();
        Some(format!("{what} : {}", near.join(", ")))
    }
}

/// How many lines `text` takes once wrapped at `capacity` characters (greedy, by words; a
/// line break starts a line): the height of a spreadsheet row that wraps its text.
pub fn wrapped_lines(text: &str, capacity: usize) -> usize {
    let capacity = capacity.max(1);
    let mut lines = 0;
    for paragraph in text.split('\n') {
        lines += 1;
        let mut used = 0;
        for word in paragraph.split_whitespace() {
            let len = word.chars().count();
            if used > 0 && used + 1 + len > capacity {
                lines += 1;
                used = 0;
            }
            used += len + usize::from(used > 0);
            // A word longer than a line is broken where the line ends.
            while used > capacity {
                lines += 1;
                used -= capacity;
            }
        }
    }
    lines.max(1)
}

/// Plural helper for counts in French messages: `0 erreur`, `1 erreur`, `2 erreurs`.
pub fn plural(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", agree(n, singular, plural))
}

/// The form that agrees with a count in French: the singular for 0 and 1.
pub fn agree<'a>(n: usize, singular: &'a str, plural: &'a str) -> &'a str {
    if n <= 1 { singular } else { plural }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_folds_as_the_general_path() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for s in [
            every_ascii.as_str(),
            "Date_Debut",
            "P-0001; P-0002",
            "O'Neil. Co\tX\r\n",
        ] {
            assert_eq!(fold(s), fold_unicode(s), "{s:?}");
        }
    }

    #[test]
    fn folds_case_accents_and_separators() {
        assert_eq!(fold("Date début"), "datedebut");
        assert_eq!(fold("date_debut"), "datedebut");
        assert_eq!(fold("ÉCHELLE"), "echelle");
        assert_eq!(fold("en cours"), fold("En_Cours"));
        assert_eq!(fold("État-établissement public"), "etatetablissementpublic");
        assert_eq!(fold("Cœur"), "coeur");
        assert_eq!(fold("Date\ndébut"), "datedebut");
    }

    #[test]
    fn invisible_characters_are_trimmed() {
        assert_eq!(trim("\u{200b}\u{200f}\u{200e} \u{feff}"), "");
        assert_eq!(trim("\u{200f}P-1\u{200b}"), "P-1");
        assert_eq!(trim("a\u{200b}b"), "a\u{200b}b");
    }

    #[test]
    fn nearest_finds_close_words_only() {
        let words = ["signée", "soldée", "en cours", "projet", "résiliée"];
        assert_eq!(nearest("signe", words), vec!["signée".to_string()]);
        assert!(nearest("zzzzzzzz", words).is_empty());
        assert!(nearest("", words).is_empty());
    }

    #[test]
    fn wrapped_lines_by_words() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("un deux trois", 13), 1);
        assert_eq!(wrapped_lines("un deux trois", 12), 2);
        assert_eq!(wrapped_lines("un\ndeux", 40), 2);
        assert_eq!(wrapped_lines("anticonstitutionnellement", 5), 5);
        assert_eq!(wrapped_lines("a anticonstitutionnellement", 25), 2);
    }

    #[test]
    fn nearest_ids() {
        let ids = ["P-0042", "P-0421", "P-1000"];
        let near = nearest("P-0420", ids);
        assert_eq!(near, vec!["P-0421".to_string(), "P-0042".to_string()]);
    }
}
