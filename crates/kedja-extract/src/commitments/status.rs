//! Status statements: items under status headings and registers of
//! assignments, status words in a cell, and sentences with a status cue.

use std::sync::LazyLock;

use kedja_model::{CommitmentStatus, CommitmentText, DocKind, FoundStatus, Record};
use regex::Regex;

use crate::lexicon::MONTH_ALT;

use super::dates::cell_deadline;
use super::fields::bodies_in;
use super::tables::NUMBERED_HEADING;
use super::{Line, normalize};

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
        // No longer to be done: "ej aktuell", "ersatt av …".
        (r"^(?:(?:ej|inte)\s+(?:längre\s+)?aktuell|inaktuell|ersatt|ersätts|makulerad)", WrittenOff),
        (r"^(?:ej|inte)\s|(?:ej|inte)\s+(?:påbörja|startad|inledd)|planerad\s+start|väntar\s+på", NotStarted),
        (r"skjuts\s+upp|uppskjut|senarelagd|senareläggs|flyttas\s+fram|framflyttad|^(?:vilande|vilar|pausad|pausas|pausat)", Postponed),
        (r"^(?:avbryts|avbrut|avskriv|utgår|stryks|struken|strukits)", WrittenOff),
        (r"^(?:pågår|pågående|påbörjad|påbörjat|startad|startat|igång|delvis|försenad|kvarstår|under\s+(?:arbete|framtagande|utredning|uppbyggnad)|i\s+arbete|löpande|fortlöpande)|\spågår", Ongoing),
        (r"^(?:klar|genomför|avslutad|slutför|färdig|uppfylld|uppnådd|uppnått|driftsatt|åtgärdad|verkställd|infört|införd|implementerad|levererad|utförd|utfört|avklarad)", Done),
    ]
    .into_iter()
    .map(|(p, s)| (Regex::new(&format!("(?i){p}")).expect("valid regex"), s))
    .collect()
});

/// A status cell: "Klar", "Pågår", "Ej påbörjad", "Har inte påbörjats",
/// "Skjuts upp", "Avbryts", "Väntar på beslut", "Upphandling pågår".
pub(super) fn status_word(cell: &str) -> Option<CommitmentStatus> {
    let l = cell.trim().to_lowercase();
    let l = l.trim_start_matches(|c: char| !c.is_alphanumeric());
    STATUS_WORDS
        .iter()
        .find(|(re, _)| re.is_match(l))
        .map(|(_, st)| *st)
}

pub(super) static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[•·▪◦*–-]|\d{1,2}[.)])\s+").expect("valid regex"));

/// A decision on the report of an assignment, as its title names it:
/// "Redovisning av uppdrag till barn- och utbildningsnämnden om att
/// genomföra en utredning av …", "Beslut angående slutredovisning av
/// uppdraget att …". The assignment has been reported on: done, or with a
/// partial report ("delredovisning") ongoing. The subject is what the
/// title says of the assignment.
pub(super) fn report_of_assignment(text: &str, record: &Record, out: &mut CommitmentText) {
    static REPORT_OF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:beslut\s+(?:om|angående|gällande)\s+)?(?P<part>slut|del)?(?:redovisning|återrapportering|rapportering|återredovisning)\s+(?:av|om|gällande)\s+(?P<mid>(?:\S+\s+){0,2}?)uppdrag(?:et)?(?-u:\b)(?P<subject>\s*(?:till|om|att|gällande)(?-u:\b).{8,})$")
            .expect("valid regex")
    });
    if record.kind != DocKind::Decision {
        return;
    }
    let title = record.title.trim();
    let Some(c) = REPORT_OF.captures(title) else {
        return;
    };
    // "Redovisning av ej slutförda uppdrag", "… av pågående uppdrag": the
    // council's standing list of assignments, not the report of one.
    static OF_MANY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:ej|inte|pågående|verkställda|slutförda|obesvarade|alla|samtliga|kommunens)(?-u:\b)")
            .expect("valid regex")
    });
    if OF_MANY.is_match(&c["mid"]) {
        return;
    }
    let status = match c.name("part").map(|p| p.as_str().to_lowercase()) {
        Some(p) if p == "del" => CommitmentStatus::Ongoing,
        _ => CommitmentStatus::Done,
    };
    // The title's place in the text, for the statement's evidence.
    let first = title.split_whitespace().next().unwrap_or_default();
    let start = text.find(first).unwrap_or(0);
    let id = out.next_id();
    out.statuses.push(FoundStatus::new(
        id,
        status,
        c["subject"].trim(),
        title,
        (start, (start + first.len()).min(text.len())),
    ));
}

/// Items under status headings: each bullet (with its indented
/// continuation lines) is a status statement with the heading's status.
pub(super) fn status_sections(
    text: &str,
    lines: &[Line<'_>],
    used: &mut [bool],
    out: &mut CommitmentText,
) {
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
            out.statuses.push(
                FoundStatus::new(out.next_id(), status, subject, evidence.clone(), (a, b))
                    .listed()
                    .naming(bodies_in(&evidence)),
            );
            // A later sentence of the item with a status of its own may be
            // about another point ("Planen är implementerad och all
            // personal … har utbildats").
            for (x, y) in parts.into_iter().skip(1) {
                let sentence = evidence[x..y].trim();
                if let Some(st) = cue_status(sentence) {
                    out.statuses.push(
                        FoundStatus::new(out.next_id(), st, sentence, sentence, (a, b))
                            .naming(bodies_in(sentence)),
                    );
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
        let mut after_blank = false;
        while j < lines.len() {
            let l = lines[j];
            if l.is_blank() {
                after_blank = true;
                j += 1;
                continue;
            }
            // Running text after a register (a proposal, a paragraph
            // told in sentences) is no part of its last record; a page's
            // broken-off words are.
            let prose_follows = register && after_blank && running_text(l.text);
            after_blank = false;
            if prose_follows {
                break;
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

/// A line of running text: it begins with a capital and holds a
/// sentence's worth of words, most of them in lower case (a page's
/// running head or foot, "Kommunstyrelsen Protokoll 2026-06-01
/// Justerandes sign Sida 4 av 12", is capitals and numbers).
fn running_text(line: &str) -> bool {
    let t = line.trim();
    let lower = t
        .split_whitespace()
        .filter(|w| w.starts_with(char::is_lowercase))
        .count();
    t.starts_with(char::is_uppercase) && t.split_whitespace().count() >= 8 && lower >= 5
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
    // A note in brackets is no part of the task's name, nor a column of
    // reasons beside it ("Förändrad taxa Ärendet skulle återrapporteras …").
    static REASON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s\p{Lu}\p{Ll}+\s+(?:skulle|har|hade|är|var|kommer|ska|togs|blev|kunde)\s")
            .expect("valid regex")
    });
    if let Some(at) = subject.find(" (") {
        subject.truncate(at);
    }
    if let Some(m) = REASON.find(&subject) {
        subject.truncate(m.start());
    }
    let due = when
        .filter(|_| {
            matches!(
                status,
                CommitmentStatus::Ongoing | CommitmentStatus::NotStarted
            )
        })
        .and_then(|m| cell_deadline(m.as_str().trim(), None));
    let id = out.next_id();
    out.statuses
        .push(FoundStatus::new(id, status, subject, evidence, (a, b)).listed());
    out.point_deadlines.push((id, due));
}

pub(super) fn first_sentence(s: &str) -> String {
    sentences(s)
        .first()
        .map(|(a, b)| s[*a..*b].trim().to_owned())
        .unwrap_or_default()
}

/// Sentence spans: a sentence ends at ".", "!" or "?" before a space and a
/// capital letter or a digit, or at the end.
pub(super) fn sentences(s: &str) -> Vec<(usize, usize)> {
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

pub(super) fn cue_status(sentence: &str) -> Option<CommitmentStatus> {
    cue_status_at(sentence).map(|(s, _)| s)
}

/// The status a sentence states and where its status words begin.
pub(super) fn cue_status_at(sentence: &str) -> Option<(CommitmentStatus, usize)> {
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
pub(super) static WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:det|detta|hela)\s+uppdraget|uppdraget\s+(?:är\s+)?avslutat|svaret\s+på\s+(?:det|detta)\s+uppdrag|anse[rs]?\s+(?:\S+\s+){0,2}?uppdraget|uppdraget\s+(?:från|enligt)\s|utgör\s+(?:den|denna)\s+(?:åter)?(?:redovisning|rapportering)|godkänner\s+(?:åter)?(?:rapporteringen|redovisningen)")
        .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitments::find_commitments;
    use crate::commitments::test_support::{range, record};
    use kedja_model::DocKind;

    #[test]
    fn a_postponement_tells_the_date_now_due() {
        let text = "Beslut\nKommunfullmäktige beslutar:\n\n\
            - att redovisningen av uppdraget om en färdplan flyttas fram till 2032.\n";
        let mut r = record(DocKind::Decision, Some("Kommunfullmäktige"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let found = find_commitments(text, &r);
        let moved = found
            .statuses
            .iter()
            .find(|s| s.status == CommitmentStatus::Postponed)
            .expect("a postponement");
        assert_eq!(
            found.point_deadline(moved.id),
            Some(range("2032-01-01", "2032-12-31"))
        );
    }

    #[test]
    fn a_decision_on_the_report_of_an_assignment_reports_it() {
        let statuses = |kind: DocKind, title: &str| {
            let mut r = record(kind, Some("Kommunfullmäktige"));
            r.title = title.into();
            let text = format!(
                "§ 70 {title}\n\nBeslut\nKommunfullmäktige har tagit del av informationen.\n"
            );
            find_commitments(&text, &r)
                .statuses
                .into_iter()
                .map(|s| (s.status, s.subject))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            statuses(
                DocKind::Decision,
                "Redovisning av uppdrag till fritidsnämnden om att utreda en ny simhall"
            ),
            [(
                CommitmentStatus::Done,
                "till fritidsnämnden om att utreda en ny simhall".to_owned()
            )]
        );
        assert_eq!(
            statuses(
                DocKind::Decision,
                "Beslut angående delredovisning av uppdraget att utreda en ny simhall"
            ),
            [(
                CommitmentStatus::Ongoing,
                "att utreda en ny simhall".to_owned()
            )]
        );
        // An assignment given, a list of the council's assignments, or a
        // report that is not a decision on one.
        assert!(statuses(DocKind::Decision, "Uppdrag att utreda en ny simhall").is_empty());
        for title in [
            "Redovisning av ej slutförda uppdrag från kommunfullmäktige",
            "Redovisning av pågående uppdrag till kommunstyrelsen 2031",
            "Redovisning av ej verkställda uppdrag och motioner",
        ] {
            assert!(
                !statuses(DocKind::Decision, title)
                    .iter()
                    .any(|(st, _)| *st == CommitmentStatus::Done),
                "{title}"
            );
        }
        assert!(
            statuses(
                DocKind::Plan,
                "Redovisning av uppdrag till fritidsnämnden om att utreda en ny simhall"
            )
            .is_empty()
        );
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
            ("Ej aktuell längre", WrittenOff),
            ("Ersatt av ny plan", WrittenOff),
            ("Vilande i väntan på budget", Postponed),
            ("Pausad", Postponed),
            ("Startad i mars", Ongoing),
            ("Under framtagande", Ongoing),
            ("Löpande", Ongoing),
            ("Implementerad", Done),
            ("Uppnått", Done),
            ("Ej startad", NotStarted),
        ] {
            assert_eq!(status_word(cell), Some(want), "{cell}");
        }
        assert_eq!(status_word("Bibliotekets lokaler"), None);
    }

    #[test]
    fn a_registers_last_record_ends_where_running_text_begins() {
        let text = "Pågående ärenden som ska återrapporteras (2030):
            Dnr Uppdrag Återrapporteras
            2029.055
            KN Plan för läsfrämjande (Återrapportering beslutad i KN 290101, § 3)

            Kulturnämnden Protokoll 2030-03-10 Justerandes sign Utdragsbestyrkande Sida 4 av 12

            Våren 2031

            Arbetsutskottet har behandlat ärendet den 3 mars 2030 med följande förslag
            till beslut: Nämnden godkänner uppföljningen.
";
        let found = find_commitments(text, &record(DocKind::Decision, None));
        let s = &found.statuses;
        assert_eq!(s.len(), 1, "{s:#?}");
        assert_eq!(s[0].subject, "Plan för läsfrämjande");
        assert!(
            !s[0].evidence.contains("Arbetsutskottet"),
            "{}",
            s[0].evidence
        );
        assert_eq!(
            found.point_deadlines,
            vec![(s[0].id, Some(range("2031-01-01", "2031-06-30")))]
        );
    }

    #[test]
    fn a_register_of_assignments_under_status_headings() {
        let text = "Återrapporterade uppdrag (2029):
            Dnr Uppdrag Återrapporterad
            2028.101
            KN Utredning om bibliotekets
            öppettider 2029-11-20

            Ej återrapporterade – avslutade (2029):
            Dnr Uppdrag Anledning
            2028.102
            KN Ny taxa för
            lokaler Ärendet skulle återrapporteras
            hösten 2029 men förslaget avslogs.

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
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].status, CommitmentStatus::Done);
        assert_eq!(s[0].subject, "Utredning om bibliotekets öppettider");
        assert_eq!(s[1].status, CommitmentStatus::WrittenOff);
        assert_eq!(s[1].subject, "Ny taxa för lokaler");
        assert_eq!(s[2].status, CommitmentStatus::Ongoing);
        assert_eq!(s[2].subject, "Plan för läsfrämjande");
        assert_eq!(
            found.point_deadlines,
            vec![
                (s[0].id, None),
                (s[1].id, None),
                (s[2].id, Some(range("2030-08-01", "2030-12-31")))
            ]
        );
    }
}
