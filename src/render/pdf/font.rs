//! The embedded fonts and how wide a string is in them.
//!
//! Both faces are subsets of DejaVu Sans renamed "Enrx Sans" (see `templates/fonts/README.md`),
//! built into the binary. Widths come from the font's own advance widths (`hmtx`): printpdf
//! without its `text_layout` feature neither shapes nor kerns, so the sum of the advances is
//! exactly what a viewer draws.
//!
//! Text must go through [`Fonts::sanitize`] before it is measured or drawn: it replaces what
//! the font cannot show (a glyph the subset lacks would be drawn as an empty box, measured
//! wrongly and lost on copy-paste) and removes control characters.

use printpdf::{FontId, ParsedFont, PdfFontHandle};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The regular face (TrueType, subset of DejaVu Sans 2.37).
pub const REGULAR_TTF: &[u8] = include_bytes!("../../../templates/fonts/EnrxSans.ttf");
/// The bold face.
pub const BOLD_TTF: &[u8] = include_bytes!("../../../templates/fonts/EnrxSans-Bold.ttf");

/// Drawn for a character that neither the font nor its compatibility decomposition covers.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Code points below this are looked up in a flat table (Latin, punctuation, `€`, arrows).
const DENSE_LIMIT: usize = 0x2200;
/// Marks a code point of the flat table that the font lacks.
const MISSING: u16 = u16::MAX;

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontStyle {
    Regular,
    Bold,
}

/// A face that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// Not TrueType; `warnings` are printpdf's, as `{:?}` shows them.
    #[error("police {face} illisible : {warnings}")]
    Unreadable { face: String, warnings: String },
    #[error("police {face} sans table cmap ou hmtx utilisable")]
    NoWidths { face: String },
}

/// One parsed face with fast advance-width lookup.
#[derive(Debug, Clone)]
pub struct Face {
    parsed: ParsedFont,
    /// Advance width in font units for code points below [`DENSE_LIMIT`], or [`MISSING`].
    dense: Vec<u16>,
    units_per_em: f32,
    /// Width in font units used for a character missing from the font.
    fallback_width: u16,
    ascent: f32,
    descent: f32,
}

impl Face {
    /// Parses a TrueType face and indexes its advance widths.
    pub fn parse(bytes: &[u8], postscript_name: &str) -> Result<Self, FontError> {
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            FontError::Unreadable {
                face: postscript_name.to_string(),
                warnings: format!("{warnings:?}"),
            }
        })?;
        if parsed.codepoint_to_glyph.is_empty() || parsed.glyph_widths.is_empty() {
            return Err(FontError::NoWidths {
                face: postscript_name.to_string(),
            });
        }
        // Written as /BaseFont, so PDF readers show a meaningful name.
        parsed.font_name = Some(postscript_name.to_string());

        let mut dense = vec![MISSING; DENSE_LIMIT];
        for (&codepoint, &glyph) in parsed.codepoint_to_glyph.range(..DENSE_LIMIT as u32) {
            let width = parsed.glyph_widths.get(&glyph).copied().unwrap_or(0);
            // A real advance of u16::MAX does not exist in practice; keep the marker unique.
            dense[codepoint as usize] = width.min(MISSING - 1);
        }
        let units_per_em = f32::from(parsed.units_per_em.max(1));
        let fallback_width = [REPLACEMENT as u32, '?' as u32]
            .iter()
            .find_map(|&c| {
                let glyph = parsed.codepoint_to_glyph.get(&c)?;
                parsed.glyph_widths.get(glyph).copied()
            })
            .unwrap_or((units_per_em * 0.6) as u16);
        let ascent = f32::from(parsed.font_metrics.ascent) / units_per_em;
        let descent = f32::from(parsed.font_metrics.descent) / units_per_em;
        Ok(Self {
            parsed,
            dense,
            units_per_em,
            fallback_width,
            ascent,
            descent,
        })
    }

    /// Whether the font has a glyph for `c`.
    pub fn has_char(&self, c: char) -> bool {
        let codepoint = c as usize;
        if codepoint < DENSE_LIMIT {
            self.dense[codepoint] != MISSING
        } else {
            self.parsed.codepoint_to_glyph.contains_key(&(c as u32))
        }
    }

    /// Advance width of `c` in font units; the fallback width when the font lacks it.
    fn units(&self, c: char) -> u16 {
        let codepoint = c as usize;
        if codepoint < DENSE_LIMIT {
            match self.dense[codepoint] {
                MISSING => self.fallback_width,
                width => width,
            }
        } else {
            self.parsed
                .codepoint_to_glyph
                .get(&(c as u32))
                .and_then(|glyph| self.parsed.glyph_widths.get(glyph))
                .copied()
                .unwrap_or(self.fallback_width)
        }
    }

    /// Width of `c` in points at `size` points.
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        f32::from(self.units(c)) * size / self.units_per_em
    }

    /// Width of `text` in points at `size` points (no kerning, as drawn by printpdf).
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.units(c))).sum();
        units as f32 * size / self.units_per_em
    }

    /// Height above the baseline, in points at `size`.
    pub fn ascent(&self, size: f32) -> f32 {
        self.ascent * size
    }

    /// Depth below the baseline (negative), in points at `size`.
    pub fn descent(&self, size: f32) -> f32 {
        self.descent * size
    }

    /// The parsed face, to register with printpdf.
    pub fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }
}

/// The two faces of the report.
#[derive(Debug, Clone)]
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    /// Resource names of the faces in the PDF. Fixed (printpdf's `FontId::new()` is random),
    /// so that the same document gives the same bytes; not `F1`…, which printpdf could
    /// mistake for its built-in fonts.
    pub const REGULAR_ID: &'static str = "EnrxR";
    pub const BOLD_ID: &'static str = "EnrxB";

    /// Parses the embedded faces.
    pub fn load() -> Result<Self, FontError> {
        Self::from_bytes(REGULAR_TTF, BOLD_TTF)
    }

    /// File names of the faces in a templates folder (`templates/fonts/`).
    pub const FILES: [&'static str; 2] = ["EnrxSans.ttf", "EnrxSans-Bold.ttf"];

    /// Parses faces given as TrueType bytes (regular, bold).
    pub fn from_bytes(regular: &[u8], bold: &[u8]) -> Result<Self, FontError> {
        Ok(Self {
            regular: Face::parse(regular, "EnrxSans")?,
            bold: Face::parse(bold, "EnrxSans-Bold")?,
        })
    }

    /// The face for `style`.
    pub fn face(&self, style: FontStyle) -> &Face {
        match style {
            FontStyle::Regular => &self.regular,
            FontStyle::Bold => &self.bold,
        }
    }

    /// The printpdf handle of `style`'s face.
    pub fn handle(style: FontStyle) -> PdfFontHandle {
        PdfFontHandle::External(FontId(
            match style {
                FontStyle::Regular => Self::REGULAR_ID,
                FontStyle::Bold => Self::BOLD_ID,
            }
            .to_string(),
        ))
    }

    /// Text as it can be drawn: NFC-normalised; tabs become spaces; CR LF and CR become
    /// LF (a hard line break where the caller allows one); other control and invisible
    /// format characters are dropped; a character neither face has is replaced by its
    /// compatibility decomposition when both faces have that (`ﬁ` → `fi`), else by U+FFFD.
    pub fn sanitize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut previous_cr = false;
        // Fast path: most text is already NFC, and nfc() is cheap on it.
        for c in text.nfc() {
            let was_cr = previous_cr;
            previous_cr = c == '\r';
            match c {
                '\t' => out.push(' '),
                '\r' => out.push('\n'),
                '\n' if was_cr => {}
                '\n' => out.push('\n'),
                // Soft hyphen, zero-width and bidi controls, word joiner, BOM.
                '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' => {}
                '\u{2060}'..='\u{206F}' | '\u{FEFF}' => {}
                c if c.is_control() => {}
                c if self.drawable(c) => out.push(c),
                c => self.push_substitute(c, &mut out),
            }
        }
        out
    }

    fn drawable(&self, c: char) -> bool {
        self.regular.has_char(c) && self.bold.has_char(c)
    }

    fn push_substitute(&self, c: char, out: &mut String) {
        let decomposed: Vec<char> = std::iter::once(c)
            .nfkd()
            .filter(|&d| !is_combining_mark(d))
            .collect();
        let usable = !decomposed.is_empty()
            && decomposed
                .iter()
                .all(|&d| !d.is_control() && self.drawable(d))
            && decomposed != [c];
        if usable {
            out.extend(decomposed);
        } else {
            out.push(REPLACEMENT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().expect("the embedded fonts parse")
    }

    #[test]
    fn embedded_fonts_cover_french_and_latin_extended() {
        let fonts = fonts();
        for face in [&fonts.regular, &fonts.bold] {
            for c in "éèêëàâçîïôûùüÿœŒæÆÉÈÀÇ«»–—€’‘“”…•\u{A0}\u{202F}ŁłőŐšŠžŽčČșȘțȚĳñß°№→▲▼\u{FFFD}"
                .chars()
            {
                assert!(face.has_char(c), "missing {c:?} (U+{:04X})", c as u32);
            }
            assert!(!face.has_char('中'));
        }
    }

    #[test]
    fn widths_come_from_the_advances() {
        let fonts = fonts();
        let face = &fonts.regular;
        // DejaVu Sans: units per em 2048, 'i' is narrower than 'W'; widths add up.
        assert!(face.char_width('i', 10.0) < face.char_width('W', 10.0));
        let sum = face.char_width('a', 10.0) + face.char_width('b', 10.0);
        assert!((face.text_width("ab", 10.0) - sum).abs() < 1e-4);
        assert!((face.text_width("ab", 20.0) - 2.0 * sum).abs() < 1e-3);
        assert_eq!(face.text_width("", 10.0), 0.0);
        // The narrow no-break space is narrower than the no-break space.
        assert!(face.char_width('\u{202F}', 10.0) < face.char_width('\u{A0}', 10.0));
        // Bold is wider.
        assert!(fonts.bold.text_width("Bilan", 10.0) > face.text_width("Bilan", 10.0));
        // A missing glyph is measured with the fallback width, not zero.
        assert!(face.char_width('中', 10.0) > 1.0);
        assert!(face.ascent(10.0) > 5.0 && face.descent(10.0) < 0.0);
    }

    #[test]
    fn sanitize_replaces_what_cannot_be_drawn() {
        let fonts = fonts();
        assert_eq!(fonts.sanitize("a\tb\r\nc\rd\ne"), "a b\nc\nd\ne");
        assert_eq!(fonts.sanitize("x\u{0}\u{7}\u{AD}\u{200B}y"), "xy");
        assert_eq!(fonts.sanitize("ﬁn"), "fin");
        assert_eq!(fonts.sanitize("中文"), "\u{FFFD}\u{FFFD}");
        // Decomposed input is recomposed.
        assert_eq!(fonts.sanitize("e\u{301}t\u{E9}"), "\u{E9}t\u{E9}");
        assert_eq!(
            fonts.sanitize("Łódź « x » 1\u{202F}234,5\u{A0}€"),
            "Łódź « x » 1\u{202F}234,5\u{A0}€"
        );
        assert_eq!(fonts.sanitize(""), "");
    }
}
