//! Horizontal bar charts: one row per bar, its label on the left, the bar scaled to the
//! largest value, the value written at the end of the bar.

use super::canvas::{Colour, TextStyle};
use super::font::FontStyle;
use super::layout::{BOTTOM, CONTENT_WIDTH, LEFT, PdfDocumentBuilder, RIGHT, TOP, baseline_in};
use super::wrap::{Line, truncate};

/// A bar chart with a title.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarChart {
    pub title: String,
    pub bars: Vec<Bar>,
}

/// One bar. `value` sets the length (negative, NaN and infinite values draw no bar);
/// `value_label` is what is written, already formatted (`1 234,50 €`).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub value_label: String,
}

const TITLE: TextStyle = TextStyle {
    style: FontStyle::Bold,
    size: 10.0,
    line_height: 15.0,
    colour: Colour::TEXT,
};
const LABEL: TextStyle = TextStyle {
    style: FontStyle::Regular,
    size: 8.5,
    line_height: 10.5,
    colour: Colour::TEXT,
};
const VALUE: TextStyle = LABEL;
const ROW_PAD: f32 = 3.0;
const BAR_THICKNESS: f32 = 9.0;
const MIN_ROW: f32 = 15.0;
/// Said when a chart has nothing to show.
const NO_DATA: &str = "Aucune donnée à représenter.";

struct PreparedBar {
    label: Vec<Line>,
    value_label: String,
    length: f32,
    height: f32,
}

impl PdfDocumentBuilder {
    /// Draws `chart`. It stays on one page when it fits one, else breaks between bars and
    /// repeats its title, followed by « (suite) ».
    pub fn bar_chart(&mut self, chart: &BarChart) {
        let title_lines = self.wrap_limited(&chart.title, TITLE, CONTENT_WIDTH, 3);
        let title_height = title_lines.len() as f32 * TITLE.line_height + 3.0;
        if chart.bars.is_empty() {
            self.empty_chart(&title_lines, title_height);
            return;
        }
        let (bars, bar_left) = self.prepare_bars(&chart.bars);

        let total: f32 = title_height + bars.iter().map(|bar| bar.height).sum::<f32>() + 4.0;
        let first = if total <= TOP - BOTTOM {
            total
        } else {
            title_height + bars[0].height
        };
        self.start_block(first);
        self.draw_title(&title_lines, "");
        let mut part_top = self.y;
        for bar in &bars {
            if bar.height > self.space_left() + 1e-3 {
                self.axis(bar_left, part_top);
                self.new_page();
                self.draw_title(&title_lines, " (suite)");
                part_top = self.y;
            }
            self.draw_bar(bar, bar_left);
        }
        self.axis(bar_left, part_top);
        self.advance(4.0);
        self.gap(10.0);
    }

    /// The title and « Aucune donnée à représenter. ».
    fn empty_chart(&mut self, title_lines: &[Line], title_height: f32) {
        let note = TextStyle {
            colour: Colour::GREY,
            ..LABEL
        };
        self.start_block(title_height + MIN_ROW);
        self.draw_title(title_lines, "");
        let baseline = baseline_in(&self.fonts, note, self.y);
        self.canvas().text(LEFT, baseline, NO_DATA, note);
        self.advance(MIN_ROW);
        self.gap(12.0);
    }

    /// Measures the bars: labels wrapped in a column as wide as the widest (within bounds),
    /// lengths scaled to the largest value in the room the value labels leave. Returns them
    /// with the x where the bars start.
    fn prepare_bars(&self, chart_bars: &[Bar]) -> (Vec<PreparedBar>, f32) {
        let fonts = &self.fonts;
        let regular = fonts.face(FontStyle::Regular);
        let values: Vec<f64> = chart_bars
            .iter()
            .map(|bar| {
                if bar.value.is_finite() {
                    bar.value.max(0.0)
                } else {
                    0.0
                }
            })
            .collect();
        let max = values.iter().copied().fold(0.0, f64::max);
        let value_labels: Vec<String> = chart_bars
            .iter()
            .map(|bar| {
                truncate(
                    regular,
                    VALUE.size,
                    &fonts.sanitize(&bar.value_label),
                    CONTENT_WIDTH / 4.0,
                )
            })
            .collect();
        let value_width = value_labels
            .iter()
            .map(|label| regular.text_width(label, VALUE.size))
            .fold(0.0, f32::max);
        let label_natural = chart_bars
            .iter()
            .map(|bar| regular.text_width(&fonts.sanitize(&bar.label), LABEL.size))
            .fold(0.0, f32::max);
        let label_width = label_natural.clamp(30.0, CONTENT_WIDTH * 0.38);
        let bar_left = LEFT + label_width + 8.0;
        let bar_room = (RIGHT - value_width - 6.0 - bar_left).max(10.0);

        let bars = chart_bars
            .iter()
            .zip(values)
            .zip(value_labels)
            .map(|((bar, value), value_label)| {
                let label = self.wrap_limited(&bar.label, LABEL, label_width, 2);
                let height =
                    (label.len().max(1) as f32 * LABEL.line_height + 2.0 * ROW_PAD).max(MIN_ROW);
                let length = if max > 0.0 {
                    (value / max) as f32 * bar_room
                } else {
                    0.0
                };
                PreparedBar {
                    label,
                    value_label,
                    length,
                    height,
                }
            })
            .collect();
        (bars, bar_left)
    }

    fn draw_title(&mut self, lines: &[Line], suffix: &str) {
        let count = lines.len();
        for (index, line) in lines.iter().enumerate() {
            let text = if index + 1 == count {
                format!("{}{suffix}", line.text)
            } else {
                line.text.clone()
            };
            let baseline = baseline_in(&self.fonts, TITLE, self.y);
            self.canvas().text(LEFT, baseline, &text, TITLE);
            self.advance(TITLE.line_height);
        }
        self.advance(3.0);
    }

    fn draw_bar(&mut self, bar: &PreparedBar, bar_left: f32) {
        let top = self.y;
        let middle = top - bar.height / 2.0;
        let label_block = bar.label.len() as f32 * LABEL.line_height;
        let mut line_top = middle + label_block / 2.0;
        let baseline_offset = line_top - baseline_in(&self.fonts, LABEL, line_top);
        let face = self.fonts.face(VALUE.style);
        let value_baseline = middle - (face.ascent(VALUE.size) + face.descent(VALUE.size)) / 2.0;
        let canvas = self.canvas();
        for line in &bar.label {
            canvas.text(LEFT, line_top - baseline_offset, &line.text, LABEL);
            line_top -= LABEL.line_height;
        }
        // A zero value still shows a hairline, so the row does not look forgotten.
        let length = bar.length.max(0.8);
        canvas.fill_rect(
            bar_left,
            middle - BAR_THICKNESS / 2.0,
            length,
            BAR_THICKNESS,
            Colour::ACCENT,
        );
        canvas.text(
            bar_left + length + 4.0,
            value_baseline,
            &bar.value_label,
            VALUE,
        );
        self.advance(bar.height);
    }

    fn axis(&mut self, x: f32, top: f32) {
        let bottom = self.y;
        if top - bottom > 0.0 {
            self.canvas().line((x, top), (x, bottom), 0.6, Colour::GREY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_string(),
            value,
            value_label: format!("{value}"),
        }
    }

    #[test]
    fn empty_zero_and_odd_values_do_not_panic() {
        let mut builder = PdfDocumentBuilder::new("Test", "");
        builder.bar_chart(&BarChart::default());
        builder.bar_chart(&BarChart {
            title: "Tout à zéro".into(),
            bars: vec![bar("a", 0.0), bar("b", 0.0)],
        });
        builder.bar_chart(&BarChart {
            title: "Valeurs étranges".into(),
            bars: vec![
                bar("négative", -5.0),
                bar("NaN", f64::NAN),
                bar("infinie", f64::INFINITY),
                bar("", 1e300),
                bar(&"étiquette très longue ".repeat(40), 3.0),
            ],
        });
        let texts: Vec<String> = builder.page_texts().concat();
        assert!(texts.iter().any(|text| text == NO_DATA));
        assert!(texts.iter().any(|text| text == "Tout à zéro"));
        assert!(builder.finish(chrono::NaiveDateTime::default()).is_ok());
    }

    #[test]
    fn a_long_chart_continues_on_the_next_page() {
        let mut builder = PdfDocumentBuilder::new("Test", "");
        let bars = (0..120)
            .map(|index| bar(&format!("Parc {index}"), index as f64))
            .collect();
        builder.bar_chart(&BarChart {
            title: "Par parc".into(),
            bars,
        });
        let pages = builder.page_texts();
        assert!(pages.len() >= 2);
        assert!(pages[1].iter().any(|text| text == "Par parc (suite)"));
        let labels = pages
            .iter()
            .flatten()
            .filter(|t| t.starts_with("Parc "))
            .count();
        assert_eq!(labels, 120);
    }
}
