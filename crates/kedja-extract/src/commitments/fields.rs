//! Items written as fields ("Aktivitet:", "Ansvar:", "Klart:"), an annual
//! cycle's months, and the rows of a table's body with their responsible.

use std::sync::LazyLock;

use kedja_model::{CommitmentText, DateRange, FoundCommitment, FoundStatus, Record};
use regex::Regex;

use crate::bodies::{canonical_body, find_bodies};
use crate::lexicon::month;

use super::dates::{cell_cadence, cell_deadline};
use super::prose::strip_item_marker;
use super::status::{BULLET, status_word};
use super::tables::{Column, cells, chunks, column_of, has_cells, piped};
use super::{Line, normalize};

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
pub(super) fn field_records(
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
        let id = out.next_id();
        out.commitments.push(FoundCommitment {
            id,
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
            out.statuses.push(
                FoundStatus::new(
                    out.next_id(),
                    st,
                    task,
                    evidence,
                    (l.start, lines[j - 1].end()),
                )
                .listed()
                .about_commitment(Some(id)),
            );
        }
        i = j;
    }
}

pub(super) struct Row {
    pub(super) cells: Vec<String>,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Rows of a table whose columns are aligned by spaces under the words of
/// its header (`pdftotext -layout`, plain-text plans): each cell belongs
/// to the header column it starts under, a line whose first column starts
/// with a capital or a digit begins a row, and the other lines continue
/// the cells of the row above ("Utbilda språkombud på samtliga särskilda"
/// / "boenden"). `None` when the body is not laid out under the header.
pub(super) fn aligned_rows(header_line: &str, body: &[Line<'_>]) -> Option<Vec<Row>> {
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
pub(super) fn table_rows(
    header: &[Option<Column>],
    body: &[Line<'_>],
    year: Option<i32>,
) -> Vec<Row> {
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

pub(super) fn is_body(s: &str) -> bool {
    let s = s.trim();
    find_bodies(s)
        .first()
        .is_some_and(|(_, a, b)| *a == 0 && *b == s.len())
}

pub(super) fn bodies_in(s: &str) -> Vec<String> {
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
pub(super) fn responsible_name(raw: &str, record: &Record) -> String {
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

#[cfg(test)]
mod tests {
    use crate::commitments::find_commitments;
    use crate::commitments::test_support::{range, record};
    use kedja_model::{CommitmentStatus, DocKind};

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
        assert_eq!(found.statuses[0].about, Some(c[1].id));
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
}
