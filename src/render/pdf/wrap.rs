//! Line breaking by real glyph widths.
//!
//! Input must come from [`Fonts::sanitize`](super::font::Fonts::sanitize). Rules:
//! - a line breaks at a space U+0020 (runs of spaces count as one), after a hyphen that
//!   follows a letter or digit (`Provence-Alpes-Côte`), after a slash, and at `\n`;
//!   not after a hyphen or slash between two digits (`10/12/2025`, `2021-2027`);
//! - never at U+00A0, U+202F (French number and unit spaces), U+2007 or U+2011;
//! - never at a plain space after `«` or before `»` `:` `;` `!` `?` `%` `€` (French
//!   typography wants no-break spaces there; typed text often has plain ones);
//! - a word wider than the box is cut between characters (never before a combining mark),
//!   so no line is ever wider than the box (except a single character wider than the box).

use super::font::Face;
use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;

/// Tolerance for float sums when comparing a width with the box.
const EPSILON: f32 = 1e-3;

/// One laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Width in points at the size it was wrapped at.
    pub width: f32,
    /// False for the last line of a paragraph, before a hard break, and for a piece of a cut
    /// word: such lines are never stretched when justifying.
    pub justifiable: bool,
}

/// Wraps `text` into lines no wider than `max_width` points at `size` points.
/// Empty or blank text gives no line; an empty line between two `\n` stays (a blank line).
pub fn wrap(face: &Face, size: f32, text: &str, max_width: f32) -> Vec<Line> {
    let text = text.trim_end_matches([' ', '\n']);
    if text.trim_start_matches([' ', '\n']).is_empty() {
        return Vec::new();
    }
    let mut wrapper = Wrapper {
        face,
        size,
        max_width,
        space: face.char_width(' ', size),
        line: LineBuilder::default(),
        out: Vec::new(),
    };
    for piece in text.split('\n') {
        for word in units(piece) {
            for (index, segment) in segments(&word).enumerate() {
                wrapper.place(segment, index == 0);
            }
        }
        let last = wrapper.line.take(face, size, false);
        wrapper.out.push(last);
    }
    wrapper.out
}

struct Wrapper<'a> {
    face: &'a Face,
    size: f32,
    max_width: f32,
    space: f32,
    line: LineBuilder,
    out: Vec<Line>,
}

impl Wrapper<'_> {
    /// Adds `segment` to the open line, or starts a new line with it; `starts_word` when a
    /// space separates it from what precedes.
    fn place(&mut self, segment: &str, starts_word: bool) {
        let glue = if starts_word && !self.line.text.is_empty() {
            self.space
        } else {
            0.0
        };
        let width = self.face.text_width(segment, self.size);
        if self.line.width + glue + width <= self.max_width + EPSILON {
            self.line.push(segment, glue > 0.0, glue + width);
            return;
        }
        if !self.line.text.is_empty() {
            let full = self.line.take(self.face, self.size, true);
            self.out.push(full);
        }
        if width <= self.max_width + EPSILON {
            self.line.push(segment, false, width);
        } else if segment.contains(' ') {
            // Words glued by French punctuation that cannot fit on one line anyway: better
            // broken at their spaces than in the middle of a word.
            for (index, part) in segment.split(' ').enumerate() {
                self.place(part, index > 0);
            }
        } else {
            cut_word(
                self.face,
                self.size,
                segment,
                self.max_width,
                &mut self.line,
                &mut self.out,
            );
        }
    }
}

/// Cuts `word` (wider than the box) between characters; the last piece stays open in `line`.
fn cut_word(
    face: &Face,
    size: f32,
    word: &str,
    max_width: f32,
    line: &mut LineBuilder,
    out: &mut Vec<Line>,
) {
    let mut start = 0;
    let mut width = 0.0;
    for (index, c) in word.char_indices() {
        let advance = face.char_width(c, size);
        // A combining mark stays with its base character.
        if index > start && width + advance > max_width + EPSILON && !is_combining_mark(c) {
            line.push(&word[start..index], false, width);
            out.push(line.take(face, size, false));
            start = index;
            width = 0.0;
        }
        width += advance;
    }
    line.push(&word[start..], false, width);
}

/// The words of a line of text, where a word that must not start a line (`»`, `:`…) or
/// follows one that must not end a line (`«`) is kept with its neighbour, space included.
fn units(piece: &str) -> Vec<Cow<'_, str>> {
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    for word in piece.split(' ').filter(|word| !word.is_empty()) {
        let glued = word.starts_with(['»', ':', ';', '!', '?', '%', '€'])
            || out.last().is_some_and(|last| last.ends_with('«'));
        match out.last_mut() {
            Some(last) if glued => {
                let last = last.to_mut();
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(Cow::Borrowed(word)),
        }
    }
    out
}

/// Width of the widest piece of `text` that no line break can split (the narrowest a
/// column can be without cutting a word), at `size` points.
pub fn longest_unbreakable(face: &Face, size: f32, text: &str) -> f32 {
    text.split('\n')
        .flat_map(units)
        .map(|word| {
            segments(&word)
                .map(|segment| face.text_width(segment, size))
                .fold(0.0, f32::max)
        })
        .fold(0.0, f32::max)
}

/// Pieces of a word between which a line may break.
fn segments(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut previous: Option<char> = None;
        let mut cut = rest.len();
        for (index, c) in rest.char_indices() {
            let end = index + c.len_utf8();
            let between_digits = || {
                previous.is_some_and(|p| p.is_ascii_digit())
                    && rest[end..].starts_with(|n: char| n.is_ascii_digit())
            };
            let breaks_after = match c {
                '-' => previous.is_some_and(char::is_alphanumeric) && !between_digits(),
                '/' => !between_digits(),
                _ => false,
            };
            if breaks_after && end < rest.len() {
                cut = end;
                break;
            }
            previous = Some(c);
        }
        let (segment, tail) = rest.split_at(cut);
        rest = tail;
        Some(segment)
    })
}

#[derive(Default)]
struct LineBuilder {
    text: String,
    width: f32,
}

impl LineBuilder {
    fn push(&mut self, segment: &str, with_space: bool, width: f32) {
        if with_space {
            self.text.push(' ');
        }
        self.text.push_str(segment);
        self.width += width;
    }

    fn take(&mut self, face: &Face, size: f32, justifiable: bool) -> Line {
        let text = std::mem::take(&mut self.text);
        self.width = 0.0;
        // Measured again in one sum, so the width is exactly what the renderer computes.
        let width = face.text_width(&text, size);
        Line {
            text,
            width,
            justifiable,
        }
    }
}

/// `text` on one line, cut and ended by `…` when wider than `max_width`.
pub fn truncate(face: &Face, size: f32, text: &str, max_width: f32) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if face.text_width(&text, size) <= max_width + EPSILON {
        return text;
    }
    ellipsize(face, size, &text, max_width)
}

/// The longest start of `text` that fits in `max_width` with a `…` appended.
fn ellipsize(face: &Face, size: f32, text: &str, max_width: f32) -> String {
    let ellipsis = face.char_width('…', size);
    let mut width = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let advance = face.char_width(c, size);
        if width + advance + ellipsis > max_width + EPSILON {
            break;
        }
        width += advance;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Keeps at most `max_lines` lines (at least one), ending the last kept line with `…`
/// when lines were dropped.
pub fn limit_lines(
    face: &Face,
    size: f32,
    mut lines: Vec<Line>,
    max_lines: usize,
    max_width: f32,
) -> Vec<Line> {
    let max_lines = max_lines.max(1);
    if lines.len() <= max_lines {
        return lines;
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        let text = ellipsize(face, size, &last.text, max_width);
        last.width = face.text_width(&text, size);
        last.text = text;
        last.justifiable = false;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::font::Fonts;
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().expect("the embedded fonts parse")
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|line| line.text.as_str()).collect()
    }

    const SAMPLE: &str = "Le Parc naturel régional du Haut-Jura a signé « 12 conventions » \
        pour 1\u{202F}234\u{202F}567,89\u{A0}€ ; l’objectif n°\u{A0}3 atteint 87,5\u{A0}% \
        grâce à l’œuvre commune https://www.example.org/partenariats/2024/rapport-annuel \
        et Anticonstitutionnellementissimementextraordinairementlongmot.";

    #[test]
    fn no_line_is_wider_than_the_box() {
        let fonts = fonts();
        for face in [&fonts.regular, &fonts.bold] {
            for max_width in [8.0, 20.0, 35.0, 60.0, 90.0, 150.0, 300.0, 500.0] {
                for size in [7.0, 10.0, 14.0] {
                    let lines = wrap(face, size, SAMPLE, max_width);
                    assert!(!lines.is_empty());
                    for line in &lines {
                        assert!(
                            line.width <= max_width + 0.01 || line.text.chars().count() == 1,
                            "{max_width} at {size}: {:?} is {}",
                            line.text,
                            line.width
                        );
                        assert!((face.text_width(&line.text, size) - line.width).abs() < 1e-3);
                    }
                    // Nothing lost but the spaces the breaks replaced.
                    let joined: String = lines.iter().map(|l| l.text.replace(' ', "")).collect();
                    assert_eq!(joined, SAMPLE.replace(' ', ""));
                }
            }
        }
    }

    #[test]
    fn no_break_spaces_are_never_broken() {
        let fonts = fonts();
        let face = &fonts.regular;
        let amount = "1\u{202F}234\u{202F}567,89\u{A0}€";
        let amount_width = face.text_width(amount, 10.0);
        let text = format!("total {amount} et encore {amount} puis 87,5\u{A0}% enfin");
        let mut width = amount_width;
        while width < 400.0 {
            for line in wrap(face, 10.0, &text, width) {
                let starts_or_ends_inside = line.text.starts_with(['\u{A0}', '\u{202F}'])
                    || line.text.ends_with(['\u{A0}', '\u{202F}']);
                assert!(!starts_or_ends_inside, "{width}: {:?}", line.text);
                if line.text.contains('€') {
                    assert!(line.text.contains(amount), "{width}: {:?}", line.text);
                }
                if line.text.contains('%') {
                    assert!(
                        line.text.contains("87,5\u{A0}%"),
                        "{width}: {:?}",
                        line.text
                    );
                }
            }
            width += 3.0;
        }
    }

    #[test]
    fn breaks_at_spaces_hyphens_slashes_and_newlines() {
        let fonts = fonts();
        let face = &fonts.regular;
        let wide = 10_000.0;
        assert_eq!(texts(&wrap(face, 10.0, " a  b c ", wide)), ["a b c"]);
        assert_eq!(
            texts(&wrap(face, 10.0, "un\ndeux\n\ntrois\n", wide)),
            ["un", "deux", "", "trois"]
        );
        let hyphen_width = face.text_width("Provence-Alpes-", 10.0);
        assert_eq!(
            texts(&wrap(face, 10.0, "Provence-Alpes-Côte", hyphen_width + 1.0)),
            ["Provence-Alpes-", "Côte"]
        );
        // Nor between digits.
        let date = face.text_width("10/12/2025", 10.0);
        assert!(face.text_width("xx 10/12/", 10.0) < date);
        assert_eq!(
            texts(&wrap(face, 10.0, "xx 10/12/2025", date + 1.0)),
            ["xx", "10/12/2025"]
        );
        assert_eq!(
            texts(&wrap(face, 10.0, "a/b", 1.0 + face.text_width("a/", 10.0))),
            ["a/", "b"]
        );
        // French punctuation stays with its word even after a plain space.
        let narrow = face.text_width("« Les", 10.0) + 1.0;
        assert_eq!(
            texts(&wrap(face, 10.0, "« Les Amis » : oui !", narrow + 30.0)),
            ["« Les", "Amis » :", "oui !"]
        );
        assert_eq!(
            texts(&wrap(face, 10.0, "« Les Amis » : oui !", narrow)),
            ["« Les", "Amis", "» :", "oui !"],
            "a group too wide for the box breaks at its own spaces"
        );
        assert!(longest_unbreakable(face, 10.0, "« Les Amis » 10/12/2025 Haut-Jura") >= date);
        // A leading minus sign is not a break opportunity.
        let minus = face.text_width("-12", 10.0);
        assert_eq!(texts(&wrap(face, 10.0, "-12", minus - 1.0)), ["-1", "2"]);
        let lines = wrap(
            face,
            10.0,
            "un deux trois quatre",
            face.text_width("un deux", 10.0),
        );
        assert_eq!(texts(&lines), ["un deux", "trois", "quatre"]);
        assert_eq!(
            lines.iter().map(|l| l.justifiable).collect::<Vec<_>>(),
            [true, true, false]
        );
    }

    #[test]
    fn degenerate_input_does_not_panic() {
        let fonts = fonts();
        let face = &fonts.regular;
        assert!(wrap(face, 10.0, "", 100.0).is_empty());
        assert!(wrap(face, 10.0, "  \n \n", 100.0).is_empty());
        // A box narrower than one character still gives one character per line.
        let lines = wrap(face, 10.0, "abc", 0.0);
        assert_eq!(texts(&lines), ["a", "b", "c"]);
        let lines = wrap(face, 10.0, "abc", -5.0);
        assert_eq!(lines.len(), 3);
        let lines = wrap(face, 10.0, "e\u{301}e\u{301}", 1.0);
        assert_eq!(texts(&lines), ["e\u{301}", "e\u{301}"]);
        let long = "x".repeat(20_000);
        assert!(wrap(face, 10.0, &long, 100.0).len() > 100);
    }

    #[test]
    fn truncation_and_line_limits() {
        let fonts = fonts();
        let face = &fonts.regular;
        assert_eq!(truncate(face, 10.0, "court", 100.0), "court");
        let cut = truncate(face, 10.0, "un texte beaucoup trop long", 60.0);
        assert!(
            cut.ends_with('…') && face.text_width(&cut, 10.0) <= 60.0,
            "{cut}"
        );
        assert_eq!(truncate(face, 10.0, "abc", 0.0), "…");
        let lines = wrap(face, 10.0, "un deux trois quatre cinq six", 40.0);
        let limited = limit_lines(face, 10.0, lines, 2, 40.0);
        assert_eq!(limited.len(), 2);
        assert!(limited[1].text.ends_with('…'), "{:?}", limited[1].text);
        assert!(limited[1].width <= 40.0);
    }
}
