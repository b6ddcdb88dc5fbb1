//! Meeting protocols and protocol extracts: the § sections of a protocol,
//! found by the grammar of a § heading, and the meeting (body and date)
//! from the protocol's letterhead.
//!
//! A § heading is a line that starts with "§ N" (a body's abbreviation may
//! stand before it, "KF § 55"), holds nothing else but a diarienummer
//! ("§ 95 2026.016 KS", "KS § 69    KS KF/2026:6"), and is followed by the
//! item's title. A protocol's table of contents lists the same numbers; it is
//! told apart because its "§ N" lines follow each other without a title
//! between them, and because the §§ of the body of the protocol run in
//! increasing order after it. Written by hand: no crate reads Swedish
//! meeting minutes.

use std::sync::LazyLock;

use kedja_model::Date;
use regex::Regex;

/// One § of a protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub number: u32,
    /// The item's heading ("Svar på motion gällande …"), joined when it
    /// wraps over lines.
    pub title: String,
    /// The diarienummer written on the heading line, as written.
    pub diarienummer: Option<String>,
    /// Whether the title is on the heading line ("§ 22  Revidering av
    /// planer") rather than on the lines below it.
    pub title_on_heading: bool,
    /// Byte range of the section in the text: from its heading line to the
    /// next section's heading (or the end of the protocol).
    pub start: usize,
    pub end: usize,
}

impl Section {
    /// The keys of the diarienummer on the heading line: the case of the
    /// § (`ids::find_dnr`).
    pub fn diarienummer_keys(&self) -> Vec<String> {
        self.diarienummer
            .as_deref()
            .map(|d| crate::ids::find_dnr(d).into_iter().map(|x| x.key).collect())
            .unwrap_or_default()
    }
}

/// A text read as minutes: the meeting and its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    /// The body that met, from the letterhead before the first §.
    pub body: Option<String>,
    pub date: Option<Date>,
    /// Whether the text is a whole protocol (a cover with attendance,
    /// justering, or several §§) rather than an extract of one §.
    pub whole: bool,
    pub sections: Vec<Section>,
}

/// At most this many heading candidates are considered (a hostile text of
/// a million "§ 1" lines stays linear).
const MAX_CANDIDATES: usize = 4000;

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?P<abbr>[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,7}(?:\s?AU)?)\s+)?§\s*(?P<n>\d{1,4})(?P<rest>[^§\n]*)$")
        .expect("valid regex")
});

/// Lines in a section that belong to the page, not to the decision.
const PAGE_FURNITURE: &[&str] = &[
    "utdragsbestyrkande",
    "justerandes signatur",
    "justerandes sign",
    "justerandes signaturer",
    "protokoll",
    "sammanträdesprotokoll",
    "justerare",
    "sammanträdesdatum",
];

/// Labels that open the parts of a § or the cover of a protocol: never a
/// continuation of a title.
const SECTION_LABELS: &[&str] = &[
    "ärendebeskrivning",
    "ärende",
    "sammanfattning",
    "bakgrund",
    "beredning",
    "beslut",
    "beslutsunderlag",
    "förslag till beslut",
    "yrkanden",
    "yrkande",
    "beslutsgång",
    "propositionsordning",
    "expedieras till",
    "reservation",
    "protokollsanteckning",
    "överläggning",
    "kommunstyrelsens förslag",
    "arbetsutskottets förslag",
    "förvaltningens förslag",
    "ärendet",
    "utdragsbestyrkande",
];

/// Words on a protocol's cover that an extract does not have.
const COVER_WORDS: &[&str] = &[
    "beslutande",
    "närvarande",
    "plats och tid",
    "utses att justera",
    "justeringens plats",
    "ej tjänstgörande",
    "övriga deltagare",
    "övriga närvarande",
    "paragrafer",
];

pub(crate) fn is_page_furniture(line: &str) -> bool {
    let l = line.trim().trim_end_matches(':').to_lowercase();
    PAGE_FURNITURE.contains(&l.as_str())
}

pub(crate) fn is_section_label(line: &str) -> bool {
    let l = line.trim().trim_end_matches(':').to_lowercase();
    SECTION_LABELS.iter().any(|w| l == *w)
}

/// The rest of a heading line after "§ N": empty, or a diarienummer
/// (letters and digits with separators, at least one digit).
fn heading_rest(rest: &str) -> Option<Option<String>> {
    let r = rest.trim();
    if r.is_empty() {
        return Some(None);
    }
    let short = r.chars().count() <= 40;
    let has_digit = r.chars().any(|c| c.is_ascii_digit());
    let codelike = r
        .chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || matches!(c, '.' | '/' | ':' | '-'));
    // A diarienummer has no lowercase word of four letters or more.
    let words_ok = r
        .split_whitespace()
        .all(|w| !(w.chars().count() >= 4 && w.chars().all(char::is_lowercase)));
    (short && has_digit && codelike && words_ok).then(|| Some(r.to_owned()))
}

/// The rest of a heading line that holds the title ("  Revidering av
/// planer    Dnr KS 2025/0014"): a short phrase that starts with a capital
/// after a space and is no sentence, with the diarienummer that may end the
/// line (after "Dnr" or a wide gap).
fn inline_title(rest: &str) -> Option<(String, Option<String>)> {
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let r = rest.trim();
    let (title, dnr) = match r.find("Dnr ").or_else(|| r.find("Dnr:")) {
        Some(k) => (r[..k].trim(), heading_rest(&r[k + 4..])?),
        None => match r.rsplit_once("   ") {
            Some((t, d)) => match heading_rest(d) {
                Some(dnr) => (t.trim(), dnr),
                None => (r, None),
            },
            None => (r, None),
        },
    };
    let fits = title.chars().next().is_some_and(char::is_uppercase)
        && title.chars().count() <= 150
        && !title.ends_with(['.', ',', ':', ';']);
    fits.then(|| (title.to_owned(), dnr))
}

/// Whether the line at `offset` opens a block: the text's first line, or a
/// line after a blank one.
fn opens_block(text: &str, offset: usize) -> bool {
    let before = &text[..offset];
    let gap = &before[before.trim_end().len()..];
    before.trim().is_empty() || gap.matches('\n').count() >= 2
}

struct Candidate {
    number: u32,
    dnr: Option<String>,
    start: usize,
    title: String,
    title_on_heading: bool,
}

/// The non-empty lines of `text` with their byte offsets.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if !line.trim().is_empty() {
            out.push((offset, line));
        }
        offset += raw.len();
    }
    out
}

/// The number of a line that is a § heading by its grammar ("§ 95
/// 2026.016 KS", "KF § 55    KS KF/2026:6", "§ 22  Revidering av planer"),
/// whatever follows it.
pub fn section_heading_number(line: &str) -> Option<u32> {
    let c = HEADING.captures(line.trim())?;
    if heading_rest(&c["rest"]).is_none() && inline_title(&c["rest"]).is_none() {
        return None;
    }
    c["n"].parse().ok()
}

/// The rest of a heading line without the page's furniture set in a
/// second column after a wide gap ("   Sammanträdesdatum").
fn beside_column(rest: &str) -> &str {
    match rest.trim_end().rsplit_once("   ") {
        Some((before, last)) if last.trim().eq_ignore_ascii_case("sammanträdesdatum") => before,
        _ => rest,
    }
}

/// The most lines a § heading's title wraps over (a budget decision's
/// names every part of the budget).
const TITLE_LINES: usize = 6;

/// The title lines after a heading: the first line, and the next ones while
/// they continue it (a wrapped heading), never a section label. The
/// meeting's day set in the page's second column under the heading comes
/// before the title.
fn title_after(lines: &[(usize, &str)], from: usize) -> String {
    let mut title = String::new();
    let dated = |l: &str| kedja_model::parse_iso_date(l).is_some();
    let skip = usize::from(lines.get(from).is_some_and(|(_, l)| dated(l.trim())));
    let from = from + skip;
    for (k, (_, line)) in lines.iter().enumerate().skip(from).take(TITLE_LINES) {
        let line = line.trim();
        if is_section_label(line) || is_page_furniture(line) || HEADING.is_match(line) {
            break;
        }
        if k > from && !continues_title(&title, line) {
            break;
        }
        push_title_line(&mut title, line);
        if title.chars().count() > 250 {
            break;
        }
    }
    title
}

/// Whether `line` holds a party in brackets after a name, "(S)", "(MP)",
/// "(-)" for a member without party.
fn names_a_party(line: &str) -> bool {
    line.match_indices('(')
        .any(|(i, _)| i > 0 && party_mark(&line[i..]))
}

/// Whether a word holds a party in brackets ("(M)", "Ek(S)").
fn has_party_mark(word: &str) -> bool {
    word.match_indices('(').any(|(i, _)| party_mark(&word[i..]))
}

/// Whether `s` begins with a party in brackets: "(S)", "(MP)", "(-)".
fn party_mark(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('(') else {
        return false;
    };
    let inner: String = rest.chars().take_while(|c| *c != ')').collect();
    rest[inner.len()..].starts_with(')')
        && (inner == "-"
            || (1..=3).contains(&inner.chars().count()) && inner.chars().all(|c| c.is_uppercase()))
}

/// Append a wrapped line to a title: with a space, but none inside a span
/// of years or numbers broken at its dash ("2027–" + "2030").
pub(crate) fn push_title_line(title: &mut String, line: &str) {
    let mut end = title.chars().rev();
    let broken_span = matches!(end.next(), Some('-' | '–'))
        && end.next().is_some_and(|c| c.is_ascii_digit())
        && line.starts_with(|c: char| c.is_ascii_digit());
    if !title.is_empty() && !broken_span {
        title.push(' ');
    }
    title.push_str(line);
}

/// Whether the last word of `s` begins with a capital (a first name).
fn last_word_capital(s: &str) -> bool {
    s.split_whitespace()
        .next_back()
        .is_some_and(|w| w.starts_with(char::is_uppercase))
}

/// Whether `next` goes on with the heading `so_far`: it starts in lower
/// case or with a bracket or dash, `so_far` ends mid-phrase, or `next` is a
/// short tail that closes a name ("Andersson (MP)").
pub(crate) fn continues_title(so_far: &str, next: &str) -> bool {
    let so_far = so_far.trim_end();
    if so_far.ends_with(['.', '?', '!', ':']) {
        return false;
    }
    let first = next.chars().next();
    let last_word = so_far
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    // "2027–2030", "2026/2027", "år 2018": the years the title is for.
    let next_trim = next.trim();
    let years = ["år ", "ÅR ", "År "]
        .iter()
        .find_map(|w| next_trim.strip_prefix(w))
        .unwrap_or(next_trim);
    let year_tail = years
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '–' | '-' | '/' | ' '))
        && years.chars().any(|c| c.is_ascii_digit());
    // "Jonsson (S) med flera": the rest of an author's name and party; a
    // name broken after its first name ("… ordförande Anna" + "Berg (M) om
    // …", the party the next line's second word) goes on whatever follows
    // the party.
    let broken_name = last_word_capital(so_far)
        && next_trim
            .split_whitespace()
            .nth(1)
            .is_some_and(has_party_mark);
    // A whole name with its party after a title that ends on a word of its
    // own is the next line of text ("Anna Berg (S) har avsagt sig …").
    // "… till socialnämndens ordförande" + "Anna Berg (M) om …": the one
    // an interpellation or question is put to, named after the role.
    let named_after_role = matches!(
        last_word.as_str(),
        "ordförande" | "ordföranden" | "kommunalråd" | "kommunalrådet" | "ledamot" | "ersättare"
    ) && next_trim
        .split_whitespace()
        .take(4)
        .skip(1)
        .any(has_party_mark);
    let party_tail =
        (next_trim.chars().count() <= 40 && names_a_party(next_trim) && last_word_capital(so_far))
            || broken_name
            || named_after_role;
    year_tail
        || party_tail
        || first.is_some_and(|c| c.is_lowercase() || matches!(c, '(' | '-' | '–' | '&'))
        || so_far.ends_with(['-', '–', ','])
        || matches!(
            last_word.as_str(),
            "och" | "i" | "för" | "till" | "av" | "om" | "med" | "på" | "gällande" | "samt" | "vid"
        )
        || (next.chars().count() <= 40 && next.trim_end().ends_with(')'))
}

/// The candidates for § headings, in text order.
fn candidates(text: &str) -> Vec<Candidate> {
    let lines = lines_with_offsets(text);
    // Headings whose title is on the lines below ("§ 95  2026.016 KS" /
    // "Fördjupad månadsuppföljning"), and headings with the title on their
    // own line ("§ 22  Revidering av planer    Dnr KS 2025/0014"). A
    // protocol of the first form lists its §§ in the second in its table
    // of contents: that form counts only in a text with none of the first.
    let mut below = Vec::new();
    let mut inline = Vec::new();
    for (i, (offset, line)) in lines.iter().enumerate() {
        if below.len() + inline.len() >= MAX_CANDIDATES {
            break;
        }
        let trimmed = line.trim();
        if !trimmed.contains('§') {
            continue;
        }
        let Some(c) = HEADING.captures(trimmed) else {
            continue;
        };
        let Ok(number) = c["n"].parse::<u32>() else {
            continue;
        };
        // A table of contents: the next line is another "§ N".
        let Some((_, next)) = lines.get(i + 1) else {
            continue;
        };
        if HEADING.is_match(next.trim()) {
            continue;
        }
        // The page's second column beside the heading ("KS § 24   …
        // Sammanträdesdatum") is no part of it.
        let rest = beside_column(&c["rest"]);
        let (out, title, dnr, title_on_heading) = match heading_rest(rest) {
            Some(dnr) => (&mut below, title_after(&lines, i + 1), dnr, false),
            None if opens_block(text, *offset) => match inline_title(rest) {
                Some((title, dnr)) => (&mut inline, title, dnr, true),
                None => continue,
            },
            None => continue,
        };
        if !title.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        out.push(Candidate {
            number,
            dnr,
            start: *offset,
            title,
            title_on_heading,
        });
    }
    if below.is_empty() { inline } else { below }
}

/// The candidates without the entries of a table of contents that lists
/// the §§ in the headings' own form ("§ 61   KS KF/2026:193" + title): an
/// entry is a heading whose number comes again further on, with nothing
/// but its title before the next heading. A heading without a diarienummer
/// takes its entry's.
fn without_contents(text: &str, cands: Vec<Candidate>) -> Vec<Candidate> {
    let bare = |i: usize| {
        let c = &cands[i];
        let end = cands.get(i + 1).map_or(text.len(), |n| n.start);
        let below = text[c.start..end].split_once('\n').map_or("", |(_, b)| b);
        let below: String = below.split_whitespace().collect();
        let title: String = c.title.split_whitespace().collect();
        below.chars().count() <= title.chars().count() + 2
            && cands[i + 1..].iter().any(|later| later.number == c.number)
    };
    let keep: Vec<bool> = (0..cands.len()).map(|i| !bare(i)).collect();
    // A heading without its diarienummer takes the one its entry gives.
    let listed: Vec<(u32, Option<String>)> =
        cands.iter().map(|c| (c.number, c.dnr.clone())).collect();
    cands
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(mut c, _)| {
            if c.dnr.is_none() {
                c.dnr = listed
                    .iter()
                    .find(|(n, d)| *n == c.number && d.is_some())
                    .and_then(|(_, d)| d.clone());
            }
            c
        })
        .collect()
}

/// The longest run of candidates whose numbers increase; among runs of one
/// length, the one that starts first. Quadratic in the candidates, which
/// are bounded.
fn increasing_run(cands: &[Candidate]) -> Vec<usize> {
    let n = cands.len();
    if n == 0 {
        return Vec::new();
    }
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for j in 0..n {
        for i in 0..j {
            if cands[i].number < cands[j].number && len[i] + 1 > len[j] {
                len[j] = len[i] + 1;
                prev[j] = i;
            }
        }
    }
    let best = (0..n)
        .max_by_key(|&j| (len[j], std::cmp::Reverse(j)))
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut j = best;
    loop {
        out.push(j);
        if prev[j] == usize::MAX {
            break;
        }
        j = prev[j];
    }
    out.reverse();
    out
}

/// Read `text` as minutes: `None` when it has no § heading or does not
/// present itself as a protocol or extract ("Protokoll",
/// "Sammanträdesprotokoll", "Protokollsutdrag", "Utdrag ur protokoll",
/// "Utdragsbestyrkande", "Justerandes signatur").
pub fn read_minutes(text: &str) -> Option<Minutes> {
    let lower_head: String = text.chars().take(3000).collect::<String>().to_lowercase();
    let looks_like_minutes = lower_head.contains("protokoll")
        || text.contains("Utdragsbestyrkande")
        || text.contains("Justerandes sign");
    if !looks_like_minutes {
        return None;
    }
    let cands = without_contents(text, candidates(text));
    let chosen = increasing_run(&cands);
    if chosen.is_empty() {
        return None;
    }
    let mut sections: Vec<Section> = Vec::with_capacity(chosen.len());
    for (k, &ci) in chosen.iter().enumerate() {
        let c = &cands[ci];
        let end = chosen
            .get(k + 1)
            .map(|&next| cands[next].start)
            .unwrap_or(text.len());
        sections.push(Section {
            number: c.number,
            title: c.title.clone(),
            diarienummer: c.dnr.clone(),
            title_on_heading: c.title_on_heading,
            start: c.start,
            end,
        });
    }
    let first = sections[0].start;
    let letterhead = &text[..first];
    let cover_lower = letterhead.to_lowercase();
    let cover = COVER_WORDS
        .iter()
        .filter(|w| cover_lower.contains(*w))
        .count()
        >= 2;
    let (body, date) = meeting(letterhead, &text[first..]);
    // A cover that lists the meeting's §§ tells a whole protocol from an
    // extract that kept the cover: the whole one holds every § listed. A
    // cover that lists one § is kept by an extract sent out of a meeting
    // of one § too; the whole protocol has its contents besides, the §
    // with its title.
    let whole = match listed_paragraphs(letterhead) {
        Some((from, to)) if from == to && sections.len() == 1 => lists_titles(letterhead, from),
        Some((from, to)) => sections.len() as u32 > to.saturating_sub(from),
        None => cover || sections.len() >= 2,
    };
    Some(Minutes {
        body,
        date,
        whole,
        sections,
    })
}

/// The title of a protocol extract whose § heading a scan did not keep
/// ("§ 93" read as "8 93" or lost): a text that presents itself as
/// minutes, with the item's heading on the line above its first part
/// ("Ärendebeskrivning"), among its first lines. `None` for anything else.
pub(crate) fn headless_extract_title(text: &str) -> Option<String> {
    let lower_head: String = text.chars().take(3000).collect::<String>().to_lowercase();
    let certified = text.contains("Utdragsbestyrkande") || text.contains("Justerandes sign");
    if !lower_head.contains("protokoll") || !certified {
        return None;
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(20)
        .collect();
    let label = lines
        .iter()
        .position(|l| l.trim_end_matches(':').to_lowercase() == "ärendebeskrivning")?;
    let heading = |l: &str| {
        !crate::head::is_noise(l)
            && crate::bodies::whole_line_body(l).is_none()
            && !is_section_label(l)
            && !HEADING.is_match(l)
    };
    let mut k = label.checked_sub(1)?;
    if !heading(lines[k]) {
        return None;
    }
    let mut title = lines[k].to_owned();
    // A heading wrapped over lines: the line above goes on into it.
    while k > 0 && label - k < 3 {
        let above = lines[k - 1];
        if !heading(above) || !continues_title(above, &title) {
            break;
        }
        title = format!("{above} {title}");
        k -= 1;
    }
    title.starts_with(char::is_uppercase).then_some(title)
}

/// Whether the cover holds a table of contents that gives § `number` with
/// its title ("§ 116  Detaljplan för förskola").
fn lists_titles(cover: &str, number: u32) -> bool {
    cover.lines().any(|line| {
        let l = line.trim();
        let Some(rest) = l.strip_prefix('§') else {
            return false;
        };
        let rest = rest.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok() == Some(number)
            && rest[digits.len()..]
                .trim_start()
                .starts_with(|c: char| c.is_uppercase())
    })
}

/// "Paragrafer §§94-110", "Paragrafer §116": the §§ a cover lists.
fn listed_paragraphs(cover: &str) -> Option<(u32, u32)> {
    static LISTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)paragrafer\s*§§?\s*(?P<a>\d{1,4})(?:\s*[-–]\s*§?\s*(?P<b>\d{1,4}))?")
            .expect("valid regex")
    });
    let c = LISTED.captures(cover)?;
    let a: u32 = c["a"].parse().ok()?;
    let b: u32 = c
        .name("b")
        .and_then(|b| b.as_str().parse().ok())
        .unwrap_or(a);
    (b >= a).then_some((a, b))
}

/// The body and date of a meeting: the first body named on a line of its
/// own (or wrapped over two) in the letterhead, and the first date there;
/// failing those, the page header that repeats over the sections.
fn meeting(letterhead: &str, rest: &str) -> (Option<String>, Option<Date>) {
    let body = letterhead_body(letterhead)
        .or_else(|| named_above_protocol(letterhead))
        .or_else(|| letterhead_body(rest));
    let date = crate::dates::find_dates(letterhead, None)
        .into_iter()
        .find(|m| m.range.precision == kedja_model::Precision::Day)
        .map(|m| m.range.start);
    (body, date)
}

/// The name a protocol's letterhead sets above the word "Protokoll", for
/// a body whose name is none of a council's ("Ekby och Åby" +
/// "Räddningstjänstförbund", "Direktionen för X"): the first lines of the
/// page, names without digits.
fn named_above_protocol(letterhead: &str) -> Option<String> {
    let lines: Vec<&str> = letterhead
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(6)
        .collect();
    let p = lines.iter().position(|l| {
        let l = l.to_lowercase();
        l == "protokoll" || l == "sammanträdesprotokoll"
    })?;
    if !(1..=3).contains(&p) {
        return None;
    }
    let name = lines[..p].join(" ");
    let plain = lines[..p].iter().all(|l| {
        !l.chars().any(|c| c.is_ascii_digit())
            && !crate::head::is_noise(l)
            && l.chars().filter(|c| c.is_alphabetic()).count() >= 3
    });
    (plain && name.starts_with(char::is_uppercase) && name.chars().count() <= 80).then_some(name)
}

/// A line that is a body's name and nothing else ("Tekniska nämnden",
/// "Kultur- och" + "utbildningsnämnden"), among the first lines.
pub(crate) fn letterhead_body(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    for (i, line) in lines.iter().enumerate() {
        // A body's name wrapped over three lines ("Kultur- och" +
        // "utbildningsnämndens" + "arbetsutskott") or two ("Kultur- och" +
        // "utbildningsnämnden", "Kommunstyrelsens" + "arbetsutskott"): the
        // longest name wins, so a committee is not read as its board.
        if let (Some(next), Some(third)) = (lines.get(i + 1), lines.get(i + 2))
            && let Some(b) = crate::bodies::whole_line_body(&format!("{line} {next} {third}"))
        {
            return Some(b);
        }
        if let Some(next) = lines.get(i + 1)
            && let Some(b) = crate::bodies::whole_line_body(&format!("{line} {next}"))
        {
            return Some(b);
        }
        if let Some(b) = crate::bodies::whole_line_body(line) {
            return Some(b);
        }
        // A letterhead that sets the body beside the document type
        // ("KOMMUNSTYRELSEN      SAMMANTRÄDESPROTOKOLL"), in capitals or not.
        let cell = line.split("   ").next().unwrap_or(line).trim();
        if let Some(b) = crate::bodies::whole_line_body(&in_small_letters(cell)) {
            return Some(b);
        }
    }
    None
}

/// A name set in capitals as it is written ("KULTUR- OCH FRITIDSNÄMNDEN"
/// is "Kultur- och fritidsnämnden"); a name with small letters as it is.
fn in_small_letters(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_owned();
    }
    let mut chars = name.chars();
    chars
        .next()
        .into_iter()
        .chain(chars.flat_map(char::to_lowercase))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each section's number, title and diarienummer.
    fn headings(m: &Minutes) -> Vec<(u32, &str, Option<&str>)> {
        m.sections
            .iter()
            .map(|s| (s.number, s.title.as_str(), s.diarienummer.as_deref()))
            .collect()
    }

    const PROTOCOL: &str = "Byggnämnden\nProtokoll\n2024-03-05\n\nPlats och tid\nStadshuset kl. 18.00\n\nBeslutande\nAnna Berg (S)\n\nUtses att justera\nPer Ek\n\n\u{a7} 10\n\u{a7} 11\n\u{a7} 12\n\nVal av justerare\nBygglov för Ekby 1:2\nMeddelanden\n\nUtdragsbestyrkande\n\n\u{a7} 10\n\nVal av justerare\nBeslut\nPer Ek utses.\n\nUtdragsbestyrkande\n\nByggnämnden\nProtokoll\n\n\u{a7} 11 BN 2024/12\n\nBygglov för Ekby 1:2 med flera, ansökan om\nförlängning\nÄrendebeskrivning\nEn ansökan har kommit in enligt \u{a7} 12 i taxan.\nBeslut\nBygglov ges.\n\n\u{a7} 12\n\nMeddelanden\nInga.\n";

    #[test]
    fn a_protocol_is_split_into_its_sections_not_its_table_of_contents() {
        let m = read_minutes(PROTOCOL).expect("minutes");
        assert!(m.whole);
        assert_eq!(m.body.as_deref(), Some("Byggnämnden"));
        assert_eq!(m.date.map(|d| d.to_string()), Some("2024-03-05".into()));
        let got = headings(&m);
        assert_eq!(
            got,
            vec![
                (10, "Val av justerare", None),
                (
                    11,
                    "Bygglov för Ekby 1:2 med flera, ansökan om förlängning",
                    Some("BN 2024/12")
                ),
                (12, "Meddelanden", None),
            ]
        );
        // The § cited inside a section's text is not a heading.
        let s11 = &PROTOCOL[m.sections[1].start..m.sections[1].end];
        assert!(s11.contains("enligt \u{a7} 12 i taxan"));
        assert!(PROTOCOL[m.sections[2].start..].starts_with("\u{a7} 12"));
    }

    #[test]
    fn an_extract_is_one_section_of_its_body_and_date() {
        let text = "Kultur- och\nutbildningsnämnden\nProtokoll\n2026-05-20\n\n\u{a7} 47 2026.011 KUN\n\nMotion gällande att stärka insatserna - Anna\nBerg (S)\nÄrendebeskrivning\nText.\nUtdragsbestyrkande\n";
        let m = read_minutes(text).expect("minutes");
        assert!(!m.whole);
        assert_eq!(m.body.as_deref(), Some("Kultur- och utbildningsnämnden"));
        assert_eq!(m.sections.len(), 1);
        assert_eq!(m.sections[0].number, 47);
        assert_eq!(
            m.sections[0].title,
            "Motion gällande att stärka insatserna - Anna Berg (S)"
        );
        assert_eq!(m.sections[0].diarienummer.as_deref(), Some("2026.011 KUN"));
    }

    #[test]
    fn a_body_none_of_a_councils_is_named_above_protocol() {
        let text = "Ekby och Åby\nRäddningstjänstförbund\nProtokoll\n\n2026-04-17\n\nUtdragsbestyrkande\n\n\u{a7} 10 2026.031 ERF\n\nBudget 2027\nBeslut\nText.\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(
            m.body.as_deref(),
            Some("Ekby och Åby Räddningstjänstförbund")
        );
        assert_eq!(m.date.map(|d| d.to_string()), Some("2026-04-17".into()));
    }

    #[test]
    fn a_heading_goes_on_with_its_years_and_its_authors_party() {
        let text = "Barnnämnden\nProtokoll\n2026-06-10\n\n\u{a7} 48 2026.136 BN\n\nUtbildningsplan inför läsår\n2026/2027\nÄrendebeskrivning\nText.\n\n\u{a7} 49 2026.140 BN\n\nSvar på motion om parker - Eva\nEk (S) med flera\nÄrendebeskrivning\nText.\n";
        let m = read_minutes(text).expect("minutes");
        let titles: Vec<&str> = m.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Utbildningsplan inför läsår 2026/2027",
                "Svar på motion om parker - Eva Ek (S) med flera"
            ]
        );
        assert!(!continues_title("Budget", "Ramar (tkr) per nämnd"));
        // The one a question is put to, named after the role.
        assert!(continues_title(
            "Interpellation från Eva Ek (S) till fritidsnämndens ordförande",
            "Per Olof Berg (M) om badplatsernas öppettider"
        ));
        assert!(!continues_title(
            "Val av ordförande",
            "Valberedningen föreslår att kommunfullmäktige väljer"
        ));
    }

    #[test]
    fn a_span_of_years_wrapped_at_its_dash_is_joined() {
        let text = "Kommunstyrelsen\nProtokoll\n2026-05-11\n\n\u{a7} 79 2025.374 KS\n\nReglemente för ersättningar år 2027–\n2030\nÄrendebeskrivning\nText.\nUtdragsbestyrkande\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(
            m.sections[0].title,
            "Reglemente för ersättningar år 2027–2030"
        );
        let mut t = "Vård-".to_owned();
        push_title_line(&mut t, "och omsorg");
        assert_eq!(t, "Vård- och omsorg");
    }

    #[test]
    fn a_committee_wrapped_over_three_lines_is_not_its_board() {
        let text = "Vård- och\nomsorgsnämndens\narbetsutskott\nProtokoll\n2026-05-05\n\n\u{a7} 12 2026.040 VON\n\nHabiliteringsersättning\nÄrendebeskrivning\nText.\nUtdragsbestyrkande\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(
            m.body.as_deref(),
            Some("Vård- och omsorgsnämndens arbetsutskott")
        );
        let text = "Kommunstyrelsens\narbetsutskott\nProtokoll\n2026-05-20\n\n\u{a7} 70 2026.001 KS\n\nRamar\nBeslut\nText.\n";
        assert_eq!(
            read_minutes(text).expect("minutes").body.as_deref(),
            Some("Kommunstyrelsens arbetsutskott")
        );
    }

    #[test]
    fn a_body_prefix_and_a_case_number_on_the_heading_line() {
        let text = "Kommunfullmäktige\nSammanträdesprotokoll 2026-06-17\n\nKF \u{a7} 55    KS KF/2026:6\nÅrsredovisning 2025\nBeslut\nGodkänns.\n\nKF \u{a7} 56    KS KF/2026:9\nVal av revisorer\nBeslut\nValda.\n";
        let m = read_minutes(text).expect("minutes");
        let got: Vec<(u32, &str)> = headings(&m).into_iter().map(|(n, t, _)| (n, t)).collect();
        assert_eq!(
            got,
            vec![(55, "Årsredovisning 2025"), (56, "Val av revisorer")]
        );
        assert_eq!(m.sections[0].diarienummer.as_deref(), Some("KS KF/2026:6"));
    }

    #[test]
    fn an_extract_that_kept_the_cover_is_not_the_whole_protocol() {
        let cover = "Kommunstyrelsen\nProtokoll\n2026-04-13\nPlats och tid\nRådhuset\nBeslutande\nAnna Berg (S)\nParagrafer\n§§55-70\n";
        let one = format!("{cover}\n\u{a7} 63 2026.100 KS\n\nRutin mot hot\nBeslut\nAntas.\n");
        assert!(!read_minutes(&one).expect("minutes").whole);
        let only = "Kommunfullmäktige\nProtokoll\n2026-06-10\nPlats och tid\nTeatern\nBeslutande\nAnna Berg (S)\nParagrafer\n§116\n\n\u{a7} 116  Detaljplan för förskola\n\n\u{a7} 116 2020.008 KS\n\nDetaljplan för förskola\nBeslut\nAntas.\n";
        assert!(read_minutes(only).expect("minutes").whole);
        // The same cover sent out with its one § alone, without the
        // contents page, is an extract.
        let sent = "Kommunstyrelsen\nProtokoll\n2026-04-13\nPlats och tid\nRådhuset  Paragrafer  §63\nBeslutande\nAnna Berg (S)\nUtses att justera\nPer Ek\n\n\u{a7} 63 2025.354 KS\n\nRutin mot hot\nBeslut\nAntas.\n";
        let m = read_minutes(sent).expect("minutes");
        assert!(!m.whole);
        assert_eq!(m.sections[0].title, "Rutin mot hot");
    }

    #[test]
    fn an_extract_whose_heading_a_scan_lost_keeps_its_title() {
        let text = "EKBY Kommunstyrelsen\n3 — Protokoll\nKOMMUN\n2026-05-11\n\nAnmälda initiativärenden\n\nÄrendebeskrivning\nEnligt kommunallagen har varje ledamot rätt att väcka ärende.\nBeslut\nTas emot.\nUtdragsbestyrkande\n";
        assert!(read_minutes(text).is_none());
        assert_eq!(
            headless_extract_title(text).as_deref(),
            Some("Anmälda initiativärenden")
        );
        let text = "Kommunstyrelsen Protokoll\n2026-06-01\n8105 2026.220 KS\nStadsskogen etapp 4, markanvisning för\nbostäder\nÄrendebeskrivning\nText.\nJusterandes sign\n";
        assert_eq!(
            headless_extract_title(text).as_deref(),
            Some("Stadsskogen etapp 4, markanvisning för bostäder")
        );
        // A tjänsteskrivelse is no extract.
        let text =
            "Datum: 2026-05-08\nInförande av debatter\nÄrendebeskrivning\nEnligt protokoll.\n";
        assert_eq!(headless_extract_title(text), None);
    }

    #[test]
    fn a_body_in_capitals_beside_the_document_type_is_the_meeting_s() {
        let text = "KULTUR- OCH FRITIDSNÄMNDEN          SAMMANTRÄDESPROTOKOLL\nSammanträdesdatum 2030-11-05\n\n\u{a7} 12         KFN 2030:4\n\nBudget 2031\n\nKommunfullmäktige föreslås anta budgeten.\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(m.body.as_deref(), Some("Kultur- och fritidsnämnden"));
        assert_eq!(in_small_letters("Kommunstyrelsen"), "Kommunstyrelsen");
    }

    #[test]
    fn contents_in_the_headings_own_form_are_not_the_sections() {
        let text = "KOMMUNFULLMÄKTIGE     SAMMANTRÄDESPROTOKOLL\n\n\u{a7} 61         KS KF/2030:193\n\n      Beslut om medel för upprustning av\n\n      idrottsplatsen\n\n\u{a7} 62         KS KF/2030:188\n\n      Beslut om rapportering\n\nBeslutande ledamöter\nAnna Berg (S)\n\nKF \u{a7} 61          KS KF/2030:193\n\nBeslut om medel för upprustning av\nidrottsplatsen\n\nBeslut\nMedel anvisas.\n\nKF \u{a7} 62\n\nBeslut om rapportering\n\nBeslut\nRapporten godkänns.\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(m.sections.len(), 2);
        for s in &m.sections {
            assert!(
                text[s.start..s.end].contains("Beslut\n"),
                "{:?}",
                &text[s.start..s.end]
            );
        }
        assert_eq!(
            m.sections[0].title,
            "Beslut om medel för upprustning av idrottsplatsen"
        );
        assert_eq!(
            m.sections[1].diarienummer.as_deref(),
            Some("KS KF/2030:188")
        );
    }

    #[test]
    fn a_heading_goes_on_past_a_name_broken_before_its_party_and_over_many_lines() {
        let text = "Kommunfullmäktige\nProtokoll 2031-03-10\n\nKF \u{a7} 64       KS KF/2031:17\n\nInterpellation från Anna Berg (S) till kommunstyrelsens ordförande Per\nEk (M) om cykelvägar och gångvägar i norra delen av staden\n\nÄrendebeskrivning\nText.\n\nKF \u{a7} 65       KS KF/2031:18\n\nBeslut om budget för år 2032, innefattande driftbudget,\ninvesteringsbudget,\nexploateringsbudget,\nfinansiella mål,\nverksamhetsmässiga mål och\nskattesats\n\nBeslut\nBudgeten fastställs.\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(
            m.sections[0].title,
            "Interpellation från Anna Berg (S) till kommunstyrelsens ordförande Per Ek (M) om cykelvägar och gångvägar i norra delen av staden"
        );
        assert_eq!(
            m.sections[1].title,
            "Beslut om budget för år 2032, innefattande driftbudget, investeringsbudget, exploateringsbudget, finansiella mål, verksamhetsmässiga mål och skattesats"
        );
    }

    #[test]
    fn a_speaker_under_a_heading_is_no_part_of_its_title() {
        let text = "Kommunstyrelsen\nProtokoll 2031-03-10\n\nKS \u{a7} 12       KS 2031/45\n\nVal av ersättare i kommunstyrelsen\nAnna Berg (S) har avsagt sig uppdraget\nsom ersättare.\n\nBeslut\nPer Ek väljs.\n\nKS \u{a7} 13       KS 2031/46\n\nBudget\n\nBeslut\nBudgeten antas.\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(m.sections[0].title, "Val av ersättare i kommunstyrelsen");
    }

    #[test]
    fn a_heading_beside_the_pages_second_column_opens_its_section() {
        let text = "KOMMUNSTYRELSEN     SAMMANTRÄDESPROTOKOLL\n\n\u{a7} 23         KS KF/2031:6\n\n      Meddelanden\n\n\u{a7} 24         KS KF/2031:5\n\n      Kommundirektören informerar\n\nBeslutande ledamöter\nAnna Berg (S)\n\nKS \u{a7} 23                     KS KF/2031:6\n\nMeddelanden\n\nBeslut\nMeddelandena läggs till handlingarna.\n\nKS \u{a7} 24                     Sammanträdesdatum\n                                2031-03-25\nKommundirektören informerar\n                                KS KF/2031:5\nBeslut\nÄrendet utgår.\n";
        let m = read_minutes(text).expect("minutes");
        assert_eq!(m.sections.len(), 2, "{m:#?}");
        let s24 = &m.sections[1];
        assert!(text[s24.start..].starts_with("KS \u{a7} 24"), "{m:#?}");
        assert_eq!(s24.title, "Kommundirektören informerar");
        assert_eq!(s24.diarienummer.as_deref(), Some("KS KF/2031:5"));
    }

    #[test]
    fn a_title_on_the_heading_line_opens_a_section() {
        let text = "Kommunfullmäktige\nProtokoll 2030-03-10\n\n\u{a7} 22  Revidering av planer      Dnr KS 2030/0014\n\nBeskrivning\nPlanerna är gamla.\n\n\u{a7} 23  Nya cykelvägar\n\nBeslut\nEnligt beslut i\n\u{a7} 12 Kommunstyrelsen gäller detta.\n";
        let m = read_minutes(text).expect("minutes");
        let got = headings(&m);
        // "§ 12 Kommunstyrelsen …" goes on a sentence: it opens no block.
        assert_eq!(
            got,
            vec![
                (22, "Revidering av planer", Some("KS 2030/0014")),
                (23, "Nya cykelvägar", None)
            ]
        );
        assert!(m.whole);
        // A table of contents in that form before headings with their
        // titles below: the headings are the sections.
        let toc = "Kommunstyrelsen\nProtokoll 2030-06-01\n\n\u{a7} 94  Information\n\n\u{a7} 95  Budget\n\n\u{a7} 94\nInformation\nBeslut\nNoteras.\n\n\u{a7} 95  2030.016 KS\nBudget 2031\nBeslut\nAntas.\n";
        let m = read_minutes(toc).expect("minutes");
        let got: Vec<(u32, &str)> = headings(&m).into_iter().map(|(n, t, _)| (n, t)).collect();
        assert_eq!(got, vec![(94, "Information"), (95, "Budget 2031")]);
        assert_eq!(
            section_heading_number("\u{a7} 22  Revidering av planer"),
            Some(22)
        );
        // A sentence on the heading line is no title.
        assert_eq!(section_heading_number("\u{a7} 22 Beslutet gäller."), None);
    }

    #[test]
    fn running_text_is_not_minutes() {
        assert!(read_minutes("Motion om cyklar\n\nEnligt \u{a7} 5 ska vi.\n").is_none());
        // A statute cited at a line's start in a protocol is no heading:
        // lowercase words follow the number.
        let text = "Protokoll\n\u{a7} 5 kommunallagen gäller\nText\n";
        assert!(read_minutes(text).is_none());
    }

    #[test]
    fn a_million_headings_stay_bounded() {
        let text = format!("Protokoll\n{}", "\u{a7} 1\nVal\n".repeat(200_000));
        let started = std::time::Instant::now();
        let m = read_minutes(&text);
        assert!(m.is_some());
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
}
