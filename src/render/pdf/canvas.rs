//! Drawing primitives over printpdf's `Op` list for one page, in points from the page's
//! lower-left corner.
//!
//! printpdf facts this relies on (0.12.8):
//! - text is placed with `SetTextMatrix(Translate)`, an absolute `Tm`; `SetTextCursor` is a
//!   relative `Td` and would drift;
//! - `Rect` needs a paint mode, or it draws nothing; its x/y is the lower-left corner;
//! - text operators only count between `StartTextSection` and `EndTextSection`: the canvas
//!   opens and closes sections itself, so callers just interleave text and shapes.

use super::font::{FontStyle, Fonts};
use printpdf::{Color, Line, LinePoint, Op, PaintMode, Point, Pt, Rect, Rgb, TextItem, TextMatrix};

/// An RGB colour, components 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    pub const BLACK: Colour = Colour(0.0, 0.0, 0.0);
    pub const WHITE: Colour = Colour(1.0, 1.0, 1.0);
    /// Body text: not quite black.
    pub const TEXT: Colour = Colour(0.13, 0.15, 0.16);
    /// Secondary text: notes, running header, footer, labels.
    pub const GREY: Colour = Colour(0.42, 0.45, 0.47);
    /// Rules and borders.
    pub const RULE: Colour = Colour(0.78, 0.80, 0.81);
    /// The report's main colour (a deep green): headings, table header, bars.
    pub const PRIMARY: Colour = Colour(0.11, 0.38, 0.30);
    /// A lighter shade of the main colour, for bars and accents.
    pub const ACCENT: Colour = Colour(0.30, 0.60, 0.47);
    /// Zebra rows and key-figure boxes.
    pub const TINT: Colour = Colour(0.93, 0.96, 0.94);

    fn to_printpdf(self) -> Color {
        Color::Rgb(Rgb::new(self.0, self.1, self.2, None))
    }
}

/// Coordinates are written to 1/100 pt (invisible, and a shorter, more compressible
/// content stream than f32's full digits).
fn round(value: f32) -> f32 {
    (value * 100.0).round() / 100.0
}

/// How a run of text looks; `line_height` is for the layout, the canvas ignores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub style: FontStyle,
    pub size: f32,
    pub line_height: f32,
    pub colour: Colour,
}

/// One page's drawing operations.
#[derive(Debug, Default)]
pub struct Canvas {
    ops: Vec<Op>,
    in_text: bool,
    font: Option<(FontStyle, f32)>,
    fill: Option<Colour>,
    stroke: Option<(Colour, f32)>,
}

impl Canvas {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether anything was drawn.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The operations, text sections closed.
    pub fn into_ops(mut self) -> Vec<Op> {
        self.end_text();
        self.ops
    }

    /// Draws `text` (already sanitized) with its baseline's left end at (`x`, `y`).
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        self.text_items(x, y, vec![TextItem::Text(text.to_string())], style);
    }

    /// Draws `text` with each U+0020 space widened by `extra_per_space` points (justification).
    /// The spaces stay in the text, so copy-paste and extraction see the words apart.
    pub fn justified_text(
        &mut self,
        x: f32,
        y: f32,
        text: &str,
        extra_per_space: f32,
        style: TextStyle,
    ) {
        let size = style.size;
        if extra_per_space <= 0.0 || size <= 0.0 || !text.contains(' ') {
            self.text(x, y, text, style);
            return;
        }
        // TJ numbers are thousandths of an em, and a negative one moves right. (Word spacing
        // `Tw` would not work: it only applies to the one-byte code 32, and printpdf writes
        // two-byte glyph ids.)
        let offset = round(-extra_per_space * 1000.0 / size);
        let mut items = Vec::new();
        let mut words = text.split(' ').peekable();
        while let Some(word) = words.next() {
            if words.peek().is_some() {
                items.push(TextItem::Text(format!("{word} ")));
                items.push(TextItem::Offset(offset));
            } else if !word.is_empty() {
                items.push(TextItem::Text(word.to_string()));
            }
        }
        self.text_items(x, y, items, style);
    }

    fn text_items(&mut self, x: f32, y: f32, items: Vec<TextItem>, text_style: TextStyle) {
        let TextStyle {
            style,
            size,
            colour,
            ..
        } = text_style;
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
            // Text state outlives a text section in PDF, but say it again in each one:
            // a few bytes, and no reader has to get this right.
            self.font = None;
        }
        if self.font != Some((style, size)) {
            self.ops.push(Op::SetFont {
                font: Fonts::handle(style),
                size: Pt(size),
            });
            self.font = Some((style, size));
        }
        self.set_fill(colour);
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(round(x)), Pt(round(y))),
        });
        self.ops.push(Op::ShowText { items });
    }

    /// Fills the rectangle whose lower-left corner is (`x`, `y`).
    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Colour) {
        if width <= 0.0 || height <= 0.0 {
            return;
        }
        self.end_text();
        self.set_fill(colour);
        let mut rectangle = Rect::from_xywh(
            Pt(round(x)),
            Pt(round(y)),
            Pt(round(width)),
            Pt(round(height)),
        );
        // Without a paint mode printpdf writes `re n`: a path that paints nothing.
        rectangle.mode = Some(PaintMode::Fill);
        self.ops.push(Op::DrawRectangle { rectangle });
    }

    /// Strokes a straight line.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, colour: Colour) {
        self.end_text();
        if self.stroke != Some((colour, thickness)) {
            self.ops.push(Op::SetOutlineColor {
                col: colour.to_printpdf(),
            });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
            self.stroke = Some((colour, thickness));
        }
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Point {
                x: Pt(round(x)),
                y: Pt(round(y)),
            },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(from), point(to)],
                is_closed: false,
            },
        });
    }

    fn set_fill(&mut self, colour: Colour) {
        if self.fill != Some(colour) {
            self.ops.push(Op::SetFillColor {
                col: colour.to_printpdf(),
            });
            self.fill = Some(colour);
        }
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    /// The operations so far (for tests).
    #[cfg(test)]
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The text shown on this page, one entry per text operation (for tests).
    #[cfg(test)]
    pub fn shown_texts(ops: &[Op]) -> Vec<String> {
        ops.iter()
            .filter_map(|op| match op {
                Op::ShowText { items } => Some(
                    items
                        .iter()
                        .filter_map(|item| match item {
                            TextItem::Text(text) => Some(text.as_str()),
                            _ => None,
                        })
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()
    }
}
