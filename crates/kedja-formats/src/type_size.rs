//! The size of type on a PDF's first page, and the headline it gives: the
//! lines set larger than the running text at the top of the page. A cover
//! page, a report from another organisation or a plan drawn as a poster
//! often opens with printer's marks, an address or a table of months in
//! its text layer, while its title is the largest type on the page; what a
//! reader sees first is what the page's designer made large.
//!
//! `pdf-extract` gives each character with its font size and transform;
//! the lines are gathered here by hand because the crate's plain-text
//! output drops the sizes.

use pdf_extract::{MediaBox, OutputDev, OutputError, PlainTextOutput, Transform};

/// A line of the first page: its text, the size of its type in points and
/// the height of its baseline on the page (larger is higher up).
#[derive(Debug, Clone, PartialEq)]
pub struct SizedLine {
    pub text: String,
    pub size: f64,
    pub y: f64,
}

/// Reads a page into plain text as `pdf-extract` does and, on the first
/// page, also gathers its lines with the size of their type.
pub(crate) struct SizedReader<'a> {
    text: PlainTextOutput<&'a mut String>,
    page: u32,
    lines: Vec<Building>,
}

struct Building {
    text: String,
    /// Size of each letter, for the line's typical size.
    sizes: Vec<f64>,
    y: f64,
    end: f64,
}

impl<'a> SizedReader<'a> {
    pub(crate) fn new(out: &'a mut String, page: u32) -> Self {
        SizedReader {
            text: PlainTextOutput::new(out),
            page,
            lines: Vec::new(),
        }
    }

    /// The first page's lines (none for any other page).
    pub(crate) fn into_lines(self) -> Vec<SizedLine> {
        self.lines
            .into_iter()
            .filter_map(|mut b| {
                let text = b.text.split_whitespace().collect::<Vec<_>>().join(" ");
                if b.sizes.is_empty() || text.is_empty() {
                    return None;
                }
                b.sizes.sort_by(f64::total_cmp);
                Some(SizedLine {
                    text,
                    size: b.sizes[b.sizes.len() / 2],
                    y: b.y,
                })
            })
            .collect()
    }

    fn gather(&mut self, trm: &Transform, width: f64, font_size: f64, c: &str) {
        // The size on the page: the font size scaled by the text matrix
        // (the square root of its area scale, so rotated text counts too).
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = font_size * scale;
        if !size.is_finite() || size <= 0.0 {
            return;
        }
        let (x, y) = (trm.m31, trm.m32);
        let same_line = self
            .lines
            .last()
            .is_some_and(|l| (l.y - y).abs() < 0.5 * size && x > l.end - 2.0 * size);
        if !same_line {
            self.lines.push(Building {
                text: String::new(),
                sizes: Vec::new(),
                y,
                end: x,
            });
        }
        let Some(line) = self.lines.last_mut() else {
            return;
        };
        if x > line.end + 0.1 * size && !line.text.is_empty() {
            line.text.push(' ');
        }
        line.text.push_str(c);
        if c.chars().any(char::is_alphabetic) {
            line.sizes.push(size);
        }
        line.end = x + width * size;
    }
}

impl OutputDev for SizedReader<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.text.begin_page(page_num, media_box, art_box)
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.text.end_page()
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        if self.page == 1 {
            self.gather(trm, width, font_size, char);
        }
        self.text
            .output_character(trm, width, spacing, font_size, char)
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.text.begin_word()
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        self.text.end_word()
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        self.text.end_line()
    }
}

/// Type this much larger than the running text is display type.
const DISPLAY: f64 = 1.15;
/// Most lines a headline spans.
const MAX_LINES: usize = 4;
/// Longest headline, in characters.
const MAX_CHARS: usize = 250;

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

/// The headline of a page: from the top, the first run of lines set in
/// display type (at least [`DISPLAY`] times the size most of the page's
/// letters have), each close below the last. `None` when the page has no
/// such lines, or they run too long to be a title.
pub fn headline(lines: &[SizedLine]) -> Option<String> {
    // The running text's size: the size most letters are set in, to half
    // a point.
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for l in lines {
        let key = (l.size * 2.0).round() as i64;
        let n = letters(&l.text);
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => *c += n,
            None => counts.push((key, n)),
        }
    }
    let body = counts.iter().max_by_key(|(_, n)| *n)?.0 as f64 / 2.0;
    let mut ordered: Vec<&SizedLine> = lines.iter().collect();
    ordered.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut run: Vec<&SizedLine> = Vec::new();
    for l in ordered {
        let display = l.size >= body * DISPLAY && l.text.chars().any(char::is_alphanumeric);
        match run.last() {
            None if display && letters(&l.text) >= 3 => run.push(l),
            None => {}
            Some(last) if display && last.y - l.y <= 2.5 * last.size.max(l.size) => run.push(l),
            Some(_) => break,
        }
    }
    if run.is_empty() || run.len() > MAX_LINES {
        return None;
    }
    let mut out = String::new();
    // A day set large between the lines ("20 30 - 04 - 17") keeps the run
    // together but is not a word of the title; a period ("2027–2030") is.
    let day = |t: &str| letters(t) == 0 && t.matches(['-', '–']).count() >= 2;
    for l in run.into_iter().filter(|l| !day(&l.text)) {
        // A word broken over two lines ("brandvatten-" + "försörjning").
        let broken = out.ends_with('-')
            && out[..out.len() - 1]
                .chars()
                .last()
                .is_some_and(char::is_lowercase)
            && l.text.chars().next().is_some_and(char::is_lowercase);
        if broken {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&l.text);
    }
    (out.chars().count() <= MAX_CHARS).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, size: f64, y: f64) -> SizedLine {
        SizedLine {
            text: text.to_owned(),
            size,
            y,
        }
    }

    #[test]
    fn the_headline_is_the_display_type_at_the_top_in_reading_order() {
        let page = [
            line(
                "Running text of the page goes on here at length",
                11.0,
                500.0,
            ),
            line("and on over a second line of running text", 11.0, 486.0),
            line("Plan för brandvatten-", 24.0, 700.0),
            line("försörjning", 24.0, 672.0),
            line("2027–2030", 18.0, 648.0),
            line("Sidfot i liten stil", 8.0, 40.0),
        ];
        assert_eq!(
            headline(&page).as_deref(),
            Some("Plan för brandvattenförsörjning 2027–2030")
        );
    }

    #[test]
    fn a_day_set_in_display_type_is_no_word_of_the_headline() {
        let page = [
            line(
                "Running text of the page goes on here at length",
                11.0,
                500.0,
            ),
            line("and on over a second line of running text", 11.0, 486.0),
            line("TAXEÖVERSYN", 24.0, 700.0),
            line("20 30 - 04 - 17", 24.0, 672.0),
            line("AB Ekbobyggen", 24.0, 644.0),
        ];
        assert_eq!(
            headline(&page).as_deref(),
            Some("TAXEÖVERSYN AB Ekbobyggen")
        );
    }

    #[test]
    fn a_page_in_one_size_or_with_a_long_display_run_has_no_headline() {
        let plain = [
            line("Stärk föreningslivet", 11.0, 700.0),
            line(
                "I kommunen finns många föreningar som gör mycket",
                11.0,
                680.0,
            ),
        ];
        assert_eq!(headline(&plain), None);
        let mut poster: Vec<SizedLine> = (0..6)
            .map(|i| line("Stor text på rad", 30.0, 700.0 - 40.0 * f64::from(i)))
            .collect();
        poster.push(line(&"liten brödtext ".repeat(20), 10.0, 100.0));
        assert_eq!(headline(&poster), None);
    }

    #[test]
    fn display_type_far_below_the_headline_is_not_part_of_it() {
        let page = [
            line("Rapport borgensavgifter", 20.0, 700.0),
            line("brödtext ".repeat(30).trim(), 10.0, 600.0),
            line("Bilaga", 20.0, 300.0),
        ];
        assert_eq!(headline(&page).as_deref(), Some("Rapport borgensavgifter"));
    }
}
