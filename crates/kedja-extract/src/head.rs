//! The head of a document as a reader sees it: the letterhead (addresses,
//! web addresses, page numbers), the label block ("Datum:", "Handläggare:",
//! "Diarienr:" with their values, beside or below the labels), the
//! document-type word ("Tjänsteskrivelse", "Rapport", "Planbeskrivning"),
//! and the title, joined when it wraps over lines.
//!
//! Written by hand: the structure of a Swedish municipal letterhead is
//! what this crate knows and no library does.

use std::sync::LazyLock;

use regex::Regex;

/// How many non-empty lines the head may span.
const HEAD_LINES: usize = 30;

/// What the head says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    /// Label and value pairs, labels lowercase without the colon.
    pub labels: Vec<(String, String)>,
    /// Document-type words standing alone on a line, lowercase.
    pub type_words: Vec<String>,
    /// The title, wrapped lines joined.
    pub title: Option<String>,
    /// Byte offset just after the title's last line.
    pub title_end: Option<usize>,
    /// The body named alone on a line before the title.
    pub body_line: Option<String>,
}

impl Head {
    /// The values of the labels that start with one of `names`, in order.
    pub fn label_values<'a>(&'a self, names: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
        self.labels
            .iter()
            .filter(|(l, _)| names.iter().any(|n| l.starts_with(n)))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The value of the first label that starts with one of `names`.
    pub fn label(&self, names: &[&str]) -> Option<&str> {
        self.labels
            .iter()
            .find(|(l, _)| names.iter().any(|n| l.starts_with(n)))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Words that name a document's type when they stand alone on a line.
const TYPE_WORDS: &[&str] = &[
    "tjänsteskrivelse",
    "rapport",
    "beslutsunderlag",
    "planbeskrivning",
    "granskningshandling",
    "antagandehandling",
    "samrådshandling",
    "utökat förfarande",
    "standardförfarande",
    "initiativärende",
    "nämndinitiativ",
    "motion",
    "interpellation",
    "protokoll",
    "protokollsutdrag",
    "yttrande",
    "remissvar",
    "pm",
    "promemoria",
    "missiv",
    "bilaga",
    "förslag",
    "underlag",
    "granskningsutlåtande",
    "samrådsredogörelse",
    "planbestämmelser",
    "revisionsrapport",
];

static LETTERHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        ^(?:box\s+\d|org\.?\s*nr|tel(?:efon)?[\s.:]|mobil|e-?post|www\.|http|sida\s+\d|page\s+\d|antal\s+sidor|penneo|direktnr|fax)
        | \s(?:sida|page)\s+\d{1,3}(?:\s+(?:av|of)\s+\d{1,3})?$   # a running header with its page
        | \b\d{3}\s?\d{2}\s+\p{Lu}\p{Ll}+   # postal code and town
        | [a-zåäö0-9.\-]+\.(?:se|nu|com|org)\b   # a web address
        | @
        ",
    )
    .expect("valid regex")
});

/// A page's number on a line of its own.
static PAGE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:sida|page)\s+\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3})?$").expect("valid regex")
});

static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{L}+\s+)?(?:den\s+)?(?:(?:19|20)\d\d\s?[-–]\s?\d\d\s?[-–]\s?\d\d|\d{1,2}\s+\p{Ll}+\s+(?:19|20)\d\d)$")
        .expect("valid regex")
});

static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<l>[\p{L}][\p{L} .\-/]{1,40}?)\s*:\s*(?P<v>.*)$").expect("valid regex")
});

/// Labels a letterhead's label block uses; a "Label:" line is only taken
/// as one when its label is short, so a sentence ending in a colon is not.
fn is_label(label: &str) -> bool {
    label.split_whitespace().count() <= 5 && label.chars().count() <= 40
}

/// A line that is a label without its value ("Datum:", "Datum").
fn bare_label(line: &str) -> Option<String> {
    let l = line.trim();
    let lower = l.to_lowercase();
    if let Some(stripped) = lower.strip_suffix(':')
        && is_label(stripped)
        && !stripped.contains(':')
    {
        return Some(stripped.trim().to_owned());
    }
    // Some letterheads drop the colon after one label of the block.
    [
        "datum",
        "handläggare",
        "diarienr",
        "diarienummer",
        "dnr",
        "beteckning",
        "direktnr",
    ]
    .contains(&lower.as_str())
    .then_some(lower)
}

/// A label and its value on one line without the colon between them
/// ("Datum  2017-12-12", "Dnr 2026.015 KS"): only the letterhead's own
/// labels, and only with the value they take (a date, a diarienummer).
fn label_without_colon(line: &str) -> Option<(String, String)> {
    let l = line.trim();
    let (word, value) = l.split_once(char::is_whitespace)?;
    let label = word.to_lowercase();
    let value = value.trim();
    let fits = match label.as_str() {
        // The day a document was drawn up ("Upprättad 2030-02-11"), not
        // the day it was revised.
        "datum" | "upprättad" | "daterad" => crate::dates::find_dates(value, None)
            .iter()
            .any(|m| m.range.precision == kedja_model::Precision::Day && m.start == 0),
        "dnr" | "diarienr" | "diarienummer" | "beteckning" => crate::ids::find_dnr(value)
            .first()
            .is_some_and(|d| d.start == 0),
        _ => false,
    };
    fits.then(|| (label, value.to_owned()))
}

/// A label's value that goes on over the next line: it ends in a
/// conjunction or a comma ("Eva Ek, Per Berg och" + "Anna Al").
fn value_goes_on(value: &str) -> bool {
    let v = value.trim_end();
    v.ends_with(',') || v.ends_with(" och") || v.ends_with(" samt")
}

/// Read the head of `text`.
pub fn read_head(text: &str) -> Head {
    // Each line split into its cells: a letterhead set in columns comes out
    // of some PDF readers as one line with wide gaps ("Datum:  2026-06-02
    // Kommunstyrelsen").
    let mut lines: Vec<(usize, &str)> = Vec::new();
    // The number of the non-empty line each cell stands on.
    let mut row: Vec<usize> = Vec::new();
    let mut offset = 0;
    let mut rows = 0;
    for raw in text.split_inclusive('\n') {
        let before = lines.len();
        for (start, cell) in cells(raw) {
            lines.push((offset + start, cell));
            row.push(rows);
        }
        rows += usize::from(lines.len() > before);
        offset += raw.len();
        if lines.len() >= HEAD_LINES {
            break;
        }
    }
    let mut head = Head::default();
    let mut used = vec![false; lines.len()];
    // A label block: labels on lines of their own, then as many values.
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && bare_label(lines[j].1).is_some() {
            j += 1;
        }
        let n = j - i;
        if n >= 2 && j + n <= lines.len() {
            for k in 0..n {
                let label = bare_label(lines[i + k].1).unwrap_or_default();
                head.labels.push((label, lines[j + k].1.to_owned()));
                used[i + k] = true;
                used[j + k] = true;
            }
            i = j + n;
            continue;
        }
        i = j.max(i + 1);
    }
    // Labels with their value on the same line; a value that wraps takes
    // its next line too.
    for k in 0..lines.len() {
        if used[k] {
            continue;
        }
        let line = lines[k].1;
        let pair = match LABEL_LINE.captures(line) {
            Some(c) if is_label(&c["l"]) && !c["v"].trim().is_empty() => {
                Some((c["l"].trim().to_lowercase(), c["v"].trim().to_owned()))
            }
            _ => label_without_colon(line),
        };
        let Some((label, mut value)) = pair else {
            continue;
        };
        used[k] = true;
        if value_goes_on(&value)
            && let Some((_, next)) = lines.get(k + 1)
            && !used[k + 1]
            && next.chars().count() <= 40
            && !LABEL_LINE.is_match(next)
            && bare_label(next).is_none()
            && !is_noise(next)
        {
            value.push(' ');
            value.push_str(next);
            used[k + 1] = true;
        }
        head.labels.push((label, value));
    }
    // The title: the first line that is not letterhead, label, value,
    // date, body, type word or place, with its continuation lines.
    let mut k = 0;
    while k < lines.len() {
        let (start, line) = lines[k];
        if used[k] {
            k += 1;
            continue;
        }
        let lower = line.to_lowercase();
        let lower = lower.trim_end_matches(':');
        if TYPE_WORDS.contains(&lower) {
            head.type_words.push(lower.to_owned());
            k += 1;
            continue;
        }
        if let Some(t) = crate::structure::planning_type(lower) {
            // A planning document's type word misspelt by one letter.
            head.type_words.push(t.to_owned());
            k += 1;
            continue;
        }
        if let Some(b) = crate::bodies::whole_line_body(line) {
            head.body_line.get_or_insert(b);
            k += 1;
            continue;
        }
        // A running header stands over its page's number ("Page 1 of 31").
        let over_page_number = (k + 1..lines.len())
            .find(|&j| row[j] != row[k])
            .is_some_and(|j| row[j] == row[k] + 1 && PAGE_LINE.is_match(lines[j].1));
        if is_noise(line) || over_page_number {
            k += 1;
            continue;
        }
        // A letter's sender: a name, its role, and how to reach them.
        if let Some(last) = contact_block(&lines, k) {
            k = last + 1;
            continue;
        }
        if crate::protocol::is_section_label(line) {
            // The text starts before any title did.
            break;
        }
        let mut title = line.to_owned();
        let mut end = start + line.len();
        let mut m = k + 1;
        while m < lines.len() && m <= k + 3 {
            let next = lines[m].1;
            // A day set letter-spaced in display type between a cover's
            // title lines ("20 30 - 04 - 17") is passed over.
            if crate::dates::spaced_day(next).is_some() {
                m += 1;
                continue;
            }
            if used[m]
                || crate::protocol::is_section_label(next)
                || LETTERHEAD.is_match(next)
                || DATE_ONLY.is_match(next)
                || is_dnr_line(next)
                || bare_label(next).is_some()
            {
                break;
            }
            // A wrapped line goes on with the title; on a cover, a title of
            // a word or two ("Delegationsordning", "Genomlysning 2026–2027")
            // is completed by the short line under it (its body, its
            // subject), but not by the municipality's name.
            let wraps = wraps_into(&title, next);
            let completes = title.split_whitespace().count() <= 2
                && next.chars().count() <= 60
                && !next.ends_with(['.', ':'])
                && !is_noise(next)
                && !TYPE_WORDS.contains(&next.to_lowercase().as_str());
            if !(wraps || completes) {
                break;
            }
            crate::protocol::push_title_line(&mut title, next);
            end = lines[m].0 + next.len();
            m += 1;
        }
        // On a cover, the title block runs down to the label block under
        // it ("Typ av styrdokument: Rutin"): every short line between is
        // the title's, however many it wraps over ("Handlingsplan 2026" +
        // "Korttidstillsyn" + the units it covers, one a line).
        let mut block = Vec::new();
        let mut n = m;
        let opening: String = title
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        while n < lines.len() && block.len() < 8 {
            let next = lines[n].1;
            // The title again is the next page's running header.
            let repeats = next
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .starts_with(&opening);
            if used[n]
                || repeats
                || is_noise(next)
                || next.ends_with(['.', ':', '?'])
                || next.chars().count() > 60
                || crate::protocol::is_section_label(next)
                || TYPE_WORDS.contains(&next.to_lowercase().as_str())
            {
                break;
            }
            block.push(n);
            n += 1;
        }
        // The municipality's name or web address may stand between.
        let mut after = n;
        while after < lines.len() && after < n + 2 && !used[after] && is_noise(lines[after].1) {
            after += 1;
        }
        let labelled = after < lines.len()
            && used[after]
            && LABEL_LINE
                .captures(lines[after].1)
                .is_some_and(|c| is_label(&c["l"]));
        if labelled {
            for &b in &block {
                crate::protocol::push_title_line(&mut title, lines[b].1);
                end = lines[b].0 + lines[b].1.len();
            }
        }
        // A type word with its number under the title ("Granskningsutlåtande
        // nr 2") tells the document from its siblings of the same case.
        let below = if labelled { n } else { m };
        if let Some(&(at, next)) = lines.get(below)
            && !used[below]
            && numbered_type_line(next)
        {
            crate::protocol::push_title_line(&mut title, next);
            end = at + next.len();
        }
        // A sentence is running text, not a title.
        if title.chars().count() > 200
            || (title.ends_with('.') && title.split_whitespace().count() > 8)
        {
            break;
        }
        head.title = Some(title);
        head.title_end = Some(end);
        break;
    }
    head
}

/// The cells of a line, trimmed, with their byte offsets: parts separated
/// by a tab or by three spaces or more.
fn cells(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let gap = if bytes[i] == b'\t' {
            1
        } else if bytes[i..].starts_with(b"   ") {
            bytes[i..].iter().take_while(|b| **b == b' ').count()
        } else {
            0
        };
        if gap > 0 {
            push_cell(&mut out, line, start, i);
            i += gap;
            start = i;
        } else {
            i += 1;
        }
    }
    push_cell(&mut out, line, start, bytes.len());
    out
}

fn push_cell<'a>(out: &mut Vec<(usize, &'a str)>, line: &'a str, start: usize, end: usize) {
    let cell = &line[start..end];
    let lead = cell.len() - cell.trim_start().len();
    let cell = cell.trim();
    if !cell.is_empty() {
        out.push((start + lead, cell));
    }
}

/// A document-type word with the number of its version or round
/// ("Granskningsutlåtande nr 2", "Samrådshandling nummer 1").
fn numbered_type_line(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let Some((word, rest)) = lower.split_once(char::is_whitespace) else {
        return false;
    };
    let Some(n) = ["nr.", "nr", "nummer"]
        .iter()
        .find_map(|w| rest.trim_start().strip_prefix(w))
    else {
        return false;
    };
    let n = n.trim();
    TYPE_WORDS.contains(&word)
        && !n.is_empty()
        && n.len() <= 3
        && n.chars().all(|c| c.is_ascii_digit())
}

/// Letterhead, page furniture, dates, diarienummer and places: never a
/// title.
/// A statute's heading as every Swedish författningssamling sets it: the
/// name, wrapped over lines and ended by ";" ("Transportstyrelsens
/// föreskrifter" / "om parkering;", "Lag om …;", "Förordning om …;"), and
/// on the next line the day it was made ("beslutade den 28 augusti 2030.",
/// "utfärdad den …"). The series header above it ("… författningssamling",
/// "TSFS 2030:57") is no part of the name.
pub(crate) fn statute(text: &str) -> Option<(String, kedja_model::Date)> {
    static NAME_START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[\p{L}-]+\s+){0,3}?(?i:föreskrifter|förordning|lag|kungörelse|allmänna\s+råd)(?:\s|$)")
            .expect("valid regex")
    });
    static MADE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:beslutade|beslutad|utfärdad|utfärdade)\s+den\s+(?P<day>.+?)\.?\s*$")
            .expect("valid regex")
    });
    let lines: Vec<&str> = text.lines().take(HEAD_LINES * 2).map(str::trim).collect();
    for (i, l) in lines.iter().enumerate() {
        if !l.starts_with(char::is_uppercase) || !NAME_START.is_match(l) {
            continue;
        }
        // The name runs to the line that ends with ";", within a few
        // lines and no blank one.
        let Some(end) = (i..lines.len().min(i + 5))
            .take_while(|&j| !lines[j].is_empty())
            .find(|&j| lines[j].ends_with(';'))
        else {
            continue;
        };
        let made = lines[end + 1..].iter().find(|l| !l.is_empty());
        let day = made
            .and_then(|m| MADE.captures(m))
            .and_then(|c| {
                crate::dates::find_dates(c.name("day")?.as_str(), None)
                    .into_iter()
                    .next()
            })
            .filter(|d| d.range.precision == kedja_model::Precision::Day);
        if let Some(d) = day {
            let name = lines[i..=end].join(" ");
            return Some((name.trim_end_matches(';').trim().to_owned(), d.range.start));
        }
    }
    None
}

/// Lines within which a document states the day it was drawn up.
const DRAWN_UP_LINES: usize = 150;

/// The day a line of its own says the document was drawn up: "Upprättad
/// 2030-02-11", "Upprättad: den 11 februari 2030". Planning documents set
/// it in a table of versions below their first pages, under a heading
/// that may name the meeting they go to; the same words inside a sentence
/// ("planen, upprättad den …") tell of another document.
pub(crate) fn drawn_up(text: &str) -> Option<kedja_model::Date> {
    static DRAWN_UP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:upprättad|upprättat)\s*:?\s+(?:den\s+)?(?P<day>\S.*?)\s*$")
            .expect("valid regex")
    });
    text.lines().take(DRAWN_UP_LINES).find_map(|l| {
        let day = DRAWN_UP.captures(l)?.name("day")?.as_str();
        match crate::dates::find_dates(day, None).as_slice() {
            [one]
                if one.start == 0
                    && one.end == day.len()
                    && one.range.precision == kedja_model::Precision::Day =>
            {
                Some(one.range.start)
            }
            _ => None,
        }
    })
}

pub(crate) fn is_noise(line: &str) -> bool {
    let l = line.trim();
    let lower = l.to_lowercase();
    let letters = l.chars().filter(|c| c.is_alphabetic()).count();
    letters < 3
        || LETTERHEAD.is_match(l)
        || DATE_ONLY.is_match(l)
        || is_dnr_line(l)
        || lower.starts_with("handläggare")
        || is_place_line(l)
        || lower.starts_with("byt bild")
        || crate::protocol::is_page_furniture(l)
        || bare_label(l).is_some()
        || month_ring(l)
}

/// A line of an annual cycle's ring (årshjul): month names only, or the
/// pieces of one its drawing broke ("NOVEMBE" over "R"). It names no
/// document.
fn month_ring(line: &str) -> bool {
    let piece = |w: &str| {
        let lower = w.to_lowercase();
        crate::lexicon::month(&lower).is_some()
            || (w.chars().all(char::is_uppercase)
                && crate::lexicon::MONTH_ALT
                    .split('|')
                    .any(|m| m.starts_with(&lower) || m.ends_with(&lower)))
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    !words.is_empty() && words.iter().all(|w| piece(w))
}

/// The words of `s` a title is recognised by: four letters or more,
/// lowercased, without accents.
fn content_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .map(crate::lexicon::ascii_fold)
        .collect()
}

/// Whether the headline of the first page (its lines in display type)
/// should be the title instead of `title`, the title read from the text.
/// Only when neither begins with a word of the other: the text's first lines were then
/// something else (printer's marks, an addressee, a table's first row, a
/// heading inside the document), while the largest type is what a reader
/// takes for the title. And only when the headline reads as a title: mostly
/// letters, not letterhead, and more than a body's name and type words
/// ("Kommunstyrelsen Protokoll", "SAMRÅDSREDOGÖRELSE").
pub(crate) fn headline_instead(title: &str, headline: &str) -> bool {
    let h = headline.trim();
    let title_words = content_words(title);
    let headline_words = content_words(h);
    // The same title when one begins with a word of the other; words
    // shared further in ("… i Västra Götalands län" over "Information om
    // Länsstyrelsen Västra Götalands pris") are an addressee's or a
    // heading's that speaks of the same place.
    let begins_with_other = |a: &[String], b: &[String]| a.first().is_some_and(|w| b.contains(w));
    if begins_with_other(&title_words, &headline_words)
        || begins_with_other(&headline_words, &title_words)
    {
        return false;
    }
    let shown = h.chars().filter(|c| !c.is_whitespace()).count();
    let letters = h.chars().filter(|c| c.is_alphabetic()).count();
    if shown == 0 || letters * 10 < shown * 7 || is_noise(h) {
        return false;
    }
    let mut rest = h.to_owned();
    for (_, start, end) in crate::bodies::find_bodies(h).into_iter().rev() {
        rest.replace_range(start..end, " ");
    }
    let lower = rest.to_lowercase();
    let words = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .filter(|w| {
            !TYPE_WORDS.contains(w)
                && crate::structure::planning_type(w).is_none()
                && !matches!(*w, "kommun" | "kommuns" | "stad")
        })
        .count();
    words >= 2
}

/// The title with the type word set over it in the same display type
/// ("RAPPORT" over "TAXEÖVERSYN", then "AB Ekbobyggen" in smaller type):
/// the reader sees the type word as part of the title, while the text's
/// title left it out as a line of its own. The headline is the type word
/// and the title's first words, or the whole title.
pub(crate) fn typed_headline(title: &str, headline: &str) -> Option<String> {
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_lowercase).collect() };
    let (h, t) = (words(headline), words(title));
    let type_word = h.first().filter(|w| TYPE_WORDS.contains(&w.as_str()))?;
    let rest = &h[1..];
    (!rest.is_empty() && rest.len() <= t.len() && t[..rest.len()] == *rest).then(|| {
        let shown = headline.split_whitespace().next().unwrap_or(type_word);
        format!("{shown} {}", title.trim())
    })
}

/// "Alingsås kommun", "Göteborgs Stad": the municipality's name alone.
fn is_place_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let lower = line.to_lowercase();
    words.len() <= 3
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && (lower.ends_with(" kommun") || lower.ends_with(" kommuns") || lower.ends_with(" stad"))
}

/// A line that holds a diarienummer and nothing else but its label
/// ("Diarie nr 2026.015 AHAB", "Dnr KS 2024/12").
fn is_dnr_line(line: &str) -> bool {
    let found = crate::ids::find_dnr(line);
    let Some(d) = found.first() else {
        return false;
    };
    let rest = format!("{} {}", &line[..d.start], &line[d.end..]).to_lowercase();
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| {
            [
                "dnr",
                "diarie",
                "nr",
                "diarienr",
                "diarienummer",
                "ert",
                "vårt",
                "beteckning",
                "ärendenummer",
            ]
            .contains(&w)
        })
}

/// A person's contact block starting at line `k`: a name of two or three
/// capitalised words, then within three lines a telephone number or an
/// e-mail address (a role may stand between, "Processledare"). The index
/// of the block's last contact line.
fn contact_block(lines: &[(usize, &str)], k: usize) -> Option<usize> {
    let words: Vec<&str> = lines[k].1.split_whitespace().collect();
    let named = (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut c = w.chars();
            c.next().is_some_and(char::is_uppercase) && c.all(|c| c.is_lowercase() || c == '-')
        })
        && crate::bodies::find_bodies(lines[k].1).is_empty();
    if !named {
        return None;
    }
    let contact = |l: &str| {
        let lower = l.to_lowercase();
        l.contains('@')
            || ["tel", "telefon", "mobil", "direktnr", "e-post"]
                .iter()
                .any(|w| lower.starts_with(w))
    };
    let first = (k + 1..lines.len().min(k + 4)).find(|&j| contact(lines[j].1))?;
    let mut last = first;
    while last + 1 < lines.len()
        && (contact(lines[last + 1].1) || LETTERHEAD.is_match(lines[last + 1].1))
    {
        last += 1;
    }
    Some(last)
}

/// The period a title is for, on a short line of its own after its last
/// name ("Alströmergymnasiet 2026/2027", "Västra hamnen 2027–2030"): a
/// few words that end in a year or a span of years.
fn period_tail(so_far: &str, next: &str) -> bool {
    static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\p{Lu}[\p{L}\- ]*\s(?:19|20)\d\d(?:\s?[-–/]\s?(?:(?:19|20)\d\d|\d\d))?$")
            .expect("valid regex")
    });
    !so_far.trim_end().ends_with(|c: char| c.is_ascii_digit())
        && next.split_whitespace().count() <= 5
        && PERIOD.is_match(next.trim())
        && crate::bodies::find_bodies(next).is_empty()
        && !next
            .split_whitespace()
            .next()
            .map(str::to_lowercase)
            .is_some_and(|w| VERSION_WORDS.contains(&w.as_str()))
}

/// Words that open a line dating a version of the document ("Reviderad
/// maj 2026", "Antagen 2025"), not the period of its title.
const VERSION_WORDS: &[&str] = &[
    "reviderad",
    "reviderat",
    "uppdaterad",
    "uppdaterat",
    "antagen",
    "antaget",
    "fastställd",
    "beslutad",
    "upprättad",
    "daterad",
    "version",
    "utgåva",
    "senast",
];

/// Whether a title line `next` continues the title so far: a wrapped
/// heading goes on in lower case, after an unfinished phrase, or as a short
/// tail (a year, a name in brackets, the rest of a place name).
fn wraps_into(so_far: &str, next: &str) -> bool {
    let next = next.trim();
    if next.ends_with('.') && next.split_whitespace().count() > 6 {
        return false;
    }
    if next.chars().count() > 90 {
        return false;
    }
    // A tagline under a title ("- För ett föreningsliv för alla") is not
    // its continuation; an author's name after a dash is ("- Eva Ek (S)").
    let tagline = next.starts_with(['-', '–'])
        && next.split_whitespace().count() > 5
        && !next.contains('(')
        && !so_far.trim_end().ends_with(['-', '–', ',']);
    !tagline && (crate::protocol::continues_title(so_far, next) || period_tail(so_far, next))
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_headline_stands_for_a_title_only_when_the_text_s_title_is_something_else() {
        // The text's first line is a printer's mark, the page's largest
        // type a title: the headline.
        assert!(headline_instead(
            "DARK BLUE CYAN 40",
            "Rapport borgensavgifter AB Exempelbolaget"
        ));
        assert!(headline_instead("", "Plan för brandvattenförsörjning"));
        // The same title, longer or shorter: the text's reading stands.
        assert!(!headline_instead(
            "Renhållningstaxa 2027",
            "Renhållningstaxa"
        ));
        assert!(!headline_instead(
            "Reglemente för ersättningar 2027–2030",
            "Reglemente för ersättningar"
        ));
        assert!(!headline_instead(
            "Genomlysning 2026–2027",
            "Byt bild mot en som visar nämndens verksamhet Genomlysning"
        ));
        // Letterhead and type words in large type are no title.
        assert!(!headline_instead(
            "Rutin mot hot",
            "Kommunstyrelsen Protokoll"
        ));
        assert!(!headline_instead(
            "Detaljplan för Ekby 1:2",
            "SAMRÅDSREDÖGÖRELSE"
        ));
        assert!(!headline_instead(
            "Detaljplan för Ekby 1:2",
            "PARK15GATAf1f2a1a1n2n1"
        ));
        assert!(!headline_instead("Ärendets gång", "www.exempel.se"));
        // An addressee that names the same region as the letter's subject
        // in display type is no title.
        assert!(headline_instead(
            "Skolor och bibliotek i Norra Ekby län",
            "Inbjudan till Länsstyrelsen Norra Ekbys läsdag"
        ));
    }

    use super::*;

    #[test]
    fn a_statutes_name_ends_with_its_semicolon_and_is_dated_the_day_it_was_made() {
        let text = "EKFS 2030:12\n\nUtkom från trycket\nden 2 maj 2030\n\nEkby hamnverks författningssamling\n\n\
            Ekby hamnverks föreskrifter\nom avgifter för\nbryggplatser;\n\nbeslutade den 14 april 2030.\n\n\
            Hamnverket föreskriver följande.\n";
        assert_eq!(
            statute(text),
            Some((
                "Ekby hamnverks föreskrifter om avgifter för bryggplatser".to_owned(),
                kedja_model::parse_iso_date("2030-04-14").unwrap()
            ))
        );
        let u = crate::understand(text, &crate::Hints::default());
        assert_eq!(
            u.record.title,
            "Ekby hamnverks föreskrifter om avgifter för bryggplatser"
        );
        assert_eq!(
            u.record.date.map(|d| d.to_string()).as_deref(),
            Some("2030-04-14")
        );
        assert_eq!(
            statute("SFS 2030:101\n\nLag\nom avgifter för bryggor;\n\nutfärdad den 3 maj 2030.\n"),
            Some((
                "Lag om avgifter för bryggor".to_owned(),
                kedja_model::parse_iso_date("2030-05-03").unwrap()
            ))
        );
        // Without the day it was made, a line that begins so is no statute's.
        assert_eq!(statute("Lag om avgifter;\n\nText.\n"), None);
    }

    #[test]
    fn the_day_a_document_was_drawn_up_stands_on_a_line_of_its_own() {
        let filler = "Text om planen.\n".repeat(60);
        let text = format!(
            "Antagandehandling\nKommunfullmäktige 2031-06-10\n\n{filler}\
             Planen, upprättad den 2029-03-03, gäller.\n\
             Datum   Anmärkning\nUpprättad 2031-02-09\nReviderad 2031-03-23\n"
        );
        assert_eq!(drawn_up(&text), kedja_model::parse_iso_date("2031-02-09"));
        assert_eq!(
            drawn_up("Upprättad: den 11 februari 2030\n"),
            kedja_model::parse_iso_date("2030-02-11")
        );
        assert_eq!(drawn_up("Upprättad 2030-02-11 av planenheten\n"), None);
        // Far down a long text, the words are another document's.
        let late = format!("{}Upprättad 2031-02-09\n", "Rad.\n".repeat(200));
        assert_eq!(drawn_up(&late), None);
    }

    #[test]
    fn a_label_block_with_values_below_and_a_wrapped_title() {
        let text = "Datum:\nHandläggare:\nDiarienr:\n\n2026-04-20\nEva Ek\n2020.008 KS\n\nKommunstyrelsen\n\nAntagande av detaljplan för förskola vid\nNolhaga allé (Sörhaga 2:4 m.fl.)\nÄrendebeskrivning\nText här.\n";
        let h = read_head(text);
        assert_eq!(h.label(&["datum"]), Some("2026-04-20"));
        assert_eq!(h.label(&["handläggare"]), Some("Eva Ek"));
        assert_eq!(h.label(&["diarienr"]), Some("2020.008 KS"));
        assert_eq!(h.body_line.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(
            h.title.as_deref(),
            Some("Antagande av detaljplan för förskola vid Nolhaga allé (Sörhaga 2:4 m.fl.)")
        );
    }

    #[test]
    fn letterhead_and_type_words_are_not_the_title() {
        let text = "Bostadsbolaget Box 146 441 23 Ekby www.ekbybo.se Org.nr 5564\nRAPPORT\nekby.se\nUppföljande granskning\nav revisionsrapporter\nfrån 2023\nRapport\nEkby kommun\n";
        let h = read_head(text);
        assert_eq!(
            h.title.as_deref(),
            Some("Uppföljande granskning av revisionsrapporter från 2023")
        );
        assert_eq!(h.type_words, vec!["rapport"]);
    }

    #[test]
    fn a_numbered_type_line_under_the_title_is_the_titles_and_the_drawn_up_day_dates_it() {
        let text = "Antagandehandling\nUtökat förfarande\n2029.014 KS\nKommunfullmäktige 2030-06-12\n\nDetaljplan för skola vid Ekvägen (Ek 1:2)\n\nGranskningsutlåtande nr 2\n\nUpprättad 2030-02-11\nReviderad 2030-03-25\n\nÄrendets handläggning\n";
        let h = read_head(text);
        assert_eq!(
            h.title.as_deref(),
            Some("Detaljplan för skola vid Ekvägen (Ek 1:2) Granskningsutlåtande nr 2")
        );
        assert_eq!(h.label(&["upprättad"]), Some("2030-02-11"));
        assert_eq!(h.label(&["reviderad"]), None);
        // Without its number the type word stays a type word.
        let h = read_head(&text.replace("Granskningsutlåtande nr 2", "Granskningsutlåtande"));
        assert_eq!(
            h.title.as_deref(),
            Some("Detaljplan för skola vid Ekvägen (Ek 1:2)")
        );
    }

    #[test]
    fn a_type_word_set_with_the_title_in_display_type_is_the_titles() {
        assert_eq!(
            typed_headline("TAXEÖVERSYN AB Ekbobyggen", "RAPPORT TAXEÖVERSYN").as_deref(),
            Some("RAPPORT TAXEÖVERSYN AB Ekbobyggen")
        );
        assert_eq!(
            typed_headline(
                "Markanvisning i Ekby",
                "Beslutsunderlag Markanvisning i Ekby"
            )
            .as_deref(),
            Some("Beslutsunderlag Markanvisning i Ekby")
        );
        // Only a type word, over the title's own words; a type word alone
        // in display type says nothing of the title under it.
        assert_eq!(
            typed_headline("TAXEÖVERSYN AB Ekbobyggen", "EKBY TAXEÖVERSYN"),
            None
        );
        assert_eq!(
            typed_headline("TAXEÖVERSYN AB Ekbobyggen", "RAPPORT HYROR"),
            None
        );
        assert_eq!(
            typed_headline("Markanvisning i Ekby", "Beslutsunderlag"),
            None
        );
    }

    #[test]
    fn an_annual_cycles_ring_of_months_is_no_title() {
        // The ring's months, one broken by the drawing, then the wheel's
        // name in its middle.
        let text = "JANUARI\nFEBRUARI\n\nMARS\nAPRIL\nMA\n J\n  JUNI DECEMBER\nNOVEMBE\n R\n\nOKTOBER\nHuvudmannens\nplanering för skolan\n Februari\n\nAktivitet: Rapport om frånvaro\n";
        let h = read_head(text);
        assert_eq!(
            h.title.as_deref(),
            Some("Huvudmannens planering för skolan")
        );
        // A title that names a month is a title.
        let h = read_head("MARS\nMarsdagar i Ekby\n\nEn festival i tre dagar.\n");
        assert_eq!(h.title.as_deref(), Some("Marsdagar i Ekby"));
        assert!(month_ring("NOVEMBE"));
        assert!(!month_ring("Mars i Ekby"));
        assert!(!month_ring("MARSCH"));
    }

    #[test]
    fn a_letter_spaced_day_between_cover_lines_is_no_part_of_the_title() {
        let h = read_head("TAXEÖVERSYN\n20 30 - 04 - 17\nAB Ekbobyggen\n\nIndividuell justering\n");
        assert_eq!(h.title.as_deref(), Some("TAXEÖVERSYN AB Ekbobyggen"));
    }

    #[test]
    fn a_short_title_with_a_year_tail() {
        let h = read_head("Biblioteksplan\n2027–2030\nEkby kommun\nTyp av styrdokument: Plan\n");
        assert_eq!(h.title.as_deref(), Some("Biblioteksplan 2027–2030"));
        assert_eq!(h.label(&["typ av styrdokument"]), Some("Plan"));
    }

    #[test]
    fn a_letterhead_set_in_columns_on_one_line() {
        let text = "Datum:  2026-06-02    Kommunstyrelsen\nHandläggare:  Eva Ek\nDiarienr:  2026.021 KS\n\nRamar 2027-2029\n\nÄrendebeskrivning\n";
        let h = read_head(text);
        assert_eq!(h.label(&["datum"]), Some("2026-06-02"));
        assert_eq!(h.label(&["diarienr"]), Some("2026.021 KS"));
        assert_eq!(h.body_line.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(h.title.as_deref(), Some("Ramar 2027-2029"));
    }

    #[test]
    fn a_cover_title_block_is_joined() {
        let h = read_head(
            "ekby.se\n\nReglemente för\nersättningar till\nförtroendevalda\n2027–2030\n\nTyp av styrdokument: Reglemente\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Reglemente för ersättningar till förtroendevalda 2027–2030")
        );
        let h = read_head(
            "Delegationsordning\nKultur- och utbildningsnämnden\nTyp av styrdokument: Delegationsordning\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Delegationsordning Kultur- och utbildningsnämnden")
        );
        let h = read_head("Felparkeringsavgifter\ni Ekby kommun\nTyp av styrdokument: Taxa\n");
        assert_eq!(
            h.title.as_deref(),
            Some("Felparkeringsavgifter i Ekby kommun")
        );
        let h = read_head("Rutin för\nallmänpolitisk\ndebatt\nEkby kommun\n");
        assert_eq!(h.title.as_deref(), Some("Rutin för allmänpolitisk debatt"));
        let h = read_head(
            "Datum:  2026-06-03    Kultur- och utbildningsnämnden\nHandläggare:  Eva Ek\nDiarienr:  2022.315 KUN\n\nRevidering av delegationsordning för kultur- och\nutbildningsnämnden\n\nÄrendebeskrivning\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Revidering av delegationsordning för kultur- och utbildningsnämnden")
        );
        let h = read_head(
            "Datum:  2026-04-28    Tekniska nämnden\nHandläggare:  Eva Ek\nDiarienr:  2026.008 TEN\n\nCykelplan för Ekby kommun\n\nÄrendebeskrivning\n",
        );
        assert_eq!(h.title.as_deref(), Some("Cykelplan för Ekby kommun"));
    }

    #[test]
    fn running_headers_and_taglines_are_not_the_title() {
        let h = read_head(
            "Uppföljning av granskningar (2023)|   Revisionsbyrån\n\nPage 1 of 31\n\n Rapport\n\nEkby kommun\n\nUppföljande granskning\nav revisionsrapporter\nfrån 2023\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Uppföljande granskning av revisionsrapporter från 2023")
        );
        let h = read_head(
            "Stärk föreningslivet i Ekby genom en portal\n\n- För ett tillgängligt och inkluderande föreningsliv för alla\n\nEkby är en stad.\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Stärk föreningslivet i Ekby genom en portal")
        );
        let h = read_head(
            "2025-10-08\n\nUtvärdering av\nMålbild buss 2030\n\nInklusive stråken\n\nUtvärdering av Målbild buss 2030  Sida 1\n\nDatum: 2025–10–08\nDiarienummer: IKN 2025–00217\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Utvärdering av Målbild buss 2030 Inklusive stråken")
        );
    }

    #[test]
    fn a_year_tail_with_its_word() {
        let h = read_head(
            "Datum: 2018-01-11\nTILLSYNSPLAN FÖR SERVERING\nÅR 2018\n\nAllmänt om tillsyn\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("TILLSYNSPLAN FÖR SERVERING ÅR 2018")
        );
    }

    #[test]
    fn a_cover_title_runs_down_to_its_label_block() {
        let h = read_head(
            "ekby.se\n\nHandlingsplan 2026\n\nKorttidstillsyn\n\nEkan\n\nBoken\n\nAvlösning och ledsagning\n\nTyp av styrdokument: Ekonomisk handlingsplan\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Handlingsplan 2026 Korttidstillsyn Ekan Boken Avlösning och ledsagning")
        );
        let h = read_head(
            "ekby.se\n\nRutin för att\nförebygga och\nhantera hot, hat\noch våld mot\nförtroendevalda\n\nTyp av styrdokument: Rutin\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Rutin för att förebygga och hantera hot, hat och våld mot förtroendevalda")
        );
        // Without a label block under it, a title stops where it stopped.
        let h = read_head("Handlingsplan 2026\nKorttidstillsyn\nEkan\nBoken\n\nBakgrund\nText.\n");
        assert_eq!(
            h.title.as_deref(),
            Some("Handlingsplan 2026 Korttidstillsyn")
        );
        // A subtitle completes a title of a word or two.
        let h = read_head(
            "2026-05-06\n\nStorbuss 2050\n\nBeskrivning av process och ramar inför dialog i\nregionala forum\n\nBakgrund\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Storbuss 2050 Beskrivning av process och ramar inför dialog i regionala forum")
        );
    }

    #[test]
    fn labels_without_a_colon_and_values_that_wrap() {
        let text = "Ekby kommun, Socialförvaltningen, 441 81  EKBY\n\nDatum  2017-12-12\nHandläggare: Eva Ek, Per Berg och\nAnna Al\nDirektnr: 6654\nBeteckning: 2017.214 SN\n\nAvtal om mottagningen\n\nÄrendebeskrivning\n";
        let h = read_head(text);
        assert_eq!(h.label(&["datum"]), Some("2017-12-12"));
        assert_eq!(
            h.label(&["handläggare"]),
            Some("Eva Ek, Per Berg och Anna Al")
        );
        assert_eq!(h.title.as_deref(), Some("Avtal om mottagningen"));
        // A sentence that opens with the word is no label.
        let h = read_head("Datum och tid för mötet bestäms senare\n");
        assert!(h.labels.is_empty());
    }

    #[test]
    fn a_period_on_the_line_under_a_title_is_the_titles() {
        let h = read_head(
            "Bilaga 2: Platser och program\nEkby gymnasium 2027/2028\nSektor   Program\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("Bilaga 2: Platser och program Ekby gymnasium 2027/2028")
        );
        // A title that has its year already is not lengthened.
        let h = read_head("Budget för 2027\nEkby hamn 2028\n\nInledning\n");
        assert_eq!(h.title.as_deref(), Some("Budget för 2027"));
        // A body and a year are a running header, not the title's period.
        let h = read_head("Platser och program\nKommunstyrelsen 2027\n");
        assert_eq!(h.title.as_deref(), Some("Platser och program"));
        // Nor by the line that dates a version of it.
        let h = read_head("Platser och program\nReviderad maj 2027\n");
        assert_eq!(h.title.as_deref(), Some("Platser och program"));
        // Nor by a line of running words.
        let h = read_head("Platser och program\nSå här ser det ut för alla elever år 2027\n");
        assert_eq!(h.title.as_deref(), Some("Platser och program"));
    }

    #[test]
    fn a_senders_contact_block_is_not_the_title() {
        let h = read_head(
            "Eva Ekström\nSamordnare\nMobil: 070-000 00 00\neva.ek@ekby.se\n\nNya anslag för år 2027\n\nBakgrund\n",
        );
        assert_eq!(h.title.as_deref(), Some("Nya anslag för år 2027"));
        // A name without a way to reach it may be the title.
        let h = read_head("Anna Lindh\n");
        assert_eq!(h.title.as_deref(), Some("Anna Lindh"));
    }

    #[test]
    fn running_text_alone_has_no_title() {
        let h = read_head(
            "Det här är en lång mening om ingenting som fortsätter och fortsätter utan slut här.\n",
        );
        assert_eq!(h.title, None);
    }
}
