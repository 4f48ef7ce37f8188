//! Tables: columns sized to their content, wrapped cells, zebra rows, right-aligned numeric
//! columns, and page breaks between rows with the header row repeated.

use super::canvas::{Colour, TextStyle};
use super::font::FontStyle;
use super::layout::{BOTTOM, CONTENT_WIDTH, LEFT, PdfDocumentBuilder, TOP, baseline_in};
use super::wrap::{Line, limit_lines, longest_unbreakable, wrap};

/// Horizontal alignment of a column (header included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    /// For numbers, so that units and decimals line up.
    Right,
}

/// A column: its header, its alignment and, optionally, the largest share of the table's
/// width it may take (0.0–1.0), to stop one long text column from squeezing the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub align: Align,
    pub max_width_share: Option<f32>,
    /// Cells are kept on one line (identifiers such as `C-2020-028`, which would otherwise
    /// break at their hyphens).
    pub whole: bool,
}

impl Column {
    /// A left-aligned column.
    pub fn left(header: &str) -> Self {
        Self {
            header: header.to_string(),
            align: Align::Left,
            max_width_share: None,
            whole: false,
        }
    }

    /// A right-aligned (numeric) column.
    pub fn right(header: &str) -> Self {
        Self {
            header: header.to_string(),
            align: Align::Right,
            max_width_share: None,
            whole: false,
        }
    }

    /// The same column, limited to `share` of the table's width.
    pub fn max_share(mut self, share: f32) -> Self {
        self.max_width_share = Some(share);
        self
    }

    /// The same column, its cells kept on one line (within its cap).
    pub fn whole(mut self) -> Self {
        self.whole = true;
        self
    }
}

/// A table. A row shorter than the columns is completed with empty cells; cells beyond the
/// last column are ignored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

const CELL: TextStyle = TextStyle {
    style: FontStyle::Regular,
    size: 8.5,
    line_height: 10.5,
    colour: Colour::TEXT,
};
const HEADER: TextStyle = TextStyle {
    style: FontStyle::Bold,
    colour: Colour::WHITE,
    ..CELL
};
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 2.5;
/// No header cell takes more lines than this.
const MAX_HEADER_LINES: usize = 3;

/// A row ready to draw: each cell's lines, and the row's height.
struct Row {
    cells: Vec<Vec<Line>>,
    height: f32,
}

impl PdfDocumentBuilder {
    /// Draws `table` across as many pages as needed, the header row on top of each part.
    /// A table without columns draws nothing; one without rows draws its header.
    pub fn table(&mut self, table: &Table) {
        if table.columns.is_empty() {
            return;
        }
        let cells: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| {
                (0..table.columns.len())
                    .map(|index| {
                        row.get(index)
                            .map(|text| self.fonts.sanitize(text))
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let headers: Vec<String> = table
            .columns
            .iter()
            .map(|column| self.fonts.sanitize(&column.header))
            .collect();
        let widths = self.column_widths(&table.columns, &headers, &cells);

        let header = self.prepare_row(&headers, &widths, HEADER, MAX_HEADER_LINES);
        // A row never takes more than what is left of a page under the header.
        let max_lines = (((TOP - BOTTOM - header.height - 2.0 * PAD_Y) / CELL.line_height).floor()
            as usize)
            .max(1);
        let first_height = cells
            .first()
            .map(|row| self.prepare_row(row, &widths, CELL, max_lines).height)
            .unwrap_or(0.0);

        self.start_block(header.height + first_height);
        self.draw_row(
            &header,
            &table.columns,
            &widths,
            HEADER,
            Some(Colour::PRIMARY),
        );
        for (index, row) in cells.iter().enumerate() {
            let row = self.prepare_row(row, &widths, CELL, max_lines);
            if row.height > self.space_left() + 1e-3 {
                self.rule_under_table(&widths);
                self.new_page();
                self.draw_row(
                    &header,
                    &table.columns,
                    &widths,
                    HEADER,
                    Some(Colour::PRIMARY),
                );
            }
            let fill = (index % 2 == 1).then_some(Colour::TINT);
            self.draw_row(&row, &table.columns, &widths, CELL, fill);
        }
        self.rule_under_table(&widths);
        self.gap(10.0);
    }

    /// Column widths that add up to the text block's width.
    ///
    /// Each column wants its widest cell on one line (natural width) and needs at least its
    /// longest word (minimum width), both capped by its `max_width_share`. If all natural
    /// widths fit, the spare width is shared out in proportion; else each column gets its
    /// minimum plus a share of the rest in proportion to what it lacks; if even the minimums
    /// do not fit, they are scaled down and long words are cut.
    fn column_widths(
        &self,
        columns: &[Column],
        headers: &[String],
        cells: &[Vec<String>],
    ) -> Vec<f32> {
        let regular = self.fonts.face(FontStyle::Regular);
        let bold = self.fonts.face(FontStyle::Bold);
        let total = CONTENT_WIDTH;
        let mut natural = Vec::with_capacity(columns.len());
        let mut minimum = Vec::with_capacity(columns.len());
        for (index, column) in columns.iter().enumerate() {
            let longest_word =
                |face: &super::font::Face, text: &str| longest_unbreakable(face, CELL.size, text);
            let widest_line = |face: &super::font::Face, text: &str| {
                text.split('\n')
                    .map(|line| face.text_width(line, CELL.size))
                    .fold(0.0, f32::max)
            };
            // Headers may wrap (up to three lines), so they only count by their longest word.
            let mut nat = longest_word(bold, &headers[index]);
            let mut min = nat;
            for row in cells {
                nat = nat.max(widest_line(regular, &row[index]));
                min = min.max(if column.whole {
                    widest_line(regular, &row[index])
                } else {
                    longest_word(regular, &row[index])
                });
            }
            let cap = column
                .max_width_share
                .filter(|share| share.is_finite() && *share > 0.0)
                .map_or(total, |share| share.min(1.0) * total);
            let nat = (nat + 2.0 * PAD_X + 0.5).min(cap);
            // Past a third of the table, a word is cut rather than squeezing the others.
            let min = (min + 2.0 * PAD_X + 0.5).min(cap).min(total / 3.0).min(nat);
            natural.push(nat);
            minimum.push(min);
        }
        let sum_natural: f32 = natural.iter().sum();
        let sum_minimum: f32 = minimum.iter().sum();
        if sum_natural <= total {
            // Spare width goes to the columns below their cap, in proportion to their width,
            // again and again as columns reach their cap. When every column is capped the
            // table stays narrower than the text block.
            let caps: Vec<f32> = columns
                .iter()
                .map(|column| {
                    column
                        .max_width_share
                        .filter(|share| share.is_finite() && *share > 0.0)
                        .map_or(f32::INFINITY, |share| share.min(1.0) * total)
                })
                .collect();
            let mut widths = natural;
            for _ in 0..widths.len() {
                let spare = total - widths.iter().sum::<f32>();
                let base: f32 = widths
                    .iter()
                    .zip(&caps)
                    .filter(|(width, cap)| **width + 0.01 < **cap)
                    .map(|(width, _)| width)
                    .sum();
                if spare <= 0.01 || base <= 0.0 {
                    break;
                }
                for (width, cap) in widths.iter_mut().zip(&caps) {
                    if *width + 0.01 < *cap {
                        *width = (*width + spare * *width / base).min(*cap);
                    }
                }
            }
            widths
        } else if sum_minimum <= total {
            let ratio = (total - sum_minimum) / (sum_natural - sum_minimum);
            minimum
                .iter()
                .zip(&natural)
                .map(|(min, nat)| min + (nat - min) * ratio)
                .collect()
        } else {
            minimum
                .iter()
                .map(|min| min * total / sum_minimum)
                .collect()
        }
    }

    fn prepare_row(
        &self,
        texts: &[String],
        widths: &[f32],
        style: TextStyle,
        max_lines: usize,
    ) -> Row {
        let face = self.fonts.face(style.style);
        let cells: Vec<Vec<Line>> = texts
            .iter()
            .zip(widths)
            .map(|(text, width)| {
                let inner = width - 2.0 * PAD_X;
                let lines = wrap(face, style.size, text, inner);
                limit_lines(face, style.size, lines, max_lines, inner)
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        Row {
            cells,
            height: lines as f32 * style.line_height + 2.0 * PAD_Y,
        }
    }

    fn draw_row(
        &mut self,
        row: &Row,
        columns: &[Column],
        widths: &[f32],
        style: TextStyle,
        fill: Option<Colour>,
    ) {
        let top = self.y;
        let baseline_offset = top - baseline_in(&self.fonts, style, top);
        let canvas = self.canvas();
        if let Some(colour) = fill {
            canvas.fill_rect(
                LEFT,
                top - row.height,
                widths.iter().sum(),
                row.height,
                colour,
            );
        }
        let mut x = LEFT;
        for ((lines, column), width) in row.cells.iter().zip(columns).zip(widths) {
            let mut line_top = top - PAD_Y;
            for line in lines {
                let text_x = match column.align {
                    Align::Left => x + PAD_X,
                    Align::Right => x + width - PAD_X - line.width,
                };
                canvas.text(text_x, line_top - baseline_offset, &line.text, style);
                line_top -= style.line_height;
            }
            x += width;
        }
        self.advance(row.height);
    }

    fn rule_under_table(&mut self, widths: &[f32]) {
        let width: f32 = widths.iter().sum();
        let y = self.y;
        self.canvas()
            .line((LEFT, y), (LEFT + width, y), 0.6, Colour::PRIMARY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered_rows(count: usize) -> Vec<Vec<String>> {
        (0..count)
            .map(|index| {
                vec![
                    format!("CONV-{index:05}"),
                    format!("Partenaire n°\u{A0}{index} — Communauté de communes"),
                    format!("{index}\u{202F}000,00\u{A0}€"),
                ]
            })
            .collect()
    }

    fn columns() -> Vec<Column> {
        vec![
            Column::left("Référence"),
            Column::left("Partenaire").max_share(0.5),
            Column::right("Montant"),
        ]
    }

    #[test]
    fn a_long_table_breaks_across_pages_with_its_header_repeated() {
        let mut builder = PdfDocumentBuilder::new("Test", "En-tête courant");
        builder.heading("Conventions actives", 1);
        builder.table(&Table {
            columns: columns(),
            rows: numbered_rows(2000),
        });
        let pages = builder.page_texts();
        assert!(pages.len() > 10, "{} pages", pages.len());
        for (number, texts) in pages.iter().enumerate() {
            let headers = texts.iter().filter(|text| *text == "Référence").count();
            assert_eq!(headers, 1, "page {}: {texts:?}", number + 1);
        }
        // Every row is there, once, in order.
        let rows: Vec<&String> = pages
            .iter()
            .flatten()
            .filter(|text| text.starts_with("CONV-"))
            .collect();
        assert_eq!(rows.len(), 2000);
        assert_eq!(rows[1999], "CONV-01999");
    }

    #[test]
    fn widths_fill_the_text_block_and_respect_shares() {
        let builder = PdfDocumentBuilder::new("Test", "");
        let cells: Vec<Vec<String>> = numbered_rows(50)
            .into_iter()
            .map(|row| {
                row.iter()
                    .map(|cell| builder.fonts.sanitize(cell))
                    .collect()
            })
            .collect();
        let headers: Vec<String> = columns().iter().map(|c| c.header.clone()).collect();
        let widths = builder.column_widths(&columns(), &headers, &cells);
        let sum: f32 = widths.iter().sum();
        assert!((sum - CONTENT_WIDTH).abs() < 0.01, "{widths:?}");
        assert!(widths[1] <= 0.5 * CONTENT_WIDTH + 0.01, "{widths:?}");

        // Far too much text: minimums scaled down, still the block's width.
        let wide: Vec<Vec<String>> = vec![vec![
            "x".repeat(400),
            "y".repeat(400),
            "z".repeat(400),
            "w".repeat(400),
        ]];
        let four = vec![
            Column::left("a"),
            Column::left("b"),
            Column::left("c"),
            Column::right("d"),
        ];
        let widths = builder.column_widths(
            &four,
            &["a".into(), "b".into(), "c".into(), "d".into()],
            &wide,
        );
        let sum: f32 = widths.iter().sum();
        assert!((sum - CONTENT_WIDTH).abs() < 0.01, "{widths:?}");
    }

    #[test]
    fn odd_tables_do_not_panic() {
        let mut builder = PdfDocumentBuilder::new("Test", "");
        builder.table(&Table::default());
        builder.table(&Table {
            columns: columns(),
            rows: Vec::new(),
        });
        builder.table(&Table {
            columns: columns(),
            rows: vec![
                vec![],
                vec!["seule".into()],
                vec!["a".into(), "b".into(), "c".into(), "en trop".into()],
                vec!["\t\n\r".into(), String::new(), "中".into()],
                vec!["mot".repeat(5000), "z ".repeat(5000), "1".into()],
            ],
        });
        let pages = builder.page_texts();
        let all: Vec<&String> = pages.iter().flatten().collect();
        assert!(all.iter().any(|text| *text == "seule"));
        assert!(!all.iter().any(|text| text.contains("en trop")));
        assert!(all.iter().any(|text| text.contains('\u{FFFD}')));
        assert!(builder.finish(chrono::NaiveDateTime::default()).is_ok());
    }
}
