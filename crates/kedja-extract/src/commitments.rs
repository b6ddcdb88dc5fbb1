//! Commitments and status reports in Swedish text.
//!
//! A commitment is an assignment ("ger kommunstyrelsen i uppdrag att …"), a
//! deadline-bearing obligation ("… ska återredovisas till kommunstyrelsen
//! senast april 2017"), a recurring report ("Uppföljning av handlingsplanen
//! redovisas årligen") or a row of an action plan's activity table. A status
//! statement is what a later document says about one: an item under a
//! heading such as "Avslutade åtgärder" or "Pågående", a row of a status
//! table, or a sentence with a status cue ("har inte uppfyllts fullt ut",
//! "176 av 210 chefer", "förklarar uppdraget avslutat").
//!
//! Which commitment a status statement is about is decided in
//! `kedja-link`, with the links between documents at hand; here each
//! statement keeps the words that identify its subject.

use std::sync::LazyLock;

use kedja_model::{CommitmentStatus, DateRange, DocKind, Record};
use regex::Regex;

use serde::{Deserialize, Serialize};

use crate::bodies::{canonical_body, find_bodies};
use crate::dates::find_dates;
use crate::lexicon::{MONTH_ALT, month};

/// A commitment as written in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundCommitment {
    pub responsible: Option<String>,
    pub task: String,
    pub deadline: Option<DateRange>,
    pub cadence: Option<String>,
    /// The sentence or item, whitespace normalised.
    pub evidence: String,
    /// Byte span of the evidence in the text.
    pub start: usize,
    pub end: usize,
    /// Told as past ("gav … i uppdrag"): most likely stated first elsewhere.
    pub restated: bool,
}

/// What a document says about the state of a commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundStatus {
    pub status: CommitmentStatus,
    /// The words naming what the status is about.
    pub subject: String,
    /// Bodies named in the statement, canonical.
    pub bodies: Vec<String>,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
    /// Listed under a status heading or in a status table: the document
    /// reports on it as a point of its own.
    pub listed: bool,
    /// About "the assignment" as a whole ("Denna handlingsplan är svaret på
    /// det uppdraget", "förklarar uppdraget avslutat"): index into the
    /// document's commitments of the assignment it refers to.
    pub about: Option<usize>,
    /// The decision that gave the assignment, when the statement names it
    /// ("anse uppdraget från 2025-03-10, § 23, genomfört").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cites: Option<Cited>,
}

/// A decision named by its date and, when given, its §.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cited {
    /// The day, as an ISO date.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
}

/// The decision an assignment was given by, as a statement about it names
/// it: "uppdraget från 2024-02-12, § 16", "uppdraget från den 19 november
/// 2025, § 70", "(KF 2024-06-17, § 88)".
fn cited_decision(clause: &str) -> Option<Cited> {
    static FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)uppdrag(?:et|en)?\s+(?:från|enligt|i)\s+(?P<rest>.{0,80})")
            .expect("valid regex")
    });
    static PARA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\s,]*(?:\S+\s+)?§\s*(?P<n>\d+)").expect("valid regex"));
    let rest = FROM.captures(clause)?.name("rest")?;
    let rest = &clause[rest.start()..rest.end()];
    let d = find_dates(rest, None).into_iter().next()?;
    if d.range.precision != kedja_model::Precision::Day || d.start > 40 {
        return None;
    }
    let paragraph = PARA
        .captures(&rest[d.end..])
        .and_then(|c| c["n"].parse().ok());
    Some(Cited {
        date: d.range.start.to_string(),
        paragraph,
    })
}

/// The commitments and status statements of one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitmentText {
    pub commitments: Vec<FoundCommitment>,
    pub statuses: Vec<FoundStatus>,
    /// A follow-up report's sentence saying what it reports on ("den
    /// första årliga uppföljningen av …"): an occurrence of a recurring
    /// commitment to report.
    pub report_line: Option<String>,
    /// A proposal for a decision ("Kommunstyrelsens förslag till
    /// kommunfullmäktige"): its assignments are not yet decided.
    pub proposed: bool,
    /// Deadlines written in points named in running text, by index into
    /// `statuses`.
    pub point_deadlines: Vec<(usize, Option<DateRange>)>,
}

/// Find commitments and status statements in a cleaned text with its
/// record. Motions, initiatives and citizens' proposals only propose: what
/// they ask for becomes a commitment when it is decided. Follow-up reports
/// and answers report: their assignments are restatements.
pub fn find_commitments(text: &str, record: &Record) -> CommitmentText {
    let mut out = CommitmentText::default();
    if record.kind.proposes() {
        return out;
    }
    let reporting = record.kind.reports();
    let year = record.date.map(|d| d.year());
    let lines = lines_of(text);
    let mut used = vec![false; lines.len()];

    tables(text, &lines, &mut used, record, year, &mut out);
    field_records(text, &lines, &mut used, record, &mut out);
    status_sections(text, &lines, &mut used, &mut out);
    let decided = record
        .part_of
        .is_some()
        .then(|| decision_part(&lines))
        .flatten();
    prose(text, &lines, &used, record, reporting, decided, &mut out);
    // A question states what the asker believes; the status of a
    // commitment comes from those who report on it.
    if record.kind == DocKind::Interpellation {
        out.statuses.clear();
    }
    out.proposed = PROPOSAL.is_match(text);
    if record.kind == DocKind::FollowUp {
        out.report_line = report_line(text, &lines);
    }
    if reporting {
        for c in &mut out.commitments {
            c.restated = true;
        }
    }
    out
}

static PROPOSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^\s*(?:\S+\s+)?förslag\s+till\s+(?:beslut|kommunfullmäktige|fullmäktige|regionfullmäktige)|föreslår\s+(?:kommun|region)?fullmäktige\s+(?:att\s+)?besluta",
    )
    .expect("valid regex")
});

/// A line of the text with its byte span.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

fn lines_of(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split('\n') {
        out.push(Line { text: l, start });
        start += l.len() + 1;
    }
    out
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------- tables

static CELL_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\t+|\s{2,}").expect("valid regex"));

static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d+(?:\.\d+)*\.?\s+\p{Lu}").expect("valid regex"));

/// A line of a pipe table ("| Åtgärd | Ansvar |"): two pipes or more.
fn piped(t: &str) -> bool {
    t.matches('|').count() >= 2 || t.contains(" | ")
}

/// The rule under a pipe table's header ("|---|:--|") or a drawn line.
fn is_rule(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | ':' | '+' | '=' | ' ' | '─' | '—' | '_'))
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    if t.contains('\t') {
        t.split('\t').map(|c| c.trim().to_owned()).collect()
    } else if piped(t) {
        t.trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    } else {
        CELL_SEP.split(t).map(|c| c.trim().to_owned()).collect()
    }
}

fn has_cells(line: &str) -> bool {
    let t = line.trim();
    t.contains('\t') || piped(t) || CELL_SEP.is_match(t)
}

/// The cells of a line laid out in columns by spaces, each with the
/// character column it starts at.
fn chunks(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            if chars[end] == '\t'
                || (chars[end] == ' ' && chars.get(end + 1).is_none_or(|c| c.is_whitespace()))
            {
                break;
            }
            end += 1;
        }
        out.push((start, chars[start..end].iter().collect()));
        i = end;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Task,
    Responsible,
    Others,
    Deadline,
    Start,
    Status,
    Comment,
}

/// A column by the words of its heading, wherever it stands: what is to
/// be done (aktivitet, åtgärd, insats), who (ansvar, ansvarig), by when
/// (klart senast, tidplan, när, slutdatum), from when (startdatum), how it
/// stands (status) and remarks (kommentar).
fn column_of(header_cell: &str) -> Option<Column> {
    // Column headings are short; a long cell is a row's text.
    if header_cell.chars().count() > 40 {
        return None;
    }
    let h = header_cell
        .trim()
        .trim_end_matches([':', '.'])
        .to_lowercase();
    let word =
        |w: &str| h == w || h.starts_with(&format!("{w} ")) || h.starts_with(&format!("{w}/"));
    if h.contains("ansvar") && !h.contains("berörd") {
        Some(Column::Responsible)
    } else if h.contains("berörd") || h.contains("samverkan") || h.contains("medverkande") {
        Some(Column::Others)
    } else if h.starts_with("status") || h.starts_with("läge") || word("lägesrapport") {
        Some(Column::Status)
    } else if h.starts_with("start") || word("påbörjas") || word("from") || word("fr.o.m.") {
        Some(Column::Start)
    } else if [
        "klart",
        "klar",
        "tidplan",
        "tid",
        "när",
        "senast",
        "datum",
        "deadline",
        "slutdatum",
        "slut",
        "färdigt",
        "tidpunkt",
        "tidsplan",
        "genomförs",
        "klart senast",
        "tom",
        "t.o.m.",
    ]
    .iter()
    .any(|w| word(w))
    {
        Some(Column::Deadline)
    } else if h.starts_with("kommentar") || h.starts_with("beskrivning") || word("notering") {
        Some(Column::Comment)
    } else if h.starts_with("aktivitet")
        || h.starts_with("åtgärd")
        || h.ends_with(" åtgärd")
        || h.ends_with(" aktivitet")
        || h.starts_with("insats")
        || h.starts_with("uppdrag")
        || word("uppgift")
        || word("vad")
    {
        Some(Column::Task)
    } else {
        None
    }
}

/// Activity tables of plans ("Aktivitet | Huvudansvarig | Klart") and
/// status tables of reports ("Byggnad | Status | Kommentar"), in any
/// layout: tabs, pipes, columns aligned by spaces, or a PDF's wrapped
/// cells. A row of a table with both a task and a status is a commitment
/// as the report states it, with that status.
fn tables(
    text: &str,
    lines: &[Line<'_>],
    used: &mut [bool],
    record: &Record,
    year: Option<i32>,
    out: &mut CommitmentText,
) {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !has_cells(line.text) {
            i += 1;
            continue;
        }
        let header: Vec<Option<Column>> = cells(line.text).iter().map(|c| column_of(c)).collect();
        let has = |c: Column| header.contains(&Some(c));
        let activity = has(Column::Task)
            && (has(Column::Responsible) || has(Column::Deadline) || has(Column::Start));
        let status = has(Column::Status);
        if !activity && !status {
            i += 1;
            continue;
        }
        // The table runs until a numbered heading, a new header, or a line
        // without cells right after a blank line.
        let mut j = i + 1;
        let mut after_blank = false;
        while j < lines.len() {
            let l = lines[j];
            if l.is_blank() {
                after_blank = true;
                j += 1;
                continue;
            }
            let new_header = has_cells(l.text)
                && cells(l.text)
                    .iter()
                    .filter(|c| column_of(c).is_some())
                    .count()
                    >= 2;
            if NUMBERED_HEADING.is_match(l.text)
                || new_header
                || (after_blank && !has_cells(l.text))
                || (after_blank && is_rule(l.text))
            {
                break;
            }
            after_blank = false;
            j += 1;
        }
        for u in used.iter_mut().take(j).skip(i) {
            *u = true;
        }
        let body: Vec<Line<'_>> = lines[i + 1..j]
            .iter()
            .copied()
            .filter(|l| !l.is_blank() && !is_rule(l.text))
            .collect();
        // A header wrapped over lines ("Ekonomisk effekt" / "(helår)"):
        // rows of a dated table begin at the first line with a date.
        let mut body = body;
        if has(Column::Deadline) || has(Column::Start) {
            let first_dated = body.iter().take(4).position(|l| {
                cells(l.text)
                    .iter()
                    .any(|c| cell_deadline(c, year).is_some() || cell_cadence(c).is_some())
            });
            if let Some(k) = first_dated
                && k > 0
                && body[..k].iter().all(|l| {
                    let t = l.text.trim_start();
                    t.starts_with('(') || !t.starts_with(char::is_uppercase)
                })
            {
                body.drain(..k);
            }
        }
        let rows =
            aligned_rows(line.text, &body).unwrap_or_else(|| table_rows(&header, &body, year));
        for row in rows {
            let get = |col: Column| -> Option<String> {
                header
                    .iter()
                    .position(|h| *h == Some(col))
                    .and_then(|k| row.cells.get(k))
                    .map(|c| normalize(c))
                    .filter(|c| !c.is_empty())
            };
            let evidence = normalize(&text[row.start..row.end]);
            let row_status = get(Column::Status).and_then(|s| status_word(&s));
            if activity {
                let Some(task) = get(Column::Task) else {
                    continue;
                };
                let when = get(Column::Deadline);
                let (mut deadline, cadence) = match &when {
                    Some(w) => (cell_deadline(w, year), cell_cadence(w)),
                    None => (None, None),
                };
                // An economic action plan dates its measures by when they
                // start; that is the date it can be held to.
                if deadline.is_none() && cadence.is_none() {
                    deadline = get(Column::Start).and_then(|w| cell_deadline(&w, year));
                }
                if deadline.is_none() && cadence.is_none() {
                    deadline = get(Column::Comment).and_then(|c| deadline_in(&c, false));
                }
                out.commitments.push(FoundCommitment {
                    responsible: get(Column::Responsible).map(|r| responsible_name(&r, record)),
                    task: task.trim_end_matches('.').to_owned(),
                    deadline,
                    cadence,
                    evidence: evidence.clone(),
                    start: row.start,
                    end: row.end,
                    restated: false,
                });
                if let Some(st) = row_status {
                    let about = out.commitments.len() - 1;
                    out.statuses.push(FoundStatus {
                        status: st,
                        bodies: Vec::new(),
                        subject: task,
                        evidence,
                        start: row.start,
                        end: row.end,
                        listed: true,
                        about: Some(about),
                        cites: None,
                    });
                }
            } else if let Some(st) = row_status {
                let subject = row
                    .cells
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| header.get(*k) != Some(&Some(Column::Status)))
                    .map(|(_, c)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                out.statuses.push(FoundStatus {
                    status: st,
                    bodies: bodies_in(&subject),
                    subject: normalize(&subject),
                    evidence,
                    start: row.start,
                    end: row.end,
                    listed: true,
                    about: None,
                    cites: None,
                });
            }
        }
        i = j;
    }
}

// ---------------------------------------------------------------- fields

static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[•·▪◦*–-]\s+)?(?P<label>\p{L}[\p{L} ]{1,24}?)\s*:\s*(?P<value>.*)$")
        .expect("valid regex")
});

static INLINE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[.;,(]\s*|\s)(?P<label>ansvarig|ansvar|huvudansvarig|klart\s+senast|klart|klar|tidplan|deadline|när|status|kommentar|start)\s*:\s*")
        .expect("valid regex")
});

/// A line that is only the name of a month ("September"): the heading of
/// an annual cycle's (årshjul) month.
fn month_heading(line: &str) -> Option<time::Month> {
    let t = line.trim();
    (t.len() <= 10 && t.chars().all(char::is_alphabetic))
        .then(|| month(t))
        .flatten()
}

/// Items written as fields rather than columns: "Aktivitet: …" with
/// "Ansvar: …" and "Klart: …" on the lines below, or a bullet "• Införa …
/// Ansvar: HR-chef. Klart: HT 2025." An item without a date of its own
/// under a month heading (an annual cycle) is due in the next such month
/// after the document's date, every year.
fn field_records(
    text: &str,
    lines: &[Line<'_>],
    used: &mut [bool],
    record: &Record,
    out: &mut CommitmentText,
) {
    let year = record.date.map(|d| d.year());
    // An annual cycle of a school year ("läsår 2030/2031") runs from
    // August to July: the latest school year its head names is the one it
    // plans.
    static SCHOOL_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)läsår(?:et)?\s+((?:19|20)\d\d)\s*[/–-]\s*(?:19|20)?\d\d")
            .expect("valid regex")
    });
    let head: String = text.chars().take(1500).collect();
    let school_year: Option<i32> = SCHOOL_YEAR
        .captures_iter(&head)
        .filter_map(|c| c[1].parse().ok())
        .max();
    let mut month_above: Option<time::Month> = None;
    let mut i = 0;
    while i < lines.len() {
        if used[i] {
            i += 1;
            continue;
        }
        let l = lines[i];
        if let Some(m) = month_heading(l.text) {
            month_above = Some(m);
            i += 1;
            continue;
        }
        // A record: a task field, or a bullet with fields inline or below.
        let task_field = FIELD
            .captures(l.text)
            .filter(|c| column_of(&c["label"]) == Some(Column::Task));
        let bullet = BULLET.is_match(l.text);
        if task_field.is_none() && !bullet {
            i += 1;
            continue;
        }
        // The record's lines: up to a blank line, a month heading or the
        // next record.
        let mut j = i + 1;
        while j < lines.len()
            && !used[j]
            && !lines[j].is_blank()
            && month_heading(lines[j].text).is_none()
            && !BULLET.is_match(lines[j].text)
            && !FIELD
                .captures(lines[j].text)
                .is_some_and(|c| column_of(&c["label"]) == Some(Column::Task))
        {
            j += 1;
        }
        let joined = normalize(&text[l.start..lines[j - 1].end()]);
        let body = match &task_field {
            Some(_) => FIELD
                .captures(&joined)
                .and_then(|c| c.name("value").map(|v| v.start()))
                .map_or(joined.as_str(), |at| &joined[at..]),
            None => strip_item_marker(&joined),
        };
        // Split the body at its field labels: the task first, then fields.
        let mut fields: Vec<(Option<Column>, String)> = Vec::new();
        let mut last = 0;
        let mut label: Option<Column> = Some(Column::Task);
        let mut spans: Vec<(usize, usize, Option<Column>)> = Vec::new();
        for c in INLINE_FIELD.captures_iter(body) {
            let m = c.get(0).expect("whole match");
            spans.push((m.start(), m.end(), column_of(&c["label"])));
        }
        // Labels on lines of their own that INLINE_FIELD does not know
        // ("Styrkedjan: …") end the field before them.
        for line in &lines[i + 1..j] {
            if let Some(c) = FIELD.captures(line.text)
                && column_of(&c["label"]).is_none()
                && let Some(at) = body.find(&format!("{}:", c["label"].trim()))
                && !spans.iter().any(|(a, _, _)| *a <= at && at < a + 30)
            {
                spans.push((at, at + c["label"].trim().len() + 1, None));
            }
        }
        spans.sort_by_key(|s| s.0);
        for (a, b, col) in spans {
            if a < last {
                continue;
            }
            fields.push((label, body[last..a].trim().to_owned()));
            label = col;
            last = b;
        }
        fields.push((label, body[last..].trim().to_owned()));
        let get = |col: Column| {
            fields
                .iter()
                .find(|(c, v)| *c == Some(col) && !v.is_empty())
                .map(|(_, v)| v.trim_end_matches(['.', ';', ',']).trim().to_owned())
        };
        let has_fields = fields.len() > 1
            && fields.iter().any(|(c, _)| {
                matches!(
                    c,
                    Some(Column::Responsible | Column::Deadline | Column::Start | Column::Status)
                )
            });
        let Some(task) = get(Column::Task) else {
            i = j;
            continue;
        };
        if task_field.is_none() && !has_fields {
            i += 1;
            continue;
        }
        for u in used.iter_mut().take(j).skip(i) {
            *u = true;
        }
        let when = get(Column::Deadline);
        let mut deadline = when.as_deref().and_then(|w| cell_deadline(w, year));
        let mut cadence = when.as_deref().and_then(cell_cadence);
        if deadline.is_none() && cadence.is_none() {
            deadline = get(Column::Start).and_then(|w| cell_deadline(&w, year));
        }
        if deadline.is_none()
            && cadence.is_none()
            && let Some(m) = month_above
            && let Some(y) = school_year
                .map(|first| if (m as u8) >= 8 { first } else { first + 1 })
                .or_else(|| {
                    record.date.map(|date| {
                        if (m as u8) > (date.month() as u8) {
                            date.year()
                        } else {
                            date.year() + 1
                        }
                    })
                })
        {
            deadline = DateRange::month(y, m);
            // Months without a year: the same each year.
            cadence = Some("årligen".to_owned());
        }
        let evidence = normalize(&text[l.start..lines[j - 1].end()]);
        out.commitments.push(FoundCommitment {
            responsible: get(Column::Responsible)
                .map(|r| responsible_name(&r, record))
                .or_else(|| record.body.clone()),
            task: task.clone(),
            deadline,
            cadence,
            evidence: evidence.clone(),
            start: l.start,
            end: lines[j - 1].end(),
            restated: false,
        });
        if let Some(st) = get(Column::Status).and_then(|s| status_word(&s)) {
            out.statuses.push(FoundStatus {
                status: st,
                bodies: Vec::new(),
                subject: task,
                evidence,
                start: l.start,
                end: lines[j - 1].end(),
                listed: true,
                about: Some(out.commitments.len() - 1),
                cites: None,
            });
        }
        i = j;
    }
}

struct Row {
    cells: Vec<String>,
    start: usize,
    end: usize,
}

/// Rows of a table whose columns are aligned by spaces under the words of
/// its header (`pdftotext -layout`, plain-text plans): each cell belongs
/// to the header column it starts under, a line whose first column starts
/// with a capital or a digit begins a row, and the other lines continue
/// the cells of the row above ("Utbilda språkombud på samtliga särskilda"
/// / "boenden"). `None` when the body is not laid out under the header.
fn aligned_rows(header_line: &str, body: &[Line<'_>]) -> Option<Vec<Row>> {
    let t = header_line.trim();
    if t.contains('\t') || piped(t) {
        return None;
    }
    let cols: Vec<usize> = chunks(header_line).into_iter().map(|(at, _)| at).collect();
    if cols.len() < 2 {
        return None;
    }
    let near = |at: usize| cols.iter().any(|c| at + 2 >= *c && at <= c + 2);
    let placed: Vec<Vec<(usize, String)>> = body.iter().map(|l| chunks(l.text)).collect();
    let inner: Vec<usize> = placed
        .iter()
        .flatten()
        .map(|(at, _)| *at)
        .filter(|at| *at > cols[0] + 2)
        .collect();
    // Laid out in columns: cells beyond the first stand under headings.
    if inner.is_empty() || inner.iter().filter(|at| near(**at)).count() * 10 < inner.len() * 9 {
        return None;
    }
    let column = |at: usize| cols.iter().rposition(|c| *c <= at + 2).unwrap_or(0);
    let mut rows: Vec<Row> = Vec::new();
    for (l, cs) in body.iter().zip(&placed) {
        let first = cs
            .iter()
            .find(|(at, _)| column(*at) == 0)
            .map(|(_, c)| c.as_str());
        let begins = first.is_some_and(|c| {
            c.starts_with(|ch: char| ch.is_uppercase() || ch.is_ascii_digit()) || BULLET.is_match(c)
        });
        if begins || rows.is_empty() {
            rows.push(Row {
                cells: vec![String::new(); cols.len()],
                start: l.start,
                end: l.end(),
            });
        }
        let row = rows.last_mut().expect("a row");
        row.end = l.end();
        for (at, c) in cs {
            let cell = &mut row.cells[column(*at)];
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(c);
        }
    }
    Some(rows)
}

/// Rows of a table body. When every line has as many cells as the header
/// (the last may be empty), each line is a row. Otherwise the text was
/// wrapped (a PDF's narrow columns): cells are read as one stream, a line
/// that starts in lower case continues the cell before it ("Vård- och" /
/// "omsorgsnämnden"), and a row ends when it has a cell per column or at
/// its deadline cell.
fn table_rows(header: &[Option<Column>], body: &[Line<'_>], year: Option<i32>) -> Vec<Row> {
    let width = header.len();
    let line_rows = body.iter().all(|l| {
        let n = cells(l.text).len();
        has_cells(l.text) && (n == width || n + 1 == width)
    });
    if line_rows {
        let mut rows: Vec<Row> = Vec::new();
        for l in body {
            let cs = cells(l.text);
            // A first cell wrapped over two lines ("Organisera oss" /
            // "effektivt  2026  …"): the short line above is its start.
            if l.text.trim_start().starts_with(char::is_lowercase)
                && let Some(prev) = rows.last_mut()
                && prev.cells.len() < width
                && cs.len() + 1 >= width
            {
                let mut first = prev.cells.join(" ");
                first.push(' ');
                first.push_str(&cs[0]);
                prev.cells = std::iter::once(first)
                    .chain(cs[1..].iter().cloned())
                    .collect();
                prev.end = l.end();
                continue;
            }
            rows.push(Row {
                cells: cs,
                start: l.start,
                end: l.end(),
            });
        }
        // A header's second line ("(innevarande år)") is no row.
        rows.retain(|r| {
            r.cells
                .first()
                .is_some_and(|c| c.starts_with(|ch: char| ch.is_alphanumeric()))
        });
        return rows;
    }
    let deadline_last = header.last() == Some(&Some(Column::Deadline));
    let mut rows = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut start = None;
    for l in body {
        let mut cs = cells(l.text).into_iter();
        let continues = l.text.trim_start().starts_with(char::is_lowercase);
        if continues && let (Some(last), Some(first)) = (pending.last_mut(), cs.next()) {
            last.push(' ');
            last.push_str(&first);
        }
        start.get_or_insert(l.start);
        for c in cs {
            pending.push(c);
            let at_deadline = deadline_last
                && (cell_deadline(&c_last(&pending), year).is_some()
                    || cell_cadence(&c_last(&pending)).is_some());
            if pending.len() >= width || (at_deadline && pending.len() >= 2) {
                let mut cells: Vec<String> = std::mem::take(&mut pending);
                if cells.len() < width {
                    // A row short of a middle cell: the deadline stays last.
                    let when = cells.pop().unwrap_or_default();
                    cells.resize(width - 1, String::new());
                    cells.push(when);
                }
                rows.push(Row {
                    cells,
                    start: start.take().unwrap_or(l.start),
                    end: l.end(),
                });
            }
        }
    }
    if !pending.is_empty()
        && let Some(last) = body.last()
    {
        pending.resize(width, String::new());
        rows.push(Row {
            cells: pending,
            start: start.unwrap_or(last.start),
            end: last.end(),
        });
    }
    rows
}

fn c_last(cells: &[String]) -> String {
    cells.last().cloned().unwrap_or_default()
}

fn is_body(s: &str) -> bool {
    let s = s.trim();
    find_bodies(s)
        .first()
        .is_some_and(|(_, a, b)| *a == 0 && *b == s.len())
}

fn bodies_in(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (b, _, _) in find_bodies(s) {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// A responsible party as written; one body in canonical form, the
/// administration ("förvaltningen") as the board it serves.
fn responsible_name(raw: &str, record: &Record) -> String {
    let r = normalize(raw.trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace()));
    let lower = r.to_lowercase();
    if matches!(lower.as_str(), "förvaltningen" | "förvaltningarna")
        && let Some(b) = &record.body
    {
        return b.clone();
    }
    if is_body(&r) {
        return canonical_body(&r);
    }
    let mut chars = r.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => r,
    }
}

// ---------------------------------------------------------------- dates

static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)
        (?P<kw>senast|under|till|före|klart?)\s+(?:i\s+|den\s+|utgången\s+av\s+|slutet\s+av\s+)?
        (?:
            (?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)
          | (?P<d>[0-3]?\d)\s+(?P<dm>{MONTH_ALT})\s+(?P<dy>(?:19|20)\d\d)
          | (?P<m>{MONTH_ALT})\s+(?P<my>(?:19|20)\d\d)
          | (?P<y>(?:19|20)\d\d)(?-u:\b)(?:[-–/]\d)?
        )
        | (?P<bare>(?-u:\b)i\s+(?P<bm>{MONTH_ALT})\s+(?P<by>(?:19|20)\d\d))
        "
    ))
    .expect("valid regex")
});

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)(?-u:\b)(?:
            (?P<term>HT|VT|hösttermin(?:en)?|vårtermin(?:en)?|hösten|våren)\s*(?P<termy>(?:19|20)\d\d)
          | (?:Q|kvartal\s*)(?P<q>[1-4])(?:\s*(?P<qy>(?:19|20)\d\d))?
          | tertial\s*(?P<t>[1-3])(?:\s*(?P<ty>(?:19|20)\d\d))?
        )(?-u:\b)",
    )
    .expect("valid regex")
});

/// The months `first..=last` of `year` as one range.
fn months(year: i32, first: u8, last: u8) -> Option<DateRange> {
    let a = DateRange::month(year, time::Month::try_from(first).ok()?)?;
    let b = DateRange::month(year, time::Month::try_from(last).ok()?)?;
    Some(DateRange {
        start: a.start,
        end: b.end,
        precision: kedja_model::Precision::Month,
    })
}

/// A period of a year as councils write it, with its span in `s`:
/// "HT 2024" (August to December), "VT 2025" (January to June), "Q3 2024",
/// "kvartal 3", "tertial 2 2026" (May to August). Without a year, `year`
/// (the document's) is meant.
fn period_in(s: &str, year: Option<i32>) -> Option<(DateRange, usize, usize)> {
    for c in PERIOD.captures_iter(s) {
        let m = c.get(0).expect("whole match");
        let y =
            |g: &str| -> Option<i32> { c.name(g).and_then(|y| y.as_str().parse().ok()).or(year) };
        let range = if let Some(term) = c.name("term") {
            let t = term.as_str().to_lowercase();
            let y = y("termy");
            if t.starts_with('h') {
                y.and_then(|y| months(y, 8, 12))
            } else {
                y.and_then(|y| months(y, 1, 6))
            }
        } else if let Some(q) = c.name("q") {
            let q: u8 = q.as_str().parse().ok()?;
            y("qy").and_then(|y| months(y, 3 * q - 2, 3 * q))
        } else if let Some(t) = c.name("t") {
            let t: u8 = t.as_str().parse().ok()?;
            y("ty").and_then(|y| months(y, 4 * t - 3, 4 * t))
        } else {
            None
        };
        if let Some(r) = range {
            return Some((r, m.start(), m.end()));
        }
    }
    None
}

/// The deadline written in a sentence: "senast april 2017", "under 2017",
/// "senast 2022-06-30", "senast i oktober 2023", "under HT 2024", "senast
/// Q3 2025"; with `loose`, also a month named without a keyword ("… i juni
/// 2023").
fn deadline_in(s: &str, loose: bool) -> Option<DateRange> {
    static BEFORE_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:senast|under|klart?|till|i|före|utgången\s+av|slutet\s+av)\s+$")
            .expect("valid regex")
    });
    let period = period_in(s, None)
        .filter(|(_, a, _)| BEFORE_PERIOD.is_match(&s[..*a]))
        .map(|(r, a, _)| (r, a));
    let dated = deadline_by_keyword(s, loose);
    match (period, dated) {
        (Some((r, at)), Some((d, dat))) => Some(if at < dat { r } else { d }),
        (Some((r, _)), None) => Some(r),
        (None, Some((d, _))) => Some(d),
        (None, None) => None,
    }
}

fn deadline_by_keyword(s: &str, loose: bool) -> Option<(DateRange, usize)> {
    for c in WHEN.captures_iter(s) {
        let m = c.get(0).expect("whole match");
        if !crate::at_word_start(s, m.start()) {
            continue;
        }
        if c.name("bare").is_some() {
            if !loose {
                continue;
            }
            let mo = month(&c["bm"])?;
            return DateRange::month(c["by"].parse().ok()?, mo).map(|d| (d, m.start()));
        }
        let kw = c["kw"].to_lowercase();
        if let Some(iso) = c.name("iso") {
            let d = kedja_model::parse_iso_date(iso.as_str())?;
            return Some((DateRange::day(d), m.start()));
        }
        if let Some(mo) = c.name("dm").and_then(|m| month(m.as_str())) {
            let y: i32 = c["dy"].parse().ok()?;
            let d: u8 = c["d"].parse().ok()?;
            return time::Date::from_calendar_date(y, mo, d)
                .ok()
                .map(|d| (DateRange::day(d), m.start()));
        }
        if let Some(mo) = c.name("m").and_then(|m| month(m.as_str())) {
            return DateRange::month(c["my"].parse().ok()?, mo).map(|d| (d, m.start()));
        }
        if let Some(y) = c.name("y") {
            // "under 1990-talet" is a decade, not a deadline.
            if s[y.end()..].starts_with("-tal") {
                continue;
            }
            // "till 2017" and "före 2017" are not deadlines of a year.
            if kw == "till" || kw == "före" {
                continue;
            }
            return DateRange::year(y.as_str().parse().ok()?).map(|d| (d, m.start()));
        }
    }
    None
}

/// A table cell that is a date: "2023-09-30", "juni 2024", "2025", "HT
/// 2024", "Q3 2025", "senast 2025-06-30", "260401" (a date written
/// YYMMDD).
fn cell_deadline(cell: &str, year: Option<i32>) -> Option<DateRange> {
    let c = cell.trim();
    if c.is_empty() || c.len() > 40 {
        return None;
    }
    if let Some((r, a, _)) = period_in(c, year)
        && (a == 0 || deadline_in(c, false).is_none())
    {
        return Some(r);
    }
    if c.len() == 6
        && c.bytes().all(|b| b.is_ascii_digit())
        && let Some(d) =
            kedja_model::parse_iso_date(&format!("20{}-{}-{}", &c[..2], &c[2..4], &c[4..]))
    {
        return Some(DateRange::day(d));
    }
    let found = find_dates(c, year);
    if let Some(d) = found.first()
        && d.start == 0
        && d.end >= c.trim_end_matches('.').len()
    {
        return Some(d.range);
    }
    if c.len() == 4
        && let Ok(y) = c.parse::<i32>()
        && (1900..2100).contains(&y)
    {
        return DateRange::year(y);
    }
    deadline_in(c, false)
}

static CADENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)
        (?P<c>årligen|varje\s+år|en\s+gång\s+per\s+år|årsvis|kvartalsvis|varje\s+kvartal
             |halvårsvis|två\s+gånger\s+per\s+år|varje\s+månad|månadsvis|varje\s+termin)
        (?:[^.]{{0,60}}?(?-u:\b)i\s+(?P<m>{MONTH_ALT})(?-u:\b))?
        "
    ))
    .expect("valid regex")
});

/// A recurrence written in a table cell: as in running text, or
/// "Löpande" (continuous work: never overdue).
fn cell_cadence(cell: &str) -> Option<String> {
    let l = cell.trim().to_lowercase();
    if l.starts_with("löpande") || l.starts_with("kontinuerligt") || l.starts_with("fortlöpande")
    {
        return Some("löpande".to_owned());
    }
    cadence_in(cell)
}

/// A recurrence: "årligen", "årligen i mars".
fn cadence_in(s: &str) -> Option<String> {
    let c = CADENCE.captures(s)?;
    let m = c.get(0)?;
    if !crate::word_bounded(s, &m) {
        return None;
    }
    let base = normalize(&c["c"].to_lowercase());
    Some(match c.name("m") {
        // "årligen i mars 2025" names one occasion, not the recurrence.
        Some(mo)
            if !s[mo.end()..]
                .trim_start()
                .starts_with(|ch: char| ch.is_ascii_digit()) =>
        {
            format!("{base} i {}", mo.as_str().to_lowercase())
        }
        _ => base,
    })
}

// ---------------------------------------------------------------- status

static STATUS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^\s*(?:
            (?P<off>avskrivna|avskrivet|utgår|strukna|ej\s+återrapporterade\s*[–-]\s*avslutade|avbrutna)
          | (?P<done>avslutade|avslutat|genomförda|genomfört|genomförts|klara|klart|slutförda|färdiga|uppfyllda|återrapporterade)
          | (?P<ongoing>pågående|pågår|påbörjade|delvis\s+genomförda)
          | (?P<not>ej\s+påbörja\w*|inte\s+påbörja\w*|ej\s+startade|ej\s+genomförda|(?:åtgärd|åtgärder|aktivitet|aktiviteter)\s+som\s+ska\s+påbörjas|ska\s+påbörjas|planerade)
        )(?:\s+\p{L}+){0,4}(?:\s*\([^)]{1,20}\))?\s*:?\s*$",
    )
    .expect("valid regex")
});

fn heading_status(line: &str) -> Option<CommitmentStatus> {
    let t = line.trim();
    if t.len() > 60 {
        return None;
    }
    let c = STATUS_HEADING.captures(t)?;
    Some(if c.name("done").is_some() {
        CommitmentStatus::Done
    } else if c.name("ongoing").is_some() {
        CommitmentStatus::Ongoing
    } else if c.name("not").is_some() {
        CommitmentStatus::NotStarted
    } else {
        CommitmentStatus::WrittenOff
    })
}

/// Status words of a cell, checked in order: what says that work has not
/// begun, is put off or stopped comes before the words it contains ("ej
/// påbörjad, planerad start", "har inte påbörjats").
static STATUS_WORDS: LazyLock<Vec<(Regex, CommitmentStatus)>> = LazyLock::new(|| {
    use CommitmentStatus::*;
    [
        (r"^(?:ej|inte)\s|(?:ej|inte)\s+(?:påbörja|startad|inledd)|planerad\s+start|väntar\s+på", NotStarted),
        (r"skjuts\s+upp|uppskjut|senarelagd|senareläggs|flyttas\s+fram|framflyttad", Postponed),
        (r"^(?:avbryts|avbrut|avskriv|utgår|stryks|struken|strukits)", WrittenOff),
        (r"^(?:pågår|pågående|påbörjad|delvis|försenad|kvarstår|under\s+arbete|i\s+arbete)|\spågår", Ongoing),
        (r"^(?:klar|genomför|avslutad|slutför|färdig|uppfylld|driftsatt|åtgärdad|verkställd|infört|införd)", Done),
    ]
    .into_iter()
    .map(|(p, s)| (Regex::new(&format!("(?i){p}")).expect("valid regex"), s))
    .collect()
});

/// A status cell: "Klar", "Pågår", "Ej påbörjad", "Har inte påbörjats",
/// "Skjuts upp", "Avbryts", "Väntar på beslut", "Upphandling pågår".
fn status_word(cell: &str) -> Option<CommitmentStatus> {
    let l = cell.trim().to_lowercase();
    let l = l.trim_start_matches(|c: char| !c.is_alphanumeric());
    STATUS_WORDS
        .iter()
        .find(|(re, _)| re.is_match(l))
        .map(|(_, st)| *st)
}

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[•·▪◦*–-]|\d{1,2}[.)])\s+").expect("valid regex"));

/// Items under status headings: each bullet (with its indented
/// continuation lines) is a status statement with the heading's status.
fn status_sections(text: &str, lines: &[Line<'_>], used: &mut [bool], out: &mut CommitmentText) {
    let mut i = 0;
    while i < lines.len() {
        let Some(status) = (!used[i]).then(|| heading_status(lines[i].text)).flatten() else {
            i += 1;
            continue;
        };
        used[i] = true;
        let mut j = i + 1;
        let mut item: Option<(usize, usize)> = None;
        let flush = |item: Option<(usize, usize)>, out: &mut CommitmentText| {
            let Some((a, b)) = item else { return };
            let raw = &text[a..b];
            let body = BULLET.replace(raw.trim_start(), "");
            let evidence = normalize(&body);
            let parts = sentences(&evidence);
            // A bullet line followed by indented lines is a heading of its
            // own ("• Presentera ytterligare åtgärder" / "  Åtgärderna
            // presenterades …").
            let first_line =
                normalize(&BULLET.replace(raw.trim_start().lines().next().unwrap_or(""), ""));
            let subject = if raw.trim_end().contains('\n') {
                first_line
            } else {
                first_sentence(&evidence)
            };
            out.statuses.push(FoundStatus {
                status,
                bodies: bodies_in(&evidence),
                subject,
                evidence: evidence.clone(),
                start: a,
                end: b,
                listed: true,
                about: None,
                cites: None,
            });
            // A later sentence of the item with a status of its own may be
            // about another point ("Planen är implementerad och all
            // personal … har utbildats").
            for (x, y) in parts.into_iter().skip(1) {
                let sentence = evidence[x..y].trim();
                if let Some(st) = cue_status(sentence) {
                    out.statuses.push(FoundStatus {
                        status: st,
                        bodies: bodies_in(sentence),
                        subject: sentence.to_owned(),
                        evidence: sentence.to_owned(),
                        start: a,
                        end: b,
                        listed: false,
                        about: None,
                        cites: None,
                    });
                }
            }
        };
        // Items may also be records of a register, each under its
        // diarienummer ("2016.157" / "BUN Nuläge och …").
        static DNR_LINE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\s*(?:19|20)\d\d[.:/]\d{1,4}\s*$").expect("valid regex")
        });
        static REGISTER_HEADER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?i)^\s*dnr\s").expect("valid regex"));
        let mut register = false;
        while j < lines.len() {
            let l = lines[j];
            if l.is_blank() {
                j += 1;
                continue;
            }
            static SECTION_END: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(
                    r"(?i)^\s*(?:(?:förslag\s+till\s+)?beslut\s*:?\s*$|expedieras|beslutsunderlag)",
                )
                .expect("valid regex")
            });
            if heading_status(l.text).is_some()
                || NUMBERED_HEADING.is_match(l.text)
                || (register && SECTION_END.is_match(l.text))
            {
                break;
            }
            if item.is_none() && !register && REGISTER_HEADER.is_match(l.text) {
                used[j] = true;
                j += 1;
                continue;
            }
            if DNR_LINE.is_match(l.text) {
                flush_register(text, item.take(), status, out);
                register = true;
                used[j] = true;
                j += 1;
                if j < lines.len() {
                    item = Some((lines[j].start, lines[j].end()));
                    used[j] = true;
                    j += 1;
                }
                continue;
            }
            if register {
                if let Some((_, b)) = item.as_mut() {
                    *b = l.end();
                }
            } else if BULLET.is_match(l.text) {
                flush(item.take(), out);
                item = Some((l.start, l.end()));
            } else if l.text.starts_with([' ', '\t']) && item.is_some() {
                if let Some((_, b)) = item.as_mut() {
                    *b = l.end();
                }
            } else {
                break;
            }
            used[j] = true;
            j += 1;
        }
        if register {
            flush_register(text, item.take(), status, out);
        } else {
            flush(item.take(), out);
        }
        i = j;
    }
}

/// A record of a register under a status heading: its text without the
/// body's abbreviation before it and the date after it, a point with that
/// status; for work still to be done the date is when it is due.
fn flush_register(
    text: &str,
    item: Option<(usize, usize)>,
    status: CommitmentStatus,
    out: &mut CommitmentText,
) {
    static ABBREVIATION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{Lu}{2,6}\s+").expect("valid regex"));
    static TRAILING_WHEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\s*(?:(?:19|20)\d\d-\d\d-\d\d|(?:våren|hösten|{MONTH_ALT})\s+(?:19|20)\d\d)\s*$"
        ))
        .expect("valid regex")
    });
    let Some((a, b)) = item else { return };
    let evidence = normalize(&text[a..b]);
    let body = ABBREVIATION.replace(&evidence, "").into_owned();
    let when = TRAILING_WHEN.find(&body);
    let mut subject = match when {
        Some(m) => body[..m.start()].trim().to_owned(),
        None => body.clone(),
    };
    // A note in brackets is no part of the task's name.
    if let Some(at) = subject.find(" (") {
        subject.truncate(at);
    }
    let due = when
        .filter(|_| {
            matches!(
                status,
                CommitmentStatus::Ongoing | CommitmentStatus::NotStarted
            )
        })
        .and_then(|m| cell_deadline(m.as_str().trim(), None));
    out.statuses.push(FoundStatus {
        status,
        bodies: Vec::new(),
        subject,
        evidence,
        start: a,
        end: b,
        listed: true,
        about: None,
        cites: None,
    });
    out.point_deadlines.push((out.statuses.len() - 1, due));
}

fn first_sentence(s: &str) -> String {
    sentences(s)
        .first()
        .map(|(a, b)| s[*a..*b].trim().to_owned())
        .unwrap_or_default()
}

/// Sentence spans: a sentence ends at ".", "!" or "?" before a space and a
/// capital letter or a digit, or at the end.
fn sentences(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') && i + 2 < bytes.len() && bytes[i + 1] == b' ' {
            let next = s[i + 2..].chars().next().unwrap_or(' ');
            let prev_word = s[start..i].rsplit(' ').next().unwrap_or("");
            // "ex.", "bl.a.", "§ 88." inside a sentence are not ends.
            let abbreviation =
                prev_word.len() <= 3 && prev_word.chars().all(|c| c.is_lowercase() || c == '.');
            if (next.is_uppercase() || next.is_ascii_digit() || next == '•') && !abbreviation {
                out.push((start, i + 1));
                start = i + 2;
            }
        }
        i += 1;
    }
    if start < s.len() && !s[start..].trim().is_empty() {
        out.push((start, s.len()));
    }
    out
}

/// Status cues in running text, strongest first. Each is (pattern, status).
static CUES: LazyLock<Vec<(Regex, CommitmentStatus)>> = LazyLock::new(|| {
    use CommitmentStatus::*;
    [
        // A decision that closes an assignment: "anse uppdraget
        // slutfört", "anser uppdraget från 2024-02-12, § 16, genomfört",
        // "uppdraget är därmed klart".
        (
            r"\banse[rs]?\s+(?:\S+\s+){0,12}?(?:genomför[dt]|avslutad?t?|slutför[dt]|klart|fullgjort|besvarad)|(?:motionen|medborgarförslaget|initiativet|initiativärendet)\s+(?:avslås|bifalls|anses\s+(?:vara\s+)?besvarad)|(?:avslår|bifaller|tillstyrker|avstyrker)\s+(?:\S+\s+){0,2}?(?:motionen|medborgarförslaget|initiativet)|uppdrag(?:et)?\s+(?:\S+\s+){0,10}?(?:är|anses)\s+(?:därmed\s+|nu\s+)?(?:genomfört|klart|slutfört|avslutat|fullgjort)",
            Done,
        ),
        (
            r"avskriv|kommer\s+inte\s+att\s+genomföras|avslutas\s+utan|\bavbryts|ska\s+utgå\b|togs\s+bort|kommer\s+inte\s+(?:ärendet\s+)?att\s+följas\s+upp",
            WrittenOff,
        ),
        (
            r"inte\s+(?:har\s+)?(?:påbörjat|påbörjats|startat|inlett)|ej\s+påbörja|ännu\s+inte\s+påbörja|planerar\s+start|har\s+inte\s+kunnat\s+(?:påbörjas|starta)",
            NotStarted,
        ),
        (
            r"skjuts\s+upp|har\s+skjutits\s+upp|senareläggs|har\s+senarelagts|flyttas\s+fram|återremitteras",
            Postponed,
        ),
        (
            r"inte\s+(?:har\s+)?(?:uppfyllts|nåtts|hållits|genomförts)|delvis|pågår|pågående|under\s+framtagande|testas|återstående|återstår|lanseras|(?-u:\b)\d+\s+av\s+\d+(?-u:\b)|tre\s+av\s+fem|två\s+av\s+|fyra\s+av\s+",
            Ongoing,
        ),
        (
            r"uppdraget\s+(?:är\s+)?avslutat|är\s+svaret\s+på|genomfördes|har\s+genomförts|är\s+genomförd|är\s+implementerad|har\s+antagits|antogs\s+av|tillträdde|är\s+klar|har\s+slutförts|har\s+tagits\s+fram|utgör\s+(?:den|denna)\s+(?:åter)?(?:redovisning|rapportering)|godkänner\s+(?:åter)?(?:rapporteringen|redovisningen)|infördes|färdigställdes|har\s+färdigställts|bedöms\s+(?:\S+\s+){0,2}vara\s+åtgärdad",
            Done,
        ),
    ]
    .into_iter()
    .map(|(p, s)| (Regex::new(&format!("(?i){p}")).expect("valid regex"), s))
    .collect()
});

fn cue_status(sentence: &str) -> Option<CommitmentStatus> {
    cue_status_at(sentence).map(|(s, _)| s)
}

/// The status a sentence states and where its status words begin.
fn cue_status_at(sentence: &str) -> Option<(CommitmentStatus, usize)> {
    static INDIRECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:hur|huruvida|vad\s+som)(?-u:\b)").expect("valid regex")
    });
    // "… en återrapportering av hur uppdragen har genomförts" says what a
    // report is about, not what it reports; a member's proposal or a
    // question put to the meeting ("(C) föreslår att ärendet
    // återremitteras", "frågar om ärendet ska återremitteras") is not yet
    // decided.
    static PROPOSED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\)\s+föreslår|\byrkar\b|\bfrågar\s+om\b").expect("valid regex")
    });
    if INDIRECT.is_match(sentence) || PROPOSED.is_match(sentence) {
        return None;
    }
    CUES.iter()
        .find_map(|(re, s)| re.find(sentence).map(|m| (*s, m.start())))
}

/// A statement about "the assignment" itself, not a named part of it.
static WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:det|detta|hela)\s+uppdraget|uppdraget\s+(?:är\s+)?avslutat|svaret\s+på\s+(?:det|detta)\s+uppdrag|anse[rs]?\s+(?:\S+\s+){0,2}?uppdraget|uppdraget\s+(?:från|enligt)\s|utgör\s+(?:den|denna)\s+(?:åter)?(?:redovisning|rapportering)|godkänner\s+(?:åter)?(?:rapporteringen|redovisningen)")
        .expect("valid regex")
});

// ---------------------------------------------------------------- prose

static ASSIGN_GIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)(?-u:\b)(?P<verb>ger|ge|gav|har\s+gett|har\s+givit|uppdrar\s+åt|uppdrog\s+åt)\s+(?P<resp>[^.;:]{2,160}?)\s+(?:i\s+)?uppdrag(?:et)?\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

static ASSIGN_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:att\s+)?(?P<resp>[^.;:]{2,200}?)\s+(?P<verb>ges|gavs|får|fick|har\s+fått)\s+(?:i\s+)?uppdrag(?:et)?\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

static ASSIGN_INVERTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)\b(?P<verb>får|fick|ges|gavs)\s+(?P<resp>[\p{L}-]+(?:\s+[\p{L}-]+){0,5}?)\s+(?:i\s+)?uppdrag(?:et)?\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

static ASSIGN_UPPDRA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)\b(?P<verb>uppdra|uppdrar|uppdrog|uppdras|uppdrogs)\s+åt\s+(?P<resp>[^.;:]{2,100}?)\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

/// A matter sent to a body to be prepared or completed: "Motionen lämnas
/// till kommunstyrelsen för beredning", "beslutar att lämna
/// initiativärendet till kommunledningskontoret för beredning", "Ärendet
/// återremitteras till tekniska nämnden för komplettering …". The task is
/// the clause as written; the body it goes to is responsible.
fn referral(clause: &str, record: &Record) -> Option<(String, String, bool)> {
    static SENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)\b(?P<verb>lämna[rs]?|lämnades|överlämna[rs]?|överlämnades|remittera[rs]?|remitterades|återremittera[rs]?|återremitterades|skicka[rs]?)\s+(?:[^.;:]{0,80}?\s+)?till\s+(?P<resp>[^.;:]{2,80}?)\s+(?:för|att)\s+(?P<for>beredning|vidare\s+beredning|yttrande|handläggning|besvarande|komplettering|ställningstagande|åtgärd)\b",
        )
        .expect("valid regex")
    });
    let c = SENT.captures(clause)?;
    let resp = clean_responsible(&c["resp"]);
    if resp.is_empty() || resp.split_whitespace().count() > 6 {
        return None;
    }
    let verb = c["verb"].to_lowercase();
    let past = verb.ends_with("ades");
    // From the matter named before the verb: "Motionen lämnas …".
    let from = clause[..c.get(0)?.start()]
        .rfind(['.', ';', ':'])
        .map_or(0, |i| i + 1);
    let lead = clause[from..c.get(0)?.start()].trim();
    let task = if lead.split_whitespace().count() <= 3 {
        &clause[from..]
    } else {
        &clause[c.get(0)?.start()..]
    };
    Some((
        responsible_name(&resp, record),
        task.trim().to_owned(),
        past,
    ))
}

static POINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:den\s+\p{L}+\s+punkten|en\s+\p{L}+\s+punkt|punkt\s+\d+|den\s+sista\s+punkten)\s+(?:var|är|gällde|handlade\s+om)\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

/// When the task is to report back to a body ("återrapportera till
/// kommunfullmäktige …") and the text says that body approved or received
/// such a report ("Kommunfullmäktige godkände den 12 juni en
/// avrapportering"), the sentence that says so.
fn reported_back(text: &str, task: &str) -> Option<String> {
    static REPORT_TASK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:åter|av)?(?:rapportera|redovisa)\s+(?:till|för)\s+(?P<to>\S+(?:\s+och\s+\S+)?)")
            .expect("valid regex")
    });
    static RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:godkände|godkänt|tog\s+emot|har\s+tagit\s+emot|behandlade|noterade)(?-u:\b)[^.]{0,80}?(?:återrapportering|avrapportering|redovisning|återredovisning)")
            .expect("valid regex")
    });
    let to = canonical_body(&REPORT_TASK.captures(task)?["to"]);
    text.split("\n\n").map(normalize).find_map(|para| {
        sentences(&para).into_iter().find_map(|(a, b)| {
            let s = para[a..b].trim();
            let by = find_bodies(s).first().map(|(x, _, _)| x.clone());
            (by.as_deref() == Some(to.as_str()) && RECEIVED.is_match(s)).then(|| s.to_owned())
        })
    })
}

/// Words that make a sentence an obligation rather than a description.
static OBLIGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:ska|skall|skulle|senast|uppdrag|implementeras|återredovisas|återrapporteras)(?-u:\b)")
        .expect("valid regex")
});

static REPORT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)redovisa|rapporter|följ(?:a|s|er)?\s+upp|uppföljning|utvärder|revider|ses\s+över",
    )
    .expect("valid regex")
});

/// An occasion that recurs with the budget year ("i samband med
/// årsredovisningen"): when a report is due, without a date.
static OCCASION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)i\s+samband\s+med\s+(?:\p{L}+\s+)?(?:årsredovisning|bokslut|delårsrapport|delårsbokslut|tertialrapport|tertialuppföljning|budget|verksamhetsberättelse|årsbokslut)")
        .expect("valid regex")
});

static REPORT_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:redovisas|rapporteras|återrapporteras|återredovisas|följs\s+upp|följer\s+upp|redovisar|rapporterar|återrapporterar|utvärderas|revideras|ses\s+över)\b")
        .expect("valid regex")
});

static LED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)ledas\s+av\s+(?P<r>[^.,;]+?)(?:\s+med\s+stöd|[.,;]|$)").expect("valid regex")
});

/// The byte span of a protocol §'s "Beslut" part: from its heading to the
/// next heading of a § ("Expedieras", "Beslutsunderlag", "Reservation", …).
fn decision_part(lines: &[Line<'_>]) -> Option<(usize, usize)> {
    static DECISION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:\p{L}+s\s+)?beslut\s*:?\s*$").expect("valid regex")
    });
    static NEXT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:expedieras|expediering|beslutsunderlag|anteckning|protokollsanteckning|reservation|yrkanden?|propositionsordning|omröstning|jäv|justerandes|ärendebeskrivning|beredning|sammanfattning|bakgrund)(?-u:\b)")
            .expect("valid regex")
    });
    let at = lines.iter().position(|l| DECISION.is_match(l.text))?;
    let end = lines[at + 1..]
        .iter()
        .find(|l| NEXT.is_match(l.text))
        .map_or_else(|| lines.last().map_or(0, |l| l.end()), |l| l.start);
    Some((lines[at].start, end))
}

/// Sentences of running text: assignments, deadlines, recurring reports,
/// and (in any kind) status cues. In a protocol's § with a "Beslut" part
/// (`decided`), only that part decides: elsewhere only assignments told as
/// given earlier are taken, for they may be known from nowhere else.
#[allow(clippy::too_many_arguments)]
fn prose(
    text: &str,
    lines: &[Line<'_>],
    used: &[bool],
    record: &Record,
    reporting: bool,
    decided: Option<(usize, usize)>,
    out: &mut CommitmentText,
) {
    // The last assignment still without a deadline, and how many units ago.
    let mut open: Option<(usize, usize)> = None;
    for (n, unit) in units(lines, used).into_iter().enumerate() {
        let deciding = decided.is_none_or(|(a, b)| unit.0 >= a && unit.0 < b);
        let u = &text[unit.0..unit.1];
        let norm = normalize(u);
        let norm = strip_item_marker(&norm);
        if norm.ends_with('?') {
            continue;
        }
        let mut unit_commitment: Option<usize> = None;
        // An interpellation argues in running text; only what it lists
        // (a quoted initiative's numbered points) or states as an
        // assignment is taken for a commitment.
        let listed = BULLET.is_match(u) || u.trim_start().starts_with("att ");
        let prose_ok = record.kind != DocKind::Interpellation || listed;
        for clause in clauses(norm) {
            let clause = clause.trim().trim_end_matches([',', ';']).trim();
            if clause.is_empty() || clause.ends_with('?') {
                continue;
            }
            let found = assignment(clause, record)
                .map(|(resp, task, restated)| (Some(resp), task, restated || past_tense(clause)))
                .filter(|(_, _, restated)| deciding || *restated);
            let prose_ok = prose_ok && deciding;
            let deadline = deadline_in(clause, false);
            // A recurrence is promised when the sentence obliges or a report
            // is to be given ("redovisas årligen"), not when it describes
            // ("kostnaderna ökar årligen", "uppföljningen sker årligen").
            let cadence = cadence_in(clause)
                .filter(|_| REPORT_VERB.is_match(clause))
                .filter(|_| OBLIGATION.is_match(clause) || REPORT_PASSIVE.is_match(clause));
            let obliged = OBLIGATION.is_match(clause);
            match found {
                Some((_, task, _))
                    if out
                        .commitments
                        .iter()
                        .any(|c| c.task.eq_ignore_ascii_case(&task_text(&task))) =>
                {
                    // The same assignment told again (the case's description
                    // and the decision): one commitment.
                    unit_commitment = out
                        .commitments
                        .iter()
                        .position(|c| c.task.eq_ignore_ascii_case(&task_text(&task)));
                }
                Some((resp, task, restated)) => {
                    out.commitments.push(FoundCommitment {
                        responsible: resp,
                        deadline: deadline.or_else(|| deadline_in(&task, false)),
                        task: task_text(&task),
                        cadence: None,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated,
                    });
                    let k = out.commitments.len() - 1;
                    unit_commitment = Some(k);
                    open = out.commitments[k].deadline.is_none().then_some((k, n));
                }
                None if reporting => {
                    // "Den sjunde punkten var att återrapportera … i juni
                    // 2023": a point of the assignment named in running text.
                    if let Some(c) = POINT.captures(clause) {
                        let task = task_text(&c["task"]);
                        let (status, evidence) = match reported_back(text, &task) {
                            Some(said) => (CommitmentStatus::Done, format!("{clause} … {said}")),
                            None => (CommitmentStatus::Unknown, clause.to_owned()),
                        };
                        out.statuses.push(FoundStatus {
                            status,
                            subject: task.clone(),
                            // The body named is the one reported to.
                            bodies: Vec::new(),
                            evidence,
                            start: unit.0,
                            end: unit.1,
                            listed: true,
                            about: None,
                            cites: None,
                        });
                        out.point_deadlines
                            .push((out.statuses.len() - 1, deadline_in(&task, true)));
                    }
                }
                // A status report with a date ("skjuts upp till
                // 2026-09-01") states no new obligation.
                None if deadline.is_some()
                    && obliged
                    && prose_ok
                    && cue_status(clause).is_none() =>
                {
                    // A deadline for the assignment just made ("Uppdraget
                    // ska återrapporteras … senast i oktober 2023"), or for
                    // the work this item describes.
                    // A sentence whose subject is another party states an
                    // obligation of its own.
                    let other_party = party_subject(clause).is_some_and(|(p, _)| {
                        let p = responsible_name(&p, record);
                        open.is_some_and(|(k, _)| {
                            out.commitments[k].responsible.as_deref() != Some(p.as_str())
                        })
                    });
                    if let Some((k, _)) = open.filter(|(_, at)| n - at <= 2 && !other_party) {
                        out.commitments[k].deadline = deadline;
                        out.commitments[k].evidence.push(' ');
                        out.commitments[k].evidence.push_str(clause);
                        out.commitments[k].end = unit.1;
                        open = None;
                    } else if let Some(k) =
                        unit_commitment.filter(|k| out.commitments[*k].deadline.is_none())
                    {
                        out.commitments[k].deadline = deadline;
                    } else {
                        let first = first_sentence(norm);
                        let first = first.split(": ").next().unwrap_or("").to_owned();
                        // An item names its task first; a sentence after
                        // the unit's assignment is a task of its own.
                        let task = if first.is_empty() || unit_commitment.is_some() {
                            clause
                        } else {
                            &first
                        };
                        let (responsible, task) = match party_subject(clause) {
                            Some((p, rest)) => (Some(responsible_name(&p, record)), rest),
                            None => (responsible_of(norm, record), task.to_owned()),
                        };
                        out.commitments.push(FoundCommitment {
                            responsible,
                            task: task_text(&task),
                            deadline,
                            cadence: None,
                            evidence: norm.to_owned(),
                            start: unit.0,
                            end: unit.1,
                            restated: past_tense(clause),
                        });
                        unit_commitment = Some(out.commitments.len() - 1);
                    }
                }
                None if (cadence.is_some()
                    || (OCCASION.is_match(clause)
                        && (record.kind == DocKind::Plan || OBLIGATION.is_match(clause))))
                    && REPORT_VERB.is_match(clause)
                    && prose_ok =>
                {
                    let (responsible, task) = match party_subject(clause) {
                        Some((p, rest)) => (Some(responsible_name(&p, record)), rest),
                        None => (
                            find_bodies(clause)
                                .first()
                                .map(|(b, _, _)| b.clone())
                                .or_else(|| record.body.clone()),
                            clause.to_owned(),
                        ),
                    };
                    out.commitments.push(FoundCommitment {
                        responsible,
                        task: task_text(&task),
                        deadline: None,
                        cadence,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated: false,
                    });
                }
                // "… uppdra åt presidiet att ta fram ett förslag samt att
                // arbetsordningen ska ses över": a second task of the same
                // assignment.
                None if obliged
                    && prose_ok
                    && (clause.starts_with("samt att ") || clause.starts_with("och att "))
                    && unit_commitment.is_some() =>
                {
                    let k = unit_commitment.expect("checked");
                    let task = clause
                        .trim_start_matches("samt att ")
                        .trim_start_matches("och att ");
                    let c = FoundCommitment {
                        responsible: out.commitments[k].responsible.clone(),
                        task: task_text(task),
                        deadline: None,
                        cadence: None,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated: out.commitments[k].restated,
                    };
                    out.commitments.push(c);
                }
                None => {}
            }
            if let Some((status, at)) = cue_status_at(clause) {
                let cites = cited_decision(clause);
                // "the assignment" is the one this text restates, else the
                // last one it states.
                let about = (WHOLE.is_match(clause) && cites.is_none())
                    .then(|| {
                        let before = |c: &FoundCommitment| c.start <= unit.0;
                        out.commitments
                            .iter()
                            .rposition(|c| before(c) && c.restated)
                            .or_else(|| out.commitments.iter().rposition(before))
                    })
                    .flatten();
                // What the statement is about stands before its status
                // words ("Rekryteringsmässan avbryts"); a bare verb phrase
                // keeps the whole clause.
                let head = clause[..at].trim();
                let subject = if head.split_whitespace().count() >= 1
                    && head.starts_with(char::is_uppercase)
                    && at > 0
                {
                    head.to_owned()
                } else {
                    clause.to_owned()
                };
                out.statuses.push(FoundStatus {
                    status,
                    subject,
                    bodies: bodies_in(clause),
                    evidence: clause.to_owned(),
                    start: unit.0,
                    end: unit.1,
                    listed: false,
                    about,
                    cites,
                });
            }
        }
    }
}

/// The sentence of a follow-up report that names the follow-up ("den
/// första årliga uppföljningen av …", or a title "Uppföljning av …").
fn report_line(text: &str, lines: &[Line<'_>]) -> Option<String> {
    let all: Vec<String> = units(lines, &vec![false; lines.len()])
        .into_iter()
        .flat_map(|(a, b)| {
            let u = normalize(&text[a..b]);
            sentences(&u)
                .into_iter()
                .map(|(x, y)| u[x..y].trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let lower = |s: &String| s.to_lowercase();
    all.iter()
        .find(|s| {
            let l = lower(s);
            (l.contains("årlig") || l.contains("årsvis")) && l.contains("uppföljning")
        })
        .or_else(|| all.iter().find(|s| lower(s).contains("uppföljning")))
        .cloned()
}

fn past_tense(clause: &str) -> bool {
    static PAST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:skulle|beslutade|gav|gavs|fick|har\s+fått)(?-u:\b)")
            .expect("valid regex")
    });
    PAST.is_match(clause)
}

/// An assignment in a clause: (responsible, task, told as past). What a
/// motion or a proposal asks for ("Motionären föreslår att X ges i uppdrag
/// att …", "yrkar att …") is not given until it is decided.
fn assignment(clause: &str, record: &Record) -> Option<(String, String, bool)> {
    static PROPOSES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:föreslår|föreslås|föreslog|yrkar|yrkade|hemställer|vill\s+att|begär\s+att|motionären|motionärerna|förslagsställaren)\b")
            .expect("valid regex")
    });
    let head = clause
        .find("uppdrag")
        .or_else(|| clause.find(" till "))
        .map_or(clause, |at| &clause[..at]);
    if PROPOSES.is_match(head) {
        return None;
    }
    if let Some(c) = ASSIGN_PASSIVE.captures(clause) {
        let resp = clean_responsible(&c["resp"]);
        if !resp.is_empty() {
            let past = matches!(
                c["verb"].to_lowercase().as_str(),
                "gavs" | "fick" | "har fått"
            );
            return Some((responsible_name(&resp, record), c["task"].to_owned(), past));
        }
    }
    // The verb before its subject ("Då platser försvinner får
    // förvaltningen i uppdrag att …") and "uppdra åt X att …".
    static INVERTING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:att\s+)?(?:då|när|om|eftersom|därför|vidare|dessutom|samtidigt|slutligen|därutöver|med\s+anledning|i\s+samband|efter|inför|utöver)\b|,\s*$")
            .expect("valid regex")
    });
    for re in [&*ASSIGN_INVERTED, &*ASSIGN_UPPDRA] {
        if let Some(c) = re.captures(clause) {
            let before = &clause[..c.get(0).map_or(0, |m| m.start())];
            if std::ptr::eq(re, &*ASSIGN_INVERTED)
                && !INVERTING.is_match(before.trim_end_matches(' '))
            {
                continue;
            }
            let resp = clean_responsible(&c["resp"]);
            if !resp.is_empty() && resp.split_whitespace().count() <= 6 {
                let verb = c["verb"].to_lowercase();
                let past = matches!(verb.as_str(), "gavs" | "fick" | "uppdrog" | "uppdrogs");
                return Some((responsible_name(&resp, record), c["task"].to_owned(), past));
            }
        }
    }
    if let Some(r) = referral(clause, record) {
        return Some(r);
    }
    let c = ASSIGN_GIVE.captures(clause)?;
    let resp = clean_responsible(&c["resp"]);
    if resp.is_empty() {
        return None;
    }
    let verb = c["verb"].to_lowercase();
    let past = verb.starts_with("gav") || verb.starts_with("har") || verb.starts_with("uppdrog");
    Some((responsible_name(&resp, record), c["task"].to_owned(), past))
}

/// "den 28 september 2020 samhällsbyggnadsnämnden" → "samhällsbyggnadsnämnden";
/// "2022 kommunstyrelsen" → "kommunstyrelsen"; "(§ 88) kommunstyrelsen" too.
fn clean_responsible(raw: &str) -> String {
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?xi)^(?:\s*(?:den\s+\d{{1,2}}\s+(?:{MONTH_ALT})(?:\s+\d{{4}})?|\d{{4}}-\d\d-\d\d|\d{{4}}|\(§\s*\d+\)|§\s*\d+|också|även|därför|nu)\s*,?)+"
        ))
        .expect("valid regex")
    });
    let s = LEAD.replace(raw.trim(), "");
    let s = s.trim();
    let s = s.strip_prefix("att ").unwrap_or(s);
    // "… förslag förts fram om att Energimyndigheten": the party is what
    // follows the last clause word.
    let lower = crate::lowercase_keeping_offsets(s);
    let cut = [" att ", " som ", " om ", " varför ", " då ", " när "]
        .iter()
        .filter_map(|w| lower.rfind(w).map(|i| i + w.len()))
        .max()
        .unwrap_or(0);
    let s = s[cut..]
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let words: Vec<&str> = s.split_whitespace().collect();
    // A modal ("bör få i uppdrag", "skulle kunna ges") proposes or
    // supposes; a long phrase is a sentence, not a party.
    let modal = words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "bör" | "borde" | "kan" | "kunde" | "skulle" | "vill" | "måste" | "kunna"
                // "… inte fick i uppdrag", "en samordnare som får i uppdrag"
                | "inte" | "ej" | "aldrig" | "som" | "att" | "om"
        )
    });
    if modal || words.len() > 24 || words.is_empty() {
        return String::new();
    }
    s.to_owned()
}

/// The task without a trailing deadline clause's comma and the like, and
/// without a deadline written before it ("senast 2025-06-30 redovisa …").
fn task_text(raw: &str) -> String {
    let t = normalize(raw);
    let t = t.trim_end_matches(['.', ',', ';', ':', '”', '"']);
    let t = t.strip_prefix("att ").unwrap_or(t);
    let t = match WHEN.find(t) {
        Some(m) if m.start() == 0 && t[m.end()..].starts_with(' ') => t[m.end()..].trim_start(),
        _ => t,
    };
    t.trim().to_owned()
}

/// Words that end the name of who carries out work: a body, an office,
/// a unit or an officer ("förvaltningen", "HR-chefen", "kommundirektören",
/// "miljöstrategen").
const PARTY_ENDINGS: &[&str] = &[
    "förvaltningen",
    "förvaltningarna",
    "nämnden",
    "nämnderna",
    "styrelsen",
    "fullmäktige",
    "kontoret",
    "enheten",
    "avdelningen",
    "sekretariatet",
    "chefen",
    "chef",
    "direktören",
    "direktör",
    "strategen",
    "samordnaren",
    "controllern",
    "controller",
    "handläggaren",
    "rådgivningen",
    "bolaget",
];

/// The one who carries out what a sentence says, when the sentence
/// begins with it and a verb follows ("Förvaltningen återrapporterar …",
/// "Kommundirektören ska revidera …"): the party and the rest, without
/// "ska".
fn party_subject(clause: &str) -> Option<(String, String)> {
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<p>\p{Lu}[\p{L}-]*(?:\s+(?:och\s+)?[\p{L}-]+){0,3}?)\s+(?:(?:ska|skall)\s+)?(?P<rest>\p{Ll}\p{L}*(?:r|s)\s.+|\p{Ll}\p{L}*a\s.+)$")
            .expect("valid regex")
    });
    let c = SUBJECT.captures(clause.trim())?;
    let p = c["p"].trim();
    let last = p.rsplit(' ').next().unwrap_or(p).to_lowercase();
    let party = is_body(p) || PARTY_ENDINGS.iter().any(|e| last.ends_with(e));
    if !party {
        return None;
    }
    let rest = &c["rest"];
    // "ska" must come before an infinitive; a present verb stands alone.
    let modal = clause[p.len()..].trim_start().starts_with("sk");
    if !modal && !rest.split(' ').next().is_some_and(|v| v.ends_with('r')) {
        return None;
    }
    Some((p.to_owned(), rest.to_owned()))
}

/// Who carries a deadline-bearing item with no assignment: who leads it
/// ("Arbetet ska ledas av kommunledningskontoret"), or the body it names first.
fn responsible_of(item: &str, record: &Record) -> Option<String> {
    if let Some(c) = LED_BY.captures(item) {
        return Some(responsible_name(&c["r"], record));
    }
    find_bodies(item)
        .first()
        .map(|(b, _, _)| b.clone())
        .or_else(|| record.body.clone())
}

fn strip_item_marker(s: &str) -> &str {
    match BULLET.find(s) {
        Some(m) if m.start() == 0 => &s[m.end()..],
        _ => s,
    }
}

/// Units of running text: list items (bulleted, numbered, or decision
/// clauses that start a line with "att"), else paragraphs. Lines used by
/// tables and status sections are skipped.
fn units(lines: &[Line<'_>], used: &[bool]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    let mut prev: &str = "";
    for (i, l) in lines.iter().enumerate() {
        if used[i] || l.is_blank() {
            if let Some(u) = cur.take() {
                out.push(u);
            }
            prev = "";
            continue;
        }
        let t = l.text.trim();
        let att_item = t.starts_with("att ")
            && (prev.is_empty()
                || prev.ends_with([',', ';', ':', '.'])
                || prev.ends_with("beslutar")
                || prev.ends_with("besluta"));
        let starts_item = BULLET.is_match(l.text) || att_item;
        match cur.as_mut() {
            Some(u) if !starts_item => u.1 = l.end(),
            _ => {
                if let Some(u) = cur.take() {
                    out.push(u);
                }
                cur = Some((l.start, l.end()));
            }
        }
        prev = t;
    }
    if let Some(u) = cur {
        out.push(u);
    }
    out
}

/// Sentences of a unit, each split further at ", och att" / ", att" where
/// one sentence carries two decisions.
fn clauses(unit: &str) -> Vec<&str> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",?\s+(?:och|samt)\s+att\s+|,\s+att\s+").expect("valid regex")
    });
    let mut out = Vec::new();
    for (a, b) in sentences(unit) {
        let s = &unit[a..b];
        let mut last = 0;
        for m in SPLIT.find_iter(s) {
            // Split only when both halves make a decision of their own.
            let left = &s[last..m.start()];
            let right = &s[m.end()..];
            let assigns = ASSIGN_GIVE.is_match(left)
                || ASSIGN_UPPDRA.is_match(left)
                || ASSIGN_PASSIVE.is_match(left)
                || ASSIGN_INVERTED.is_match(left);
            if (deadline_in(left, false).is_some() || assigns)
                && (OBLIGATION.is_match(right) || deadline_in(right, false).is_some())
            {
                out.push(left);
                last = m.start()
                    + (m.as_str().len() - m.as_str().trim_start_matches([',', ' ']).len());
            }
        }
        out.push(&s[last..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedja_model::Precision;

    fn record(kind: DocKind, body: Option<&str>) -> Record {
        Record {
            kind,
            body: body.map(str::to_owned),
            date: kedja_model::parse_iso_date("2023-01-01"),
            ..Record::default()
        }
    }

    fn range(s: &str, e: &str) -> DateRange {
        let start = kedja_model::parse_iso_date(s).unwrap();
        let end = kedja_model::parse_iso_date(e).unwrap();
        DateRange {
            start,
            end,
            precision: if s == e {
                Precision::Day
            } else if s.ends_with("01-01") && e.ends_with("12-31") {
                Precision::Year
            } else {
                Precision::Month
            },
        }
    }

    #[test]
    fn deadlines_in_swedish() {
        assert_eq!(
            deadline_in(
                "ska återredovisas till kommunstyrelsen senast april 2017",
                false
            ),
            Some(range("2017-04-01", "2017-04-30"))
        );
        assert_eq!(
            deadline_in("Handlingsplanerna ska implementeras under 2017.", false),
            Some(range("2017-01-01", "2017-12-31"))
        );
        assert_eq!(
            deadline_in("ska återrapporteras senast i oktober 2023", false),
            Some(range("2023-10-01", "2023-10-31"))
        );
        assert_eq!(
            deadline_in("senast 2024-06-30", false),
            Some(range("2024-06-30", "2024-06-30"))
        );
        assert_eq!(deadline_in("gäller från 2017 till 2019", false), None);
        assert_eq!(deadline_in("vad som gjorts i juni 2023", false), None);
        assert!(deadline_in("vad som gjorts i juni 2023", true).is_some());
    }

    #[test]
    fn cadences() {
        assert_eq!(
            cadence_in("Uppföljning redovisas årligen för kommunstyrelsen i mars.").as_deref(),
            Some("årligen i mars")
        );
        assert_eq!(
            cadence_in("årligen i november").as_deref(),
            Some("årligen i november")
        );
        assert_eq!(
            cadence_in("Nästa årliga uppföljning redovisas i mars 2025"),
            None,
            "one occasion is not a cadence"
        );
        assert_eq!(cadence_in("kvartalsvis").as_deref(), Some("kvartalsvis"));
    }

    #[test]
    fn decision_clauses_with_assignments_and_deadlines() {
        let text = "Kommunfullmäktige bifaller initiativet och beslutar\n\n\
            att kommunstyrelsen ges i uppdrag att ta fram riktlinjer för\n\
            arbetet mot hedersrelaterat våld, som ska återredovisas till\n\
            kommunstyrelsen senast april 2017,\n\n\
            att socialnämnden och kultur- och fritidsnämnden ges i uppdrag\n\
            att ta fram handlingsplaner, som ska implementeras under 2017.\n";
        let found = find_commitments(text, &record(DocKind::Decision, Some("Kommunfullmäktige")));
        let c = &found.commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kommunstyrelsen"));
        assert!(c[0].task.starts_with("ta fram riktlinjer"), "{}", c[0].task);
        assert_eq!(c[0].deadline, Some(range("2017-04-01", "2017-04-30")));
        assert_eq!(
            c[1].responsible.as_deref(),
            Some("Socialnämnden och kultur- och fritidsnämnden")
        );
        assert_eq!(c[1].deadline, Some(range("2017-01-01", "2017-12-31")));
        assert!(!c[0].restated && !c[1].restated);
    }

    #[test]
    fn a_deadline_in_the_next_sentence_belongs_to_the_assignment() {
        let text = "Barn- och utbildningsnämnden beslutar att ge förvaltningen i uppdrag att utreda hur trygghetsvärdar kan införas.\n\n\
            Uppdraget ska återrapporteras till barn- och utbildningsnämnden senast i oktober 2023.\n";
        let found = find_commitments(
            text,
            &record(DocKind::Decision, Some("Barn- och utbildningsnämnden")),
        );
        assert_eq!(found.commitments.len(), 1, "{found:#?}");
        let c = &found.commitments[0];
        assert_eq!(
            c.responsible.as_deref(),
            Some("Barn- och utbildningsnämnden")
        );
        assert_eq!(c.deadline, Some(range("2023-10-01", "2023-10-31")));
        assert!(c.evidence.contains("senast i oktober 2023"));
    }

    #[test]
    fn grants_and_goals_are_not_commitments() {
        let text = "Kommunstyrelsen tillförs 600 000 kronor årligen från och med 2023.\n\n\
            Alla chefer ska ha kunskap om sexuella trakasserier.\n\n\
            Kommunstyrelsen har samordningsansvar för planens genomförande.\n";
        let found = find_commitments(text, &record(DocKind::Decision, None));
        assert!(found.commitments.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_recurring_report_is_a_commitment_with_a_cadence() {
        let text = "Uppföljning av handlingsplanen redovisas årligen för kommunstyrelsen i mars.\n";
        let found = find_commitments(text, &record(DocKind::Plan, None));
        assert_eq!(found.commitments.len(), 1);
        let c = &found.commitments[0];
        assert_eq!(c.cadence.as_deref(), Some("årligen i mars"));
        assert_eq!(c.responsible.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(c.deadline, None);
    }

    #[test]
    fn a_wrapped_activity_table_is_read_row_by_row() {
        let text = "3. Aktiviteter\n\nAktivitet    Huvudansvarig    Klart\n\
            Anställa en samordnare för våldsförebyggande arbete\n\
            Kommunstyrelsen    2023-09-30\n\
            Rutin för att fråga om våld i biståndsbedömningen    Vård- och\n\
            omsorgsnämnden    2024-12-31\n\
            Informationskampanj under kampanjveckan\n\
            Socialnämnden    årligen i november\n\n\
            4. Ansvar\n";
        let found = find_commitments(text, &record(DocKind::Plan, None));
        let c = &found.commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(
            c[0].task,
            "Anställa en samordnare för våldsförebyggande arbete"
        );
        assert_eq!(c[0].responsible.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(c[0].deadline, Some(range("2023-09-30", "2023-09-30")));
        assert_eq!(
            c[1].responsible.as_deref(),
            Some("Vård- och omsorgsnämnden")
        );
        assert_eq!(c[2].cadence.as_deref(), Some("årligen i november"));
        assert_eq!(c[2].deadline, None);
    }

    #[test]
    fn status_headings_and_cues() {
        let text = "Uppföljning\n\nGenomförda aktiviteter\n\n\
            • Anställa en samordnare. Samordnaren tillträdde den 1 september 2023.\n\n\
            Ej påbörjade aktiviteter\n\n\
            • Utbildning om sexuella trakasserier. Upphandlingen har överklagats.\n\n\
            Kommunstyrelsen noterar att uppdraget inte har uppfyllts fullt ut.\n";
        let found = find_commitments(text, &record(DocKind::FollowUp, None));
        let s = &found.statuses;
        assert_eq!(s.len(), 4, "{s:#?}");
        assert_eq!(s[0].status, CommitmentStatus::Done);
        assert_eq!(s[0].subject, "Anställa en samordnare.");
        assert!(s[0].listed);
        // The item's own status sentence, kept apart: it may be about
        // another point.
        assert_eq!(s[1].status, CommitmentStatus::Done);
        assert!(!s[1].listed && s[1].subject.starts_with("Samordnaren tillträdde"));
        assert_eq!(s[2].status, CommitmentStatus::NotStarted);
        assert!(s[2].listed);
        assert_eq!(s[3].status, CommitmentStatus::Ongoing);
        assert!(!s[3].listed);
        assert!(found.commitments.is_empty(), "{:#?}", found.commitments);
    }

    #[test]
    fn arguments_in_an_interpellation_are_not_commitments() {
        let text = "Både i och utanför riksdagen har förslag förts fram om att Energimyndigheten bör få i uppdrag att utreda frågan.\n\n\
            Utredningen om män och jämställdhet inte fick i uppdrag att lägga fram förslag.\n\n\
            Det enkla är att regeringen utser en samordnare som får i uppdrag att samla åtgärderna.\n\n\
            Under 1990-talet byggdes kanalen upp och skulle sända lokala program.\n\n\
            Enligt budgetlagen ska regeringen två gånger per år redovisa hur målet har nåtts.\n\n\
            Regeringen gav 2012 Medlingsinstitutet i uppdrag att kartlägga löneskillnaderna.\n";
        let found = find_commitments(text, &record(DocKind::Interpellation, None));
        let c = &found.commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Medlingsinstitutet"));
        assert!(c[0].restated);
        assert_eq!(deadline_in("under 1990-talet", false), None);
    }

    #[test]
    fn questions_and_proposals_are_not_commitments() {
        let text = "1. Hur många förvaltningar implementerade planerna under 2017?\n";
        assert!(
            find_commitments(text, &record(DocKind::Interpellation, None))
                .commitments
                .is_empty()
        );
        let motion = "att handlingsplanen ska vara klar senast juni 2023,\n";
        assert!(
            find_commitments(motion, &record(DocKind::Motion, None))
                .commitments
                .is_empty()
        );
    }

    #[test]
    fn periods_as_councils_write_them() {
        let y = Some(2031);
        assert_eq!(
            cell_deadline("HT 2030", y),
            Some(range("2030-08-01", "2030-12-31"))
        );
        assert_eq!(
            cell_deadline("VT 2031", y),
            Some(range("2031-01-01", "2031-06-30"))
        );
        assert_eq!(
            cell_deadline("Q2 2030", y),
            Some(range("2030-04-01", "2030-06-30"))
        );
        assert_eq!(
            cell_deadline("tertial 3", y),
            Some(range("2031-09-01", "2031-12-31"))
        );
        assert_eq!(
            cell_deadline("senast 2030-05-15", y),
            Some(range("2030-05-15", "2030-05-15"))
        );
        assert_eq!(
            cell_deadline("300915", y),
            Some(range("2030-09-15", "2030-09-15"))
        );
        assert_eq!(
            deadline_in("Arbetet ska vara klart under VT 2030.", false),
            Some(range("2030-01-01", "2030-06-30"))
        );
        assert_eq!(cell_cadence("Löpande").as_deref(), Some("löpande"));
        assert_eq!(cell_deadline("Löpande", y), None);
    }

    #[test]
    fn status_words_as_councils_write_them() {
        use CommitmentStatus::*;
        for (cell, want) in [
            ("Klar", Done),
            ("Genomförd", Done),
            ("Pågår", Ongoing),
            ("Upphandling av konsult pågår", Ongoing),
            ("Ej påbörjad, planerad start HT 2030", NotStarted),
            ("Har inte påbörjats", NotStarted),
            ("Väntar på beslut om medel", NotStarted),
            ("Skjuts upp till 2031", Postponed),
            ("Avbryts", WrittenOff),
        ] {
            assert_eq!(status_word(cell), Some(want), "{cell}");
        }
        assert_eq!(status_word("Bibliotekets lokaler"), None);
    }

    #[test]
    fn an_aligned_table_is_read_by_its_header_words_not_positions() {
        let text = "Åtgärder\n\n\
            Åtgärd                               Klart senast     Ansvarig\n\
            Rusta upp lekplatsen vid Ängsvägen   2030-06-30       Parkchef\n\
            Ta fram en plan för                  HT 2030          Enhetschef\n\
            snöröjning av gång- och cykelvägar                    gata och park\n\
            Följa upp besöksantalet              Årligen          Controller\n\n\
            Ekonomi\n";
        let found = find_commitments(text, &record(DocKind::Plan, None));
        let c = &found.commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[0].deadline, Some(range("2030-06-30", "2030-06-30")));
        assert_eq!(c[0].responsible.as_deref(), Some("Parkchef"));
        assert_eq!(
            c[1].task,
            "Ta fram en plan för snöröjning av gång- och cykelvägar"
        );
        assert_eq!(
            c[1].responsible.as_deref(),
            Some("Enhetschef gata och park")
        );
        assert_eq!(c[1].deadline, Some(range("2030-08-01", "2030-12-31")));
        assert_eq!(c[2].cadence.as_deref(), Some("årligen"));
        assert_eq!(c[2].deadline, None);
    }

    #[test]
    fn a_pipe_table_with_status_states_each_task_and_its_status() {
        let text = "| Insats | Ansvar | Status | Kommentar |\n\
            |---|---|---|---|\n\
            | Byta belysning i sporthallen | Fastighetschef | Klar | Bytt i mars. |\n\
            | Införa digital bokning | IT-enheten | Skjuts upp | Ny leverantör väljs först. |\n";
        let found = find_commitments(text, &record(DocKind::FollowUp, None));
        assert_eq!(found.commitments.len(), 2, "{found:#?}");
        assert_eq!(found.commitments[1].task, "Införa digital bokning");
        let s = &found.statuses;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].status, CommitmentStatus::Done);
        assert_eq!(s[0].about, Some(0));
        assert_eq!(s[1].status, CommitmentStatus::Postponed);
        assert_eq!(s[1].about, Some(1));
    }

    #[test]
    fn start_and_end_columns_give_the_end_and_a_start_alone_gives_the_start() {
        let text = "Åtgärd\tAnsvarig\tStartdatum\tSlutdatum\n\
            Plantera träd längs allén\tParkenheten\t2030-03-01\ttertial 2 2031\n\
            Informera om sopsortering\tRenhållningen\t2030-01-01\tLöpande\n\n\
            Namn på åtgärd  Startdatum  Effekt\n\
            Minska inhyrd personal  2030-02-01  300 tkr\n";
        let found = find_commitments(text, &record(DocKind::Plan, None));
        let c = &found.commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[0].deadline, Some(range("2031-05-01", "2031-08-31")));
        assert_eq!(c[1].deadline, None);
        assert_eq!(c[1].cadence.as_deref(), Some("löpande"));
        assert_eq!(c[2].deadline, Some(range("2030-02-01", "2030-02-01")));
    }

    #[test]
    fn items_written_as_fields() {
        let text = "• Inventera kommunens broar. Ansvar: Gatuenheten. Klart: Q3 2030.\n\n\
            Aktivitet: Ta fram en cykelkarta\n\
            Ansvarig: Trafikplaneraren\n\
            Klart: VT 2031\n\
            Status: Pågår\n";
        let found = find_commitments(text, &record(DocKind::Plan, None));
        let c = &found.commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].task, "Inventera kommunens broar");
        assert_eq!(c[0].responsible.as_deref(), Some("Gatuenheten"));
        assert_eq!(c[0].deadline, Some(range("2030-07-01", "2030-09-30")));
        assert_eq!(c[1].task, "Ta fram en cykelkarta");
        assert_eq!(c[1].deadline, Some(range("2031-01-01", "2031-06-30")));
        assert_eq!(found.statuses.len(), 1);
        assert_eq!(found.statuses[0].status, CommitmentStatus::Ongoing);
        assert_eq!(found.statuses[0].about, Some(1));
    }

    #[test]
    fn an_annual_cycle_dates_each_activity_by_its_next_month() {
        let text = "Kvalitetsarbetet under året\n\nOktober\n\n\
            Aktivitet: Rapport om frånvaro under föregående termin\n\
            Styrkedjan: Beslutsärende i nämnd\n\nMars\n\n\
            Aktivitet: Uppföljning av elevhälsan\n";
        let mut r = record(DocKind::Plan, None);
        r.date = kedja_model::parse_iso_date("2030-06-01");
        let c = find_commitments(text, &r).commitments;
        let by_school_year =
            find_commitments(&format!("Läsår 2031/2032\n\n{text}"), &r).commitments;
        assert_eq!(
            by_school_year[1].deadline,
            Some(range("2032-03-01", "2032-03-31"))
        );
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].task, "Rapport om frånvaro under föregående termin");
        assert_eq!(c[0].deadline, Some(range("2030-10-01", "2030-10-31")));
        assert_eq!(c[0].cadence.as_deref(), Some("årligen"));
        assert_eq!(c[1].deadline, Some(range("2031-03-01", "2031-03-31")));
    }

    #[test]
    fn the_grammar_of_assignments_and_referrals() {
        let text = "Eftersom bryggan är sliten får fritidsförvaltningen i uppdrag att utreda en ny brygga.\n\n\
            Nämnden beslutade att uppdra åt ordföranden att ta fram ett förslag till mötesordning samt att reglementet ska ses över inför nästa år.\n\n\
            Medborgarförslaget lämnas till tekniska nämnden för beredning.\n\n\
            Kulturchefen ska redovisa besöksstatistiken årligen i samband med bokslutet.\n\n\
            Skolförvaltningen återrapporterar arbetet till nämnden senast 2030-11-30.\n";
        let found = find_commitments(text, &record(DocKind::Decision, Some("Kulturnämnden")));
        let c = &found.commitments;
        assert_eq!(c.len(), 6, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Fritidsförvaltningen"));
        assert_eq!(c[0].task, "utreda en ny brygga");
        assert_eq!(c[1].responsible.as_deref(), Some("Ordföranden"));
        assert!(c[1].restated, "told as decided earlier");
        assert_eq!(c[2].task, "reglementet ska ses över inför nästa år");
        assert_eq!(c[2].responsible, c[1].responsible);
        assert_eq!(c[3].responsible.as_deref(), Some("Tekniska nämnden"));
        assert_eq!(
            c[3].task,
            "Medborgarförslaget lämnas till tekniska nämnden för beredning"
        );
        assert_eq!(c[4].responsible.as_deref(), Some("Kulturchefen"));
        assert!(
            c[4].task.starts_with("redovisa besöksstatistiken"),
            "{}",
            c[4].task
        );
        assert_eq!(c[5].responsible.as_deref(), Some("Skolförvaltningen"));
        assert_eq!(c[5].deadline, Some(range("2030-11-30", "2030-11-30")));
    }

    #[test]
    fn a_decision_closes_an_assignment_named_by_date_and_paragraph() {
        let text = "Beslut\n\
            Nämnden anser uppdraget från den 3 mars 2030, § 12, slutfört.\n\
            Byggstarten skjuts upp till hösten.\n\
            Rekryteringsmässan avbryts.\n";
        let found = find_commitments(text, &record(DocKind::Decision, None));
        let s = &found.statuses;
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].status, CommitmentStatus::Done);
        assert_eq!(
            s[0].cites,
            Some(Cited {
                date: "2030-03-03".into(),
                paragraph: Some(12)
            })
        );
        assert_eq!(s[1].status, CommitmentStatus::Postponed);
        assert_eq!(s[1].subject, "Byggstarten");
        assert_eq!(s[2].status, CommitmentStatus::WrittenOff);
        assert_eq!(s[2].subject, "Rekryteringsmässan");
    }

    #[test]
    fn only_the_decision_of_a_paragraph_decides() {
        let text = "§ 7 Lekplatser\n\nÄrendebeskrivning\n\
            I motionen föreslås att tekniska nämnden ges i uppdrag att bygga fler lekplatser.\n\
            Kommunstyrelsen gav 2029 parkenheten i uppdrag att inventera lekplatserna.\n\n\
            Beslut\n\
            Kommunstyrelsen ger parkenheten i uppdrag att rusta tre lekplatser senast 2030-09-30.\n\
            Kommunstyrelsen ger parkenheten i uppdrag att rusta tre lekplatser senast 2030-09-30.\n\n\
            Expedieras till\nParkenheten\n";
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let c = find_commitments(text, &r).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert!(c[0].restated && c[0].task.starts_with("inventera"));
        assert!(c[1].task.starts_with("rusta tre lekplatser"));
        assert_eq!(c[1].deadline, Some(range("2030-09-30", "2030-09-30")));
    }

    #[test]
    fn a_register_of_assignments_under_status_headings() {
        let text = "Återrapporterade uppdrag (2029):
            Dnr Uppdrag Återrapporterad
            2028.101
            KN Utredning om bibliotekets
            öppettider 2029-11-20

            Pågående ärenden som ska återrapporteras (2030):
            Dnr Uppdrag Återrapporteras
            2029.055
            KN Plan för läsfrämjande (Återrapportering beslutad i KN 290101, § 3)
             Hösten 2030

            Beslut
            Nämnden godkänner uppföljningen.
";
        let found = find_commitments(text, &record(DocKind::Decision, None));
        let s = &found.statuses;
        assert_eq!(s.len(), 2, "{s:#?}");
        assert_eq!(s[0].status, CommitmentStatus::Done);
        assert_eq!(s[0].subject, "Utredning om bibliotekets öppettider");
        assert_eq!(s[1].status, CommitmentStatus::Ongoing);
        assert_eq!(s[1].subject, "Plan för läsfrämjande");
        assert_eq!(
            found.point_deadlines,
            vec![(0, None), (1, Some(range("2030-08-01", "2030-12-31")))]
        );
    }

    #[test]
    fn proposals_and_descriptions_are_not_commitments() {
        let text = "Motionären föreslår att bostadsbolaget ges i uppdrag att bygga om vindarna.

            Kostnaderna för färdtjänst ökar årligen.

            Uppföljningen av planen sker årligen.

            Kulturnämnden följer upp planen årligen.
";
        let c = find_commitments(text, &record(DocKind::StaffReport, None)).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kulturnämnden"));
        assert_eq!(c[0].cadence.as_deref(), Some("årligen"));
    }

    #[test]
    fn words_beginning_with_a_swedish_letter_are_words() {
        let text = "Beslut\n\
            Ärendet återremitteras till kulturnämnden för komplettering med en kostnadskalkyl.\n\
            Då lokalen stängs får förvaltningen i uppdrag att hitta en ny samlingslokal.\n";
        let c = find_commitments(text, &record(DocKind::Decision, None)).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kulturnämnden"));
        assert_eq!(c[1].responsible.as_deref(), Some("Förvaltningen"));
        assert_eq!(c[1].task, "hitta en ny samlingslokal");
    }

    #[test]
    fn a_header_wrapped_over_lines_is_no_row() {
        let text = "Namn på åtgärd  Startdatum  Ekonomisk effekt\n\
            (innevarande år)  Ekonomisk effekt\n\
            (helår)\n\
            Färre inhyrda  2030-04-01  200 tkr\n\
            Samla  lokalerna\n\
            på en adress  2030  Efter flytt\n";
        let c = find_commitments(text, &record(DocKind::Plan, None)).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].task, "Färre inhyrda");
        assert_eq!(c[1].task, "Samla lokalerna på en adress");
        assert_eq!(c[1].deadline, Some(range("2030-01-01", "2030-12-31")));
    }
}
