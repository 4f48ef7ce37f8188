//! The document builder: a flow of blocks (headings, paragraphs, key figures, tables,
//! charts, notes) laid out top to bottom on A4 portrait pages, then the running header,
//! the `Page N / M` footers and the metadata once the page count is known.
//!
//! Everything is deterministic: the same calls with the same creation date give the same
//! bytes (printpdf's random font ids and trailer `/ID` are replaced, see [`finish`]).
//!
//! [`finish`]: PdfDocumentBuilder::finish

use super::canvas::{Canvas, Colour, TextStyle};
use super::font::{FontStyle, Fonts};
use super::wrap::{Line, limit_lines, truncate, wrap};
use chrono::{Datelike, NaiveDateTime, Timelike};
use printpdf::{FontId, Mm, PdfDocument, PdfFont, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
/// A4 portrait, in points.
pub const PAGE_WIDTH: f32 = 210.0 * MM;
pub const PAGE_HEIGHT: f32 = 297.0 * MM;
/// Left and right edges of the text block (18 mm margins).
pub const LEFT: f32 = 18.0 * MM;
pub const RIGHT: f32 = PAGE_WIDTH - 18.0 * MM;
/// Width of the text block.
pub const CONTENT_WIDTH: f32 = RIGHT - LEFT;
/// Top and bottom of the text block; the running header and the footer sit outside it.
pub const TOP: f32 = PAGE_HEIGHT - 24.0 * MM;
pub const BOTTOM: f32 = 20.0 * MM;
const HEADER_BASELINE: f32 = PAGE_HEIGHT - 13.0 * MM;
const HEADER_RULE: f32 = PAGE_HEIGHT - 15.5 * MM;
const FOOTER_BASELINE: f32 = 11.0 * MM;

/// Tolerance when checking that a block fits.
const EPSILON: f32 = 1e-3;

pub(super) const BODY: TextStyle = TextStyle {
    style: FontStyle::Regular,
    size: 10.0,
    line_height: 14.0,
    colour: Colour::TEXT,
};
const NOTE: TextStyle = TextStyle {
    style: FontStyle::Regular,
    size: 8.5,
    line_height: 11.5,
    colour: Colour::GREY,
};
const HEADING_1: TextStyle = TextStyle {
    style: FontStyle::Bold,
    size: 17.0,
    line_height: 22.0,
    colour: Colour::PRIMARY,
};
const HEADING_2: TextStyle = TextStyle {
    style: FontStyle::Bold,
    size: 12.5,
    line_height: 16.0,
    colour: Colour::PRIMARY,
};
const RUNNING: TextStyle = TextStyle {
    style: FontStyle::Regular,
    size: 8.0,
    line_height: 10.0,
    colour: Colour::GREY,
};

/// Why printpdf could not save the document.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// printpdf's error messages.
    #[error("génération du PDF impossible : {}", .0.join(" ; "))]
    Save(Vec<String>),
    #[error("génération du PDF impossible : document vide")]
    Empty,
}

/// A headline figure: a label, a big value, and optionally a small line under it
/// (typically the change from the previous year).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub detail: Option<String>,
}

struct Page {
    canvas: Canvas,
    cover: bool,
}

/// Builds the report page by page. See the module documentation.
pub struct PdfDocumentBuilder {
    pub(super) fonts: Fonts,
    title: String,
    running_header: String,
    pages: Vec<Page>,
    /// Top of the free space on the current page, in points from the bottom.
    pub(super) y: f32,
    /// Nothing has been laid out on the current page yet (so no space above a block).
    pub(super) fresh: bool,
    /// Headings waiting for the block that follows them, so they are never left alone at
    /// the bottom of a page.
    pending_headings: Vec<(String, u8)>,
}

impl PdfDocumentBuilder {
    /// A4 portrait document titled `title` (its metadata), with `running_header` printed at
    /// the top of every page but the cover.
    pub fn new(title: &str, running_header: &str) -> Self {
        // The fonts are compiled into the binary and their parsing is covered by the
        // tests of `font`: failing here means a broken build, not bad input.
        let fonts = Fonts::load().expect("embedded fonts are valid TrueType");
        Self::with_fonts(title, running_header, fonts)
    }

    /// The same, with other faces (`templates/fonts/` overriding the built-in ones).
    pub fn with_fonts(title: &str, running_header: &str, fonts: Fonts) -> Self {
        let title = fonts.sanitize(title).replace('\n', " ");
        let running_header = fonts.sanitize(running_header).replace('\n', " ");
        Self {
            fonts,
            title,
            running_header,
            pages: Vec::new(),
            y: TOP,
            fresh: true,
            pending_headings: Vec::new(),
        }
    }

    /// A cover page: a coloured band with `title`, then `subtitle_lines` below it
    /// (year, convention, date of generation…). The next block starts a new page.
    pub fn cover(&mut self, title: &str, subtitle_lines: &[String]) {
        self.flush_headings(0.0);
        let reuse = self
            .pages
            .last()
            .is_some_and(|page| !page.cover && page.canvas.is_empty());
        if reuse {
            self.pages.pop();
        }
        let fonts = &self.fonts;
        let mut canvas = Canvas::new();

        let band_bottom = PAGE_HEIGHT - 105.0 * MM;
        canvas.fill_rect(
            0.0,
            band_bottom,
            PAGE_WIDTH,
            PAGE_HEIGHT - band_bottom,
            Colour::PRIMARY,
        );
        canvas.fill_rect(
            0.0,
            band_bottom - 2.5 * MM,
            PAGE_WIDTH,
            2.5 * MM,
            Colour::ACCENT,
        );

        // Title: white on the band, bottom-aligned 14 mm above the band's lower edge.
        let title_style = TextStyle {
            style: FontStyle::Bold,
            size: 26.0,
            line_height: 32.0,
            colour: Colour::WHITE,
        };
        let (size, line_height) = (title_style.size, title_style.line_height);
        let face = fonts.face(FontStyle::Bold);
        let lines = wrap(face, size, &fonts.sanitize(title), CONTENT_WIDTH);
        let lines = limit_lines(face, size, lines, 5, CONTENT_WIDTH);
        let mut baseline = band_bottom + 14.0 * MM + line_height * (lines.len() as f32 - 1.0);
        for line in &lines {
            canvas.text(LEFT, baseline, &line.text, title_style);
            baseline -= line_height;
        }

        // Subtitle lines below the band.
        let subtitle_style = TextStyle {
            style: FontStyle::Regular,
            size: 13.0,
            line_height: 18.0,
            colour: Colour::TEXT,
        };
        let (size, line_height) = (subtitle_style.size, subtitle_style.line_height);
        let face = fonts.face(FontStyle::Regular);
        let mut baseline = band_bottom - 20.0 * MM;
        for subtitle in subtitle_lines {
            for line in wrap(face, size, &fonts.sanitize(subtitle), CONTENT_WIDTH) {
                if baseline < BOTTOM {
                    break;
                }
                canvas.text(LEFT, baseline, &line.text, subtitle_style);
                baseline -= line_height;
            }
            baseline -= 4.0;
        }

        self.pages.push(Page {
            canvas,
            cover: true,
        });
        self.y = TOP;
        self.fresh = true;
    }

    /// A heading. Level 1 (a section; 0 counts as 1) starts a new page; level 2 and deeper are
    /// subsections. A heading is kept on the same page as the start of the next block.
    pub fn heading(&mut self, text: &str, level: u8) {
        let level = level.clamp(1, 2);
        if level == 1 {
            // Headings still waiting are drawn where they are, then the section starts
            // on a fresh page.
            self.flush_headings(0.0);
            if !self.fresh {
                self.new_page();
            }
        }
        self.pending_headings
            .push((self.fonts.sanitize(text), level));
    }

    /// A paragraph of body text, justified, wrapped by real glyph widths. `\n` breaks a line.
    pub fn paragraph(&mut self, text: &str) {
        self.flow_text(text, BODY, true);
        self.gap(6.0);
    }

    /// A small grey line or paragraph, such as
    /// « … et 1 234 autres conventions dans conventions.csv ».
    pub fn note(&mut self, text: &str) {
        self.flow_text(text, NOTE, false);
        self.gap(6.0);
    }

    /// Boxes with a label, a big value and an optional detail line, up to three a row.
    pub fn key_figures(&mut self, items: &[KeyFigure]) {
        if items.is_empty() {
            return;
        }
        self.gap(4.0);
        let grid = FigureGrid::for_count(items.len());
        for row in items.chunks(grid.columns) {
            let prepared: Vec<PreparedFigure> = row
                .iter()
                .map(|item| self.prepare_figure(item, &grid))
                .collect();
            let box_height = prepared
                .iter()
                .map(|figure| grid.height(figure))
                .fold(0.0, f32::max);

            self.start_block(box_height);
            let top = self.y;
            self.fresh = false;
            let fonts = &self.fonts;
            let Some(canvas) = current_canvas(&mut self.pages) else {
                return;
            };
            for (index, figure) in prepared.iter().enumerate() {
                let x = LEFT + index as f32 * (grid.width + grid.gap);
                grid.draw(canvas, fonts, figure, (x, top), box_height);
            }
            self.advance(box_height);
            self.gap(grid.gap);
        }
        self.gap(6.0);
    }

    /// Wraps a key figure's label and detail, and sizes its value: the biggest size up to
    /// 18 pt at which it fits the box, else cut.
    fn prepare_figure(&self, item: &KeyFigure, grid: &FigureGrid) -> PreparedFigure {
        let fonts = &self.fonts;
        let inner = grid.inner;
        let label_lines = self.wrap_limited(&item.label, grid.label, inner, 2);
        let value = fonts.sanitize(&item.value).replace('\n', " ");
        let bold = fonts.face(FontStyle::Bold);
        let natural = bold.text_width(&value, 18.0);
        let size = if natural <= inner {
            18.0
        } else {
            (18.0 * inner / natural).max(10.0)
        };
        let value = truncate(bold, size, &value, inner);
        let detail_lines = item
            .detail
            .as_deref()
            .map(|text| self.wrap_limited(text, grid.detail, inner, 2))
            .unwrap_or_default();
        PreparedFigure {
            label_lines,
            value,
            size,
            detail_lines,
        }
    }

    /// Lays out the pages, adds the running header and `Page N / M` footers, sets the
    /// metadata and returns the PDF. `creation` is the generation time in UTC (written as
    /// the document's creation and modification dates).
    pub fn finish(mut self, creation: NaiveDateTime) -> Result<Vec<u8>, PdfError> {
        let pages: Vec<PdfPage> = self
            .finished_pages()
            .into_iter()
            .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops))
            .collect();

        let mut doc = PdfDocument::new(&self.title);
        for (id, face) in [
            (Fonts::REGULAR_ID, &self.fonts.regular),
            (Fonts::BOLD_ID, &self.fonts.bold),
        ] {
            // Fixed ids instead of `add_font`, whose ids are random.
            doc.resources
                .fonts
                .map
                .insert(FontId(id.to_string()), PdfFont::new(face.parsed().clone()));
        }
        let date = pdf_date(creation);
        let info = &mut doc.metadata.info;
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
        info.creator = format!("enrx {}", env!("CARGO_PKG_VERSION"));
        info.producer = "enrx (printpdf 0.12)".to_string();

        let options = PdfSaveOptions {
            optimize: true,
            // Without printpdf's text_layout feature there is no subsetter: the fonts are
            // subset beforehand (templates/fonts/README.md).
            subset_fonts: false,
            secure: true,
            image_optimization: None,
        };
        let mut warnings = Vec::new();
        // `save` returns the bytes; `save_writer` would drop write errors.
        let mut bytes = doc.with_pages(pages).save(&options, &mut warnings);
        let errors: Vec<String> = warnings
            .into_iter()
            .filter(|warning| warning.severity == PdfParseErrorSeverity::Error)
            .map(|warning| warning.msg)
            .collect();
        if !errors.is_empty() {
            return Err(PdfError::Save(errors));
        }
        if bytes.is_empty() {
            return Err(PdfError::Empty);
        }
        stable_document_id(&mut bytes);
        Ok(bytes)
    }

    /// Draws what is still waiting, then every page's operations with its running header
    /// and footer (the page count is only known now). Leaves the builder without pages.
    fn finished_pages(&mut self) -> Vec<Vec<printpdf::Op>> {
        self.flush_headings(0.0);
        if self.pages.is_empty() {
            // A PDF needs at least one page.
            self.new_page();
        }
        let total = self.pages.len();
        std::mem::take(&mut self.pages)
            .into_iter()
            .enumerate()
            .map(|(index, mut page)| {
                self.decorate(&mut page, index + 1, total);
                page.canvas.into_ops()
            })
            .collect()
    }

    // ----- flow -------------------------------------------------------------------------

    /// The current page's canvas, starting a page if there is none or the last is the cover.
    pub(super) fn canvas(&mut self) -> &mut Canvas {
        if self.pages.last().is_none_or(|page| page.cover) {
            self.new_page();
        }
        self.fresh = false;
        let last = self.pages.len() - 1;
        &mut self.pages[last].canvas
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Page {
            canvas: Canvas::new(),
            cover: false,
        });
        self.y = TOP;
        self.fresh = true;
    }

    /// Free height left on the current page.
    pub(super) fn space_left(&self) -> f32 {
        if self.pages.last().is_none_or(|page| page.cover) {
            TOP - BOTTOM
        } else {
            self.y - BOTTOM
        }
    }

    /// Prepares for a block whose first unbreakable part is `first_part` points high:
    /// starts a new page when the waiting headings and that part do not fit, then draws
    /// the headings.
    pub(super) fn start_block(&mut self, first_part: f32) {
        self.flush_headings(first_part);
        if self.pages.last().is_none_or(|page| page.cover) {
            self.new_page();
        }
        if !self.fresh && first_part.min(TOP - BOTTOM) > self.space_left() + EPSILON {
            self.new_page();
        }
    }

    /// Moves the cursor down by `height` after drawing.
    pub(super) fn advance(&mut self, height: f32) {
        self.y -= height;
        self.fresh = false;
    }

    /// Vertical space between blocks; none at the top of a page.
    pub(super) fn gap(&mut self, height: f32) {
        if !self.fresh {
            self.y = (self.y - height).max(BOTTOM);
        }
    }

    /// Draws the waiting headings, keeping them with `first_part` points of what follows.
    fn flush_headings(&mut self, first_part: f32) {
        if self.pending_headings.is_empty() {
            return;
        }
        let headings = std::mem::take(&mut self.pending_headings);
        let prepared: Vec<(Vec<Line>, TextStyle, u8)> = headings
            .iter()
            .map(|(text, level)| {
                let style = if *level == 1 { HEADING_1 } else { HEADING_2 };
                let lines = self.wrap_limited(text, style, CONTENT_WIDTH, 4);
                (lines, style, *level)
            })
            .collect();
        let space_before = |level: u8| if level == 1 { 0.0 } else { 10.0 };
        let space_after = |level: u8| if level == 1 { 12.0 } else { 5.0 };
        let height: f32 = prepared
            .iter()
            .map(|(lines, style, level)| {
                space_before(*level) + lines.len() as f32 * style.line_height + space_after(*level)
            })
            .sum();
        if self.pages.last().is_none_or(|page| page.cover) {
            self.new_page();
        }
        let needed = (height + first_part).min(TOP - BOTTOM);
        if !self.fresh && needed > self.space_left() + EPSILON {
            self.new_page();
        }
        for (lines, style, level) in prepared {
            self.gap(space_before(level));
            for line in &lines {
                let baseline = baseline_in(&self.fonts, style, self.y);
                self.canvas().text(LEFT, baseline, &line.text, style);
                self.advance(style.line_height);
            }
            if level == 1 && !lines.is_empty() {
                let y = self.y - 3.0;
                self.canvas()
                    .line((LEFT, y), (RIGHT, y), 0.8, Colour::ACCENT);
            }
            self.y -= space_after(level);
        }
    }

    /// Wraps and places text line by line, breaking pages with at least two lines of a
    /// paragraph on each side of a break.
    fn flow_text(&mut self, text: &str, style: TextStyle, justify: bool) {
        let text = self.fonts.sanitize(text);
        let lines = wrap(
            self.fonts.face(style.style),
            style.size,
            &text,
            CONTENT_WIDTH,
        );
        if lines.is_empty() {
            return;
        }
        let line_height = style.line_height;
        let count = lines.len();
        self.start_block(line_height * count.min(2) as f32);
        let mut index = 0;
        while index < count {
            let fits = ((self.space_left() + EPSILON) / line_height)
                .floor()
                .max(0.0) as usize;
            let remaining = count - index;
            let mut take = fits.min(remaining);
            if take < remaining {
                if remaining - take == 1 && take >= 3 {
                    take -= 1; // no single last line alone at the top of the next page
                }
                if take < 2 && !self.fresh {
                    take = 0; // no single first line alone at the bottom of this page
                }
                if take == 0 && self.fresh {
                    take = 1; // cannot happen on A4, but never loop forever
                }
            }
            for line in &lines[index..index + take] {
                let baseline = baseline_in(&self.fonts, style, self.y);
                let extra = if justify && line.justifiable {
                    justification(&line.text, line.width, CONTENT_WIDTH, style.size)
                } else {
                    0.0
                };
                self.canvas()
                    .justified_text(LEFT, baseline, &line.text, extra, style);
                self.advance(line_height);
            }
            index += take;
            if index < count {
                self.new_page();
            }
        }
    }

    /// Wraps sanitized-or-not `text` in `style` at `width`, keeping at most `max_lines`.
    pub(super) fn wrap_limited(
        &self,
        text: &str,
        style: TextStyle,
        width: f32,
        max_lines: usize,
    ) -> Vec<Line> {
        let face = self.fonts.face(style.style);
        let lines = wrap(face, style.size, &self.fonts.sanitize(text), width);
        limit_lines(face, style.size, lines, max_lines, width)
    }

    /// Running header (not on the cover) and footer.
    fn decorate(&self, page: &mut Page, number: usize, total: usize) {
        let regular = self.fonts.face(FontStyle::Regular);
        let canvas = &mut page.canvas;
        if !page.cover && !self.running_header.is_empty() {
            let header = truncate(regular, RUNNING.size, &self.running_header, CONTENT_WIDTH);
            canvas.text(LEFT, HEADER_BASELINE, &header, RUNNING);
            canvas.line((LEFT, HEADER_RULE), (RIGHT, HEADER_RULE), 0.5, Colour::RULE);
        }
        let footer = format!("Page {number} / {total}");
        let width = regular.text_width(&footer, RUNNING.size);
        let colour = if page.cover {
            Colour::GREY
        } else {
            RUNNING.colour
        };
        canvas.text(
            (PAGE_WIDTH - width) / 2.0,
            FOOTER_BASELINE,
            &footer,
            TextStyle { colour, ..RUNNING },
        );
    }

    /// The text of every finished page (header and footer included), for tests.
    #[cfg(test)]
    pub(super) fn finished_texts(mut self) -> Vec<Vec<String>> {
        self.finished_pages()
            .iter()
            .map(|ops| Canvas::shown_texts(ops))
            .collect()
    }

    /// The text of every page, one entry per text operation, for tests.
    #[cfg(test)]
    pub(super) fn page_texts(&self) -> Vec<Vec<String>> {
        self.pages
            .iter()
            .map(|page| Canvas::shown_texts(page.canvas.ops()))
            .collect()
    }
}

/// The boxes of key figures: how many a row, their size and their text styles.
struct FigureGrid {
    columns: usize,
    /// Width of a box, and the space between two.
    width: f32,
    gap: f32,
    padding: f32,
    /// Width of the text inside a box.
    inner: f32,
    label: TextStyle,
    detail: TextStyle,
    /// Line height of the big value.
    value_line: f32,
}

/// A key figure ready to draw.
struct PreparedFigure {
    label_lines: Vec<Line>,
    value: String,
    /// Font size of the value.
    size: f32,
    detail_lines: Vec<Line>,
}

impl FigureGrid {
    /// One row for 1 to 3 figures, two columns for 2 and 4, else rows of three.
    fn for_count(count: usize) -> Self {
        let columns = match count {
            1 => 1,
            2 | 4 => 2,
            _ => 3,
        };
        let gap = 8.0;
        let width = (CONTENT_WIDTH - gap * (columns as f32 - 1.0)) / columns as f32;
        let padding = 8.0;
        let label = TextStyle {
            style: FontStyle::Regular,
            size: 8.5,
            line_height: 11.0,
            colour: Colour::GREY,
        };
        Self {
            columns,
            width,
            gap,
            padding,
            inner: width - 2.0 * padding - 3.0,
            label,
            detail: TextStyle {
                size: 8.0,
                line_height: 10.5,
                ..label
            },
            value_line: 24.0,
        }
    }

    /// Height of the box `figure` needs.
    fn height(&self, figure: &PreparedFigure) -> f32 {
        let mut height = 2.0 * self.padding
            + figure.label_lines.len() as f32 * self.label.line_height
            + 2.0
            + self.value_line;
        if !figure.detail_lines.is_empty() {
            height += 2.0 + figure.detail_lines.len() as f32 * self.detail.line_height;
        }
        height
    }

    /// Draws one box with its top left corner at `(x, top)`: a tinted box with a coloured
    /// edge, the label, the value, the detail.
    fn draw(
        &self,
        canvas: &mut Canvas,
        fonts: &Fonts,
        figure: &PreparedFigure,
        (x, top): (f32, f32),
        box_height: f32,
    ) {
        let (label, detail, padding) = (self.label, self.detail, self.padding);
        canvas.fill_rect(x, top - box_height, self.width, box_height, Colour::TINT);
        canvas.fill_rect(x, top - box_height, 3.0, box_height, Colour::PRIMARY);
        let text_x = x + 3.0 + padding;
        let mut line_top = top - padding;
        for line in &figure.label_lines {
            let baseline = baseline_in(fonts, label, line_top);
            canvas.text(text_x, baseline, &line.text, label);
            line_top -= label.line_height;
        }
        line_top -= 2.0;
        let value_style = TextStyle {
            style: FontStyle::Bold,
            size: figure.size,
            line_height: self.value_line,
            colour: Colour::PRIMARY,
        };
        let baseline = baseline_in(fonts, value_style, line_top);
        canvas.text(text_x, baseline, &figure.value, value_style);
        line_top -= self.value_line + 2.0;
        for line in &figure.detail_lines {
            let baseline = baseline_in(fonts, detail, line_top);
            canvas.text(text_x, baseline, &line.text, detail);
            line_top -= detail.line_height;
        }
    }
}

/// The canvas of the last page, if it is not the cover.
fn current_canvas(pages: &mut [Page]) -> Option<&mut Canvas> {
    pages
        .last_mut()
        .filter(|page| !page.cover)
        .map(|page| &mut page.canvas)
}

/// Baseline of a line of `style` whose line box has its top at `top`: the glyphs' ascent and
/// descent centred in the line height.
pub(super) fn baseline_in(fonts: &Fonts, style: TextStyle, top: f32) -> f32 {
    let face = fonts.face(style.style);
    let ascent = face.ascent(style.size);
    let descent = face.descent(style.size);
    top - (style.line_height + ascent + descent) / 2.0
}

/// Extra width per space to justify `text` to `width`; 0 when there is no space or the
/// stretch would be ugly (more than 0.8 em per space), so that line stays left-aligned.
fn justification(text: &str, natural: f32, width: f32, size: f32) -> f32 {
    let spaces = text.matches(' ').count();
    if spaces == 0 || natural >= width {
        return 0.0;
    }
    let extra = (width - natural) / spaces as f32;
    if extra > 0.8 * size { 0.0 } else { extra }
}

fn pdf_date(at: NaiveDateTime) -> printpdf::OffsetDateTime {
    let clamp = |value: u32, max: u32| value.min(max) as u8;
    printpdf::OffsetDateTime::new_in_offset(
        printpdf::Date {
            year: at.year().clamp(0, 9999),
            month: clamp(at.month(), 12),
            day: clamp(at.day(), 31),
        },
        printpdf::Time {
            hour: clamp(at.hour(), 23),
            minute: clamp(at.minute(), 59),
            second: clamp(at.second(), 59),
            millisecond: 0,
        },
        printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

/// printpdf writes the trailer `/ID` as two random 32-character strings from a process-wide
/// counter, so two runs (or two documents in one run) differ. Replace both with the first
/// 32 hex digits of the SHA-256 of everything before the trailer: same content, same id,
/// and the same length, so the cross-reference offsets stay valid.
fn stable_document_id(bytes: &mut [u8]) {
    let Some(trailer) = find_last(bytes, b"trailer") else {
        return;
    };
    let Some(id_at) = find_last(&bytes[trailer..], b"/ID[(").map(|at| trailer + at) else {
        return;
    };
    let first = id_at + b"/ID[(".len();
    let second = first + 32 + b")(".len();
    let fits = bytes.len() >= second + 33
        && bytes[first + 32..second] == *b")("
        && bytes[second + 32] == b')';
    if !fits {
        return;
    }
    let digest = crate::digest::sha256_hex(&bytes[..trailer]);
    let id = &digest.as_bytes()[..32];
    bytes[first..first + 32].copy_from_slice(id);
    bytes[second..second + 32].copy_from_slice(id);
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}
