//! Tables of commitments in any layout: tabs, pipes, columns aligned by
//! spaces and wrapped PDF cells, their columns found by header words.

use std::sync::LazyLock;

use kedja_model::{CommitmentText, FoundCommitment, FoundStatus, Record};
use regex::Regex;

use super::dates::{cell_cadence, cell_deadline, deadline_in};
use super::fields::{aligned_rows, bodies_in, responsible_name, table_rows};
use super::status::status_word;
use super::{Line, normalize};

static CELL_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\t+|\s{2,}").expect("valid regex"));

pub(super) static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d+(?:\.\d+)*\.?\s+\p{Lu}").expect("valid regex"));

/// A line of a pipe table ("| Åtgärd | Ansvar |"): two pipes or more.
pub(super) fn piped(t: &str) -> bool {
    t.matches('|').count() >= 2 || t.contains(" | ")
}

/// The rule under a pipe table's header ("|---|:--|") or a drawn line.
fn is_rule(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | ':' | '+' | '=' | ' ' | '─' | '—' | '_'))
}

pub(super) fn cells(line: &str) -> Vec<String> {
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

pub(super) fn has_cells(line: &str) -> bool {
    let t = line.trim();
    t.contains('\t') || piped(t) || CELL_SEP.is_match(t)
}

/// The cells of a line laid out in columns by spaces, each with the
/// character column it starts at.
pub(super) fn chunks(line: &str) -> Vec<(usize, String)> {
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
pub(super) enum Column {
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
pub(super) fn column_of(header_cell: &str) -> Option<Column> {
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

/// A line of running text set justified, its words spread by double
/// spaces ("planera  åtgärder  med  tid  över  före  sommaren"): no header,
/// however many of its words name a column.
fn justified_prose(line: &str) -> bool {
    let t = line.trim();
    if t.contains('\t') || piped(t) {
        return false;
    }
    let cells = cells(t);
    let running = cells
        .iter()
        .filter(|c| !c.contains(' ') && c.starts_with(|ch: char| !ch.is_uppercase()))
        .count();
    cells.len() >= 6 && running * 3 >= cells.len() * 2
}

/// Activity tables of plans ("Aktivitet | Huvudansvarig | Klart") and
/// status tables of reports ("Byggnad | Status | Kommentar"), in any
/// layout: tabs, pipes, columns aligned by spaces, or a PDF's wrapped
/// cells. A row of a table with both a task and a status is a commitment
/// as the report states it, with that status.
pub(super) fn tables(
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
        if justified_prose(line.text) {
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
            // A header's note on a line of its own ("(helår)") is part
            // of the header, not the end of the table.
            let note = {
                let t = l.text.trim();
                t.starts_with('(') && t.ends_with(')') && t.len() <= 30
            };
            if NUMBERED_HEADING.is_match(l.text)
                || new_header
                || (after_blank && !has_cells(l.text) && !note)
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
                let id = out.next_id();
                out.commitments.push(FoundCommitment {
                    id,
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
                    out.statuses.push(
                        FoundStatus::new(out.next_id(), st, task, evidence, (row.start, row.end))
                            .listed()
                            .about_commitment(Some(id)),
                    );
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
                out.statuses.push(
                    FoundStatus::new(
                        out.next_id(),
                        st,
                        normalize(&subject),
                        evidence,
                        (row.start, row.end),
                    )
                    .listed()
                    .naming(bodies_in(&subject)),
                );
            }
        }
        i = j;
    }
}

/// A table whose header is broken over lines of its own ("Namn på
/// åtgärd" / "Startdatum  Ekonomisk" / "effekt") and whose rows are
/// numbered ("1. Beslutade timmar" / "2030-03-31  300 tkr"): each numbered
/// row is a measure, named by its words before the first date, due (or
/// started) at that date.
pub(super) fn numbered_rows(
    text: &str,
    lines: &[Line<'_>],
    used: &mut [bool],
    record: &Record,
    year: Option<i32>,
    out: &mut CommitmentText,
) {
    static NUMBERED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*\d{1,2}\.\s+\S").expect("valid regex"));
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].text.trim();
        let task_heading =
            !used[i] && !t.is_empty() && !has_cells(t) && column_of(t) == Some(Column::Task);
        // The rest of the header: a date column within the next lines.
        let header_end = task_heading
            .then(|| {
                lines[i + 1..]
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| !l.is_blank())
                    .take(4)
                    .find(|(_, l)| {
                        cells(l.text).first().is_some_and(|c| {
                            matches!(column_of(c), Some(Column::Start | Column::Deadline))
                        })
                    })
                    .map(|(k, _)| i + 1 + k)
            })
            .flatten();
        let Some(mut j) = header_end else {
            i += 1;
            continue;
        };
        // Header lines up to the first numbered row.
        let first = lines[j..]
            .iter()
            .take(8)
            .position(|l| NUMBERED.is_match(l.text))
            .map(|k| j + k);
        let Some(first) = first else {
            i += 1;
            continue;
        };
        j = first;
        let mut rows: Vec<(usize, usize)> = Vec::new();
        while j < lines.len() {
            let l = lines[j];
            if l.is_blank() {
                j += 1;
                continue;
            }
            let lead = l.text.chars().next().unwrap_or(' ');
            if NUMBERED.is_match(l.text) {
                rows.push((j, j));
            } else if lead.is_whitespace() || lead.is_lowercase() || lead.is_ascii_digit() {
                if let Some(r) = rows.last_mut() {
                    r.1 = j;
                }
            } else {
                break;
            }
            j += 1;
        }
        for u in used.iter_mut().take(j).skip(i) {
            *u = true;
        }
        for (a, b) in rows {
            let row = normalize(&text[lines[a].start..lines[b].end()]);
            let row = row
                .split_once(". ")
                .map_or(row.as_str(), |(_, r)| r)
                .to_owned();
            let words: Vec<&str> = row.split(' ').collect();
            let at = words.iter().position(|w| {
                w.chars().any(|c| c.is_ascii_digit())
                    && w.len() >= 4
                    && cell_deadline(w, year).is_some()
            });
            let task = words[..at.unwrap_or(words.len())].join(" ");
            if task.is_empty() {
                continue;
            }
            out.commitments.push(FoundCommitment {
                id: out.next_id(),
                responsible: record.body.clone(),
                task: task.trim_end_matches(['.', ',']).to_owned(),
                deadline: at.and_then(|k| cell_deadline(words[k], year)),
                cadence: None,
                evidence: row.clone(),
                start: lines[a].start,
                end: lines[b].end(),
                restated: false,
            });
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::justified_prose;
    use crate::commitments::find_commitments;
    use crate::commitments::test_support::{range, record};
    use kedja_model::{CommitmentStatus, DocKind};

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
        assert_eq!(s[0].about, Some(found.commitments[0].id));
        assert_eq!(s[1].status, CommitmentStatus::Postponed);
        assert_eq!(s[1].about, Some(found.commitments[1].id));
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
    fn a_header_note_between_blank_lines_is_no_end_of_the_table() {
        let text = " Namn på åtgärd  Startdatum  Effekt\n\n\
            (innevarande år)  Effekt\n\n\
            (helår)\n\n\
            Färre inhyrda  2030-04-01    200 tkr\n\n\
            Samla  lokalerna\n\
            på en adress  2030    Efter flytt\n";
        let c = find_commitments(text, &record(DocKind::Plan, None)).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].task, "Färre inhyrda");
        assert_eq!(c[0].deadline, Some(range("2030-04-01", "2030-04-01")));
        assert_eq!(c[1].task, "Samla lokalerna på en adress");
    }

    #[test]
    fn justified_running_text_is_no_table() {
        // After the table, a description set justified: its words spread
        // by double spaces, some of them column words ("åtgärder", "tid",
        // "ansvar").
        let text = " Namn på åtgärd  Startdatum  Effekt\n\n\
            Färre inhyrda  2030-04-01    200 tkr\n\n\
            2.  Färre  inhyrda\n\n\
            Beskrivning av åtgärd\n\n\
            Inför  varje  lov  går  vi  igenom  listan  och  planerar  åtgärder  med  tid  över  före  sommaren.\n\
            Listan visar för varje enhet vem som har\n\
            ansvar  och  därför  tar  Öppen  förskola  hand  om  schemat  varje  vår.\n";
        let c = find_commitments(text, &record(DocKind::Plan, None)).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].task, "Färre inhyrda");
        assert!(justified_prose(
            "planera  åtgärder  med  tid  över  före  sommaren"
        ));
        assert!(!justified_prose(
            "Aktivitet  Ansvarig  Klart senast  Status  Kommentar  Start"
        ));
    }

    #[test]
    fn numbered_rows_under_a_header_broken_over_lines() {
        let text = "Namn på åtgärd\n\n\
            Startdatum  Ekonomisk\n\
            effekt\n\
            (helår)\n\n\
            1.  Samla schemat för\n\
            kvällspassen\n\
            \x20  300401  150 tkr\n\n\
            2. Färre vikarier\n\n\
            2030-03-31     300-400 tkr\n\
            3. Se över lokalerna\n\n\
            Beskrivning av åtgärd 1\n\n\
            Schemat ska samlas.\n";
        let c = find_commitments(text, &record(DocKind::Plan, None)).commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[0].task, "Samla schemat för kvällspassen");
        assert_eq!(c[0].deadline, Some(range("2030-04-01", "2030-04-01")));
        assert_eq!(c[1].task, "Färre vikarier");
        assert_eq!(c[1].deadline, Some(range("2030-03-31", "2030-03-31")));
        assert_eq!(c[2].task, "Se över lokalerna");
        assert_eq!(c[2].deadline, None);
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
