//! Clean text: Unicode and typography normalised, PDF artefacts (page
//! headers and footers, table-of-contents leaders, hyphenation across lines)
//! and web boilerplate (cookie and old-browser banners) removed.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Paragraphs that are web boilerplate, matched on their lowercase text.
const BOILERPLATE: &[&str] = &[
    "du använder en gammal webbläsare",
    "rekommenderar att byta till mozilla firefox",
    "vi använder kakor",
    "vi använder cookies",
    "den här webbplatsen använder kakor",
    "den här webbplatsen använder cookies",
    "godkänn alla kakor",
    "acceptera cookies",
    "hoppa till huvudinnehållet",
    "gå direkt till innehåll",
    "lyssna på sidan",
];

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    // A bare number of four digits is a year ("2027–" wrapped before
    // "2030"), not a page: bare page numbers have at most three digits.
    // So is each side of a school or financial year ("2026/2027"), unlike
    // "3/12".
    Regex::new(r"(?i)^\s*(?:(?:sida\s+)?\d{1,4}\s*(?:\(\d{1,4}\)|av\s+\d{1,4})|(?:sida\s+)?\d{1,3}\s*/\s*\d{1,3}|sida\s+\d{1,4}|\d{1,3})\s*$")
        .expect("valid regex")
});
static TOC_LEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{0,4}\s*$").expect("valid regex")
});

static WORD_CONDITIONAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"<!\[(?:if[^\]]{0,40}|endif)\]>").expect("valid regex")
});

/// Normalise and clean `raw` text. Linear in the input.
pub fn clean_text(raw: &str) -> String {
    let text = normalize_chars(raw);
    // Word's conditional comments ("<![if !supportLists]>· <![endif]>")
    // survive in texts pasted from Word into web and TEI documents.
    let text = if text.contains("<![") {
        WORD_CONDITIONAL.replace_all(&text, "").into_owned()
    } else {
        text
    };
    let lines: Vec<&str> = text.lines().collect();
    let repeated = repeated_short_lines(&lines);
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut kept: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let trimmed = line.trim_end();
        let key = trimmed.trim();
        if PAGE_NUMBER.is_match(key) && !key.is_empty() {
            continue;
        }
        // A running header's first appearance is the letterhead of the
        // first page (the body and date of a protocol): it stays; its
        // repetitions on later pages go.
        if !key.is_empty() && repeated.contains_key(key) && !seen.insert(key) {
            continue;
        }
        if TOC_LEADER.is_match(key) {
            continue;
        }
        kept.push(trimmed.to_owned());
    }
    let joined = join_hyphenated(&kept);
    drop_boilerplate(&joined)
}

/// NFC, ligatures, soft hyphens, odd spaces and line endings.
pub fn normalize_chars(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.nfc() {
        match c {
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' => out.push(' '),
            '\r' => {}
            '\u{000C}' => out.push('\n'),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Words that join a line to the one above it: no running header starts
/// with one.
const JOINING_WORDS: &[&str] = &[
    "och", "samt", "eller", "i", "för", "till", "med", "av", "om", "på", "från", "vid", "under",
    "inom", "mot", "efter", "enligt",
];

/// Short lines that recur on many pages are running headers and footers.
/// A line counts when it appears at least three times, is short, is not a
/// sentence or a list item, and carries what headers carry: a number (page,
/// date, diarienummer) or the name of the municipality.
fn repeated_short_lines<'a>(lines: &[&'a str]) -> HashMap<&'a str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        let k = l.trim();
        if !k.is_empty() && k.chars().count() <= 80 {
            *counts.entry(k).or_default() += 1;
        }
    }
    counts.retain(|k, n| {
        let lower = k.to_lowercase();
        *n >= 3
            && !k.contains('\t')
            && !k.starts_with(['•', '-', '–'])
            && !k.ends_with(['.', '?', ':'])
            // A line in small letters without a number goes on the line
            // above ("… som ledamot i" + "kommunfullmäktige"): no header.
            && (!k.starts_with(char::is_lowercase) || k.chars().any(|c| c.is_ascii_digit()))
            // Nor does one that opens with a word that joins it to the line
            // above ("och med 2031-12-31" closing a wrapped heading).
            && !JOINING_WORDS.contains(&lower.split_whitespace().next().unwrap_or(""))
            && (k.chars().any(|c| c.is_ascii_digit())
                || ["kommun", "stad", "region", "sida"]
                    .iter()
                    .any(|w| lower.contains(w)))
    });
    counts
}

/// "förebyg-\ngande" becomes "förebyggande" when the next line goes on in
/// lower case. A dash before an upper-case word or "och" is kept, as in
/// "Arbetsmarknads- och socialförvaltningen"; so is the dash of a compound
/// whose first part is a letter or an abbreviation ("e-\ncigaretter",
/// "VA-\ntaxa"), which is written, not a break in a word.
fn join_hyphenated(lines: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let mut line = lines[i].clone();
        while line.ends_with('-') && i + 1 < lines.len() {
            let before = line[..line.len() - 1].chars().last();
            let next = lines[i + 1].trim_start();
            let next_word = next.split_whitespace().next().unwrap_or("");
            let continues = before.is_some_and(char::is_alphabetic)
                && next.chars().next().is_some_and(char::is_lowercase)
                && !matches!(next_word, "och" | "eller" | "samt");
            if !continues {
                break;
            }
            if !compound_dash(&line[..line.len() - 1]) {
                line.pop();
            }
            line.push_str(next);
            i += 1;
        }
        out.push_str(&line);
        out.push('\n');
        i += 1;
    }
    out
}

/// Whether the word that ends `before` (the text before a line's final
/// dash) is a letter alone or an abbreviation in capitals ("e", "VA",
/// "EU"): the first part of a compound, whose dash stays.
fn compound_dash(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let letters = word.chars().count();
    letters == 1 || (letters <= 5 && word.chars().all(char::is_uppercase))
}

/// Drop paragraphs that are banners, and collapse runs of blank lines.
fn drop_boilerplate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for para in text.split("\n\n") {
        let p = para.trim_matches('\n');
        if p.trim().is_empty() {
            continue;
        }
        let lower = p.to_lowercase();
        if lower.len() < 600 && BOILERPLATE.iter().any(|b| lower.contains(b)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_conditional_comments_go() {
        assert_eq!(
            clean_text("<![if !supportLists]>· <![endif]>Socialstyrelsen ges i uppdrag."),
            "· Socialstyrelsen ges i uppdrag."
        );
    }

    #[test]
    fn ligatures_soft_hyphens_and_spaces() {
        assert_eq!(
            normalize_chars("e\u{FB00}ektiv ﬁnns\u{00A0}för\u{00AD}skola\r\n"),
            "effektiv finns förskola\n"
        );
    }

    #[test]
    fn decomposed_swedish_letters_are_composed() {
        assert_eq!(normalize_chars("va\u{030A}ld"), "våld");
    }

    #[test]
    fn hyphenation_is_joined_but_compound_dashes_kept() {
        let t = clean_text(
            "det förebyg-\ngande arbetet\nArbetsmarknads-\noch socialförvaltningen\nSOU-\nRapport",
        );
        assert_eq!(
            t,
            "det förebyggande arbetet\nArbetsmarknads-\noch socialförvaltningen\nSOU-\nRapport"
        );
        // A letter or an abbreviation before the dash: a compound's dash.
        let t = clean_text("tillsyn av e-\ncigaretter och\nen ny VA-\ntaxa för\nhela GR-\nområdet");
        assert_eq!(
            t,
            "tillsyn av e-cigaretter och\nen ny VA-taxa för\nhela GR-området"
        );
    }

    #[test]
    fn toc_and_page_numbers_go() {
        let t = clean_text(
            "Innehåll\n\n1. Sammanfattning.....\t3\n2. Inledning..... 4\n\nSida 2 av 18\n\n1. Sammanfattning\n\nText.",
        );
        assert_eq!(t, "Innehåll\n\n1. Sammanfattning\n\nText.");
        // A school year alone on a line is no page number; "3/12" is.
        let t = clean_text("Utbildningsplan inför läsår\n2026/2027\n3/12\nText.");
        assert_eq!(t, "Utbildningsplan inför läsår\n2026/2027\nText.");
    }

    #[test]
    fn running_headers_go_but_the_letterhead_stays() {
        let page = "Mjölby kommun Handlingsplan\nInnehåll på sidan.\nBerörda förvaltningar\n\n";
        let t = clean_text(&page.repeat(4));
        // The header's first appearance is the first page's letterhead.
        assert_eq!(
            t,
            format!(
                "Mjölby kommun Handlingsplan\n{}",
                "Innehåll på sidan.\nBerörda förvaltningar\n\n"
                    .repeat(4)
                    .trim_end()
            )
        );
    }

    #[test]
    fn a_wrapped_line_that_recurs_is_no_running_header() {
        let item = "Avsägelse av uppdraget som ledamot i\nkommunfullmäktige\n\n";
        let t = clean_text(&item.repeat(3));
        assert_eq!(t.matches("kommunfullmäktige").count(), 3, "{t}");
    }

    #[test]
    fn a_wrapped_line_with_a_day_that_recurs_is_no_running_header() {
        let item = "Val av ersättare för tiden till\noch med 2031-12-31\n\n";
        let t = clean_text(&item.repeat(3));
        assert_eq!(t.matches("och med 2031-12-31").count(), 3, "{t}");
        // A running footer with its day still goes.
        let page = "Text på sidan.\nsida 2 av 9 2031-12-31\n\n";
        let t = clean_text(&page.repeat(3));
        assert_eq!(t.matches("sida 2 av 9").count(), 1, "{t}");
    }

    #[test]
    fn browser_banner_goes() {
        let t = clean_text(
            "Hej! Du använder en gammal webbläsare\n\nInom kort kommer vissa funktioner på haninge.se inte fungera med den här gamla webbläsaren. Vi vill gärna ha dig kvar som besökare och rekommenderar att byta till Mozilla Firefox, Google Chrome eller Microsoft Edge.\n\nÅterrapportering",
        );
        assert_eq!(t, "Återrapportering");
    }
}
