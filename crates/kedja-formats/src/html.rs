//! HTML to main text: the content of a page without navigation, cookie
//! banners, old-browser warnings, scripts and footers.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use crate::{Decoded, SourceMeta};
use kedja_model::Format;

/// Elements that never hold a page's main text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
    "iframe", "template", "select", "head", "dialog",
];

/// Class, id, role and aria-label words of boilerplate blocks (cookie
/// consent, old-browser warnings, skip links, menus, share buttons).
const SKIP_MARKERS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "browser",
    "webblasare",
    "outdated",
    "skip",
    "breadcrumb",
    "menu",
    "meny",
    "navigation",
    "sidebar",
    "share",
    "social",
    "banner",
    "print",
];

/// Elements after which a line ends.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "br",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "address",
    "hr",
];

pub(crate) fn decode(html: &str) -> Decoded {
    let doc = Html::parse_document(html);
    let title = first_text(&doc, "h1").or_else(|| first_text(&doc, "title"));
    let text = main_text(&doc);
    Decoded {
        format: Format::Html,
        extractor: "scraper",
        text,
        meta: SourceMeta {
            title,
            ..SourceMeta::default()
        },
    }
}

/// The main text of an HTML page, one block a line, blank lines between
/// paragraphs.
pub fn html_main_text(html: &str) -> String {
    main_text(&Html::parse_document(html))
}

fn main_text(doc: &Html) -> String {
    let root = [
        "main",
        "[role=main]",
        "article",
        "#content",
        "#main",
        "body",
    ]
    .iter()
    .find_map(|s| {
        let sel = Selector::parse(s).expect("static selector");
        doc.select(&sel).next()
    })
    .unwrap_or_else(|| doc.root_element());
    let mut out = String::new();
    walk(root, &mut out);
    tidy(&out)
}

fn first_text(doc: &Html, selector: &str) -> Option<String> {
    let sel = Selector::parse(selector).expect("static selector");
    let el = doc.select(&sel).next()?;
    let t = el.text().collect::<Vec<_>>().join(" ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn is_boilerplate(el: &scraper::node::Element) -> bool {
    if SKIP_TAGS.contains(&el.name()) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    let mut markers = String::new();
    for attr in ["class", "id", "role", "aria-label"] {
        if let Some(v) = el.attr(attr) {
            markers.push_str(&v.to_lowercase());
            markers.push(' ');
        }
    }
    let markers = markers.replace(['ä', 'å'], "a").replace('ö', "o");
    SKIP_MARKERS.iter().any(|m| markers.contains(m))
}

/// The text below `root`, block by block. Iterative: a page may nest
/// elements tens of thousands deep, which recursion would not survive.
fn walk(root: ElementRef<'_>, out: &mut String) {
    // How deep inside a skipped (boilerplate) element the walk is.
    let mut skipping = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if node.id() == root.id() => {}
            Edge::Close(node) if node.id() == root.id() => {}
            Edge::Open(node) => {
                if skipping > 0 {
                    skipping += usize::from(node.value().is_element());
                    continue;
                }
                match node.value() {
                    Node::Text(t) if t.trim().is_empty() => out.push(' '),
                    Node::Text(t) => out.push_str(t),
                    Node::Element(e) if is_boilerplate(e) => skipping = 1,
                    Node::Element(e) => {
                        end_lines(out, gap(e.name()));
                        if e.name() == "li" {
                            out.push_str("• ");
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping > 0 {
                    skipping -= usize::from(node.value().is_element());
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    if matches!(e.name(), "td" | "th") {
                        out.push('\t');
                    }
                    end_lines(out, gap(e.name()));
                }
            }
        }
    }
}

/// Paragraph-like blocks are set apart by a blank line, other blocks (list
/// items, table rows, divs) by a line break.
fn gap(name: &str) -> usize {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "ul" | "ol" => 2,
        _ if BLOCK_TAGS.contains(&name) => 1,
        _ => 0,
    }
}

/// Make `out` end with at least `n` line breaks (no trailing spaces).
fn end_lines(out: &mut String, n: usize) {
    if n == 0 || out.is_empty() {
        return;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    let have = out.chars().rev().take_while(|&c| c == '\n').count();
    for _ in have..n {
        out.push('\n');
    }
}

/// Collapse runs of spaces inside lines and runs of blank lines.
fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank = 0usize;
    for line in raw.lines() {
        let cells: Vec<String> = line
            .split('\t')
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let line = cells.join("\t");
        let line = line.trim_matches(|c: char| c == '\t' || c == ' ');
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_main_text_and_drops_banners() {
        let html = r#"<!doctype html><html><head><title>Återrapportering</title>
<script>var x = 1;</script></head><body>
<div class="sv-cookie-consent">Vi använder kakor. <button>Godkänn</button></div>
<div id="old-browser-warning">Hej! Du använder en gammal webbläsare</div>
<nav><ul><li>Start</li><li>Kommun och politik</li></ul></nav>
<main><h1>Återrapportering av kartläggning</h1>
<p>Kommunfullmäktige godkände   den 12 juni en avrapportering.</p>
<ul><li>Avslutade åtgärder</li><li>Pågående åtgärder</li></ul>
<table><tr><td>Aktivitet</td><td>Ansvarig</td></tr></table>
</main><footer>Haninge kommun, 136 81 Haninge</footer></body></html>"#;
        let d = decode(html);
        assert_eq!(
            d.meta.title.as_deref(),
            Some("Återrapportering av kartläggning")
        );
        assert_eq!(
            d.text,
            "Återrapportering av kartläggning\n\nKommunfullmäktige godkände den 12 juni en avrapportering.\n\n• Avslutade åtgärder\n• Pågående åtgärder\n\nAktivitet\tAnsvarig"
        );
    }

    #[test]
    fn malformed_html_still_gives_text() {
        let d = decode("<html><body><p>Motion om <b>förskola<p>Andra stycket</div></span>");
        assert_eq!(d.text, "Motion om förskola\n\nAndra stycket");
    }
}
