//! Text to PDF with lopdf: Helvetica in WinAnsiEncoding (which covers
//! å, ä, ö, é, §, – and typographic quotes), A4 pages, wrapped lines and a
//! "Sida N av M" footer on every page, as municipal PDFs have.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

const LINE_CHARS: usize = 88;
const LINES_PER_PAGE: usize = 48;
const FONT_SIZE: i64 = 10;
const LEADING: i64 = 14;

/// A PDF whose text layer holds `text`.
pub fn text_pdf(text: &str) -> Vec<u8> {
    display_pdf(&[], text)
}

/// A PDF whose first page opens with `display` lines, each in its own size
/// of type (points), above `text` in the running text's size: a cover's
/// headline, or printer's marks in small type.
pub fn display_pdf(display: &[(&str, i64)], text: &str) -> Vec<u8> {
    let lines = wrap(text);
    let pages: Vec<&[String]> = lines.chunks(LINES_PER_PAGE).collect();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    let total = pages.len();
    for (n, page_lines) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        let mut top = 780;
        if n == 0 {
            for (line, size) in display {
                top -= 2 * size + 6;
                ops.extend([
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), (*size).into()]),
                    Operation::new("Td", vec![60.into(), (top + size).into()]),
                    Operation::new(
                        "Tj",
                        vec![Object::String(win_ansi(line), StringFormat::Literal)],
                    ),
                    Operation::new("ET", vec![]),
                ]);
            }
        }
        ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
            Operation::new("TL", vec![LEADING.into()]),
            Operation::new("Td", vec![60.into(), top.into()]),
        ]);
        for line in page_lines.iter() {
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(win_ansi(line), StringFormat::Literal)],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new("Tf", vec!["F1".into(), 8.into()]));
        ops.push(Operation::new("Td", vec![260.into(), 40.into()]));
        let footer = format!("Sida {} av {}", n + 1, total);
        ops.push(Operation::new(
            "Tj",
            vec![Object::String(win_ansi(&footer), StringFormat::Literal)],
        ));
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().expect("content encodes"),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .expect("writing to memory cannot fail");
    out
}

/// A PDF with one page and no text at all (a scanned page without OCR).
pub fn empty_pdf() -> Vec<u8> {
    empty_pages(1)
}

/// A PDF of `n` pages without text: quick to make, slow for the pure-Rust
/// reader to go through.
pub fn empty_pages(n: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"0 0 m 100 100 l S".to_vec()));
    let kids: Vec<Object> = (0..n)
        .map(|_| {
            doc.add_object(
                dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id },
            )
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => n as i64,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .expect("writing to memory cannot fail");
    out
}

/// Lines of at most `LINE_CHARS` characters, breaking at spaces; tabs
/// become column gaps.
fn wrap(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let line = raw.replace('\t', "    ");
        if line.chars().count() <= LINE_CHARS {
            out.push(line);
            continue;
        }
        let mut cur = String::new();
        for word in line.split(' ') {
            if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > LINE_CHARS {
                out.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        out.push(cur);
    }
    out
}

/// Encode in WinAnsiEncoding (Windows-1252); characters it lacks become '?'.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}
