//! Answers to an audit's recommendations, as a follow-up of the audit
//! writes them: under "Nämndens svar:" or "Styrelsens svar:" the body
//! says what it will do ("En ny rutin ska upprättas under våren 2024",
//! "Förvaltningen arbetar med att …", "… är under införande"), and the
//! auditors' assessment after it says whether that was done
//! ("Rekommendationen bedöms således vara åtgärdad", "… kvarstår").

use std::sync::LazyLock;

use kedja_model::{CommitmentStatus, CommitmentText, FoundCommitment, FoundStatus, Record};
use regex::Regex;

use super::dates::deadline_in;
use super::fields::{bodies_in, is_body, responsible_name};
use super::status::sentences;
use super::{Line, normalize};

/// "Nämndens svar:", "Styrelsens svar", "Kommunstyrelsens svar:".
static ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\p{L}+s\s+)?(?:nämndens|styrelsens|förvaltningens)\s+svar\s*:?\s*$")
        .expect("valid regex")
});

/// A label that ends an answer: the auditors' own parts and the next
/// recommendation.
static NEXT_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:vidtagna\s+åtgärder|bedömning|iakttagelser?|rekommendation(?:er)?(?:\s+\d+)?|kommentar|revisorernas\s+bedömning)\s*:?\s*$|^\s*rekommendation\s+\d+\s*:")
        .expect("valid regex")
});

/// A section's heading ("7.2 Granskning av …"); a footnote ("1 Riktlinje
/// för …") is none.
static SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d+\.\d+(?:\.\d+)*\.?\s+\p{Lu}").expect("valid regex"));

/// "Rekommendation 2:": the next recommendation.
static RECOMMENDATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*rekommendation\s+\d+\s*:").expect("valid regex"));

/// What the answering body takes on: work it will do, is doing or is
/// responsible for, not what it has done.
static UNDERTAKES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:ska|skall|kommer\s+att|avser\s+att|planerar\s+att|arbetar\s+med\s+att|ansvarar\s+för\s+att|är\s+under\s+(?:införande|framtagande|utarbetande)|ses\s+över|håller\s+på\s+att)(?-u:\b)")
        .expect("valid regex")
});

/// "Av styrelsens svar framgår att …": the words that report the answer.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:av|i)\s+(?:\p{L}+s\s+)?(?:nämndens|styrelsens|förvaltningens)\s+(?:svar|yttrande)\s+framgår\s+(?:det\s+)?att\s+")
        .expect("valid regex")
});

/// The auditors' assessment of a recommendation: "Rekommendationen
/// bedöms således vara åtgärdad", "… är åtgärdad i huvudsak men delar
/// kvarstår", "Rekommendationen kvarstår", "… att rekommendationen därför
/// har åtgärdats".
static ASSESSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)rekommendationen\s+(?:(?:därför|således|dock|nu)\s+)?(?:bedöms|är|har|kvarstår)(?-u:\b)[^.]*|(?:(?:inte|ej)\s+)?(?:har|hade)\s+(?:(?:inte|ej)\s+)?vidtagit\s+[^.]*?åtgärder[^.]*")
        .expect("valid regex")
});

/// The status an assessment gives; "har vidtagit erforderliga åtgärder"
/// is the recommendation done, "vissa åtgärder" or "inte tillräckliga" is
/// it under way.
fn assessed(sentence: &str) -> Option<CommitmentStatus> {
    let l = sentence.to_lowercase();
    let short = ["vissa åtgärder", "inte tillräckliga", "ej tillräckliga"]
        .iter()
        .any(|w| l.contains(w));
    // "inte har vidtagit", "har inte vidtagit", "har vidtagit inga åtgärder".
    let taken = l.find("vidtagit").map(|at| {
        let before: Vec<&str> = l[..at].split_whitespace().rev().take(2).collect();
        !(before.contains(&"inte") || before.contains(&"ej") || l.contains("inga åtgärder"))
    });
    Some(if l.contains("kvarst") || l.contains("delvis") || short {
        CommitmentStatus::Ongoing
    } else if let Some(taken) = taken {
        if taken {
            CommitmentStatus::Done
        } else {
            CommitmentStatus::NotStarted
        }
    } else if [
        "ej åtgärdad",
        "inte åtgärdad",
        "ej åtgärdats",
        "inte åtgärdats",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        CommitmentStatus::NotStarted
    } else if l.contains("åtgärdad") || l.contains("åtgärdats") {
        CommitmentStatus::Done
    } else {
        return None;
    })
}

/// Each answer's first undertaking is a commitment of the answering body,
/// with the status the assessment after it gives.
pub(super) fn audit_answers(
    text: &str,
    lines: &[Line<'_>],
    used: &mut [bool],
    record: &Record,
    out: &mut CommitmentText,
) {
    let mut i = 0;
    while i < lines.len() {
        if used[i] || !ANSWER.is_match(lines[i].text) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len()
            && !NEXT_PART.is_match(lines[j].text)
            && !ANSWER.is_match(lines[j].text)
            && !SECTION.is_match(lines[j].text)
        {
            j += 1;
        }
        // The assessment: up to the next answer or numbered heading.
        let mut k = j;
        while k < lines.len()
            && !ANSWER.is_match(lines[k].text)
            && !SECTION.is_match(lines[k].text)
            && (k <= j || !RECOMMENDATION.is_match(lines[k].text))
        {
            k += 1;
        }
        let answer = normalize(&text[lines[i].end().min(text.len())..lines[j - 1].end()]);
        // The auditors' account and assessment are about the
        // recommendation, not statements of their own.
        for u in used.iter_mut().take(k).skip(i) {
            *u = true;
        }
        let Some((a, b)) = sentences(&answer)
            .into_iter()
            .find(|(a, b)| UNDERTAKES.is_match(&answer[*a..*b]))
        else {
            i = j;
            continue;
        };
        let sentence = answer[a..b].trim();
        let task = REPORTED.replace(sentence, "");
        let task = task.trim_end_matches('.').trim();
        // The subject when it is a party ("Mottagningsgruppen arbetar med
        // att …"), else the body the document is from.
        let first = task.split_whitespace().next().unwrap_or("");
        let lower = first.to_lowercase();
        let responsible = if is_body(first)
            || ["gruppen", "förvaltningen", "enheten", "avdelningen"]
                .iter()
                .any(|e| lower.ends_with(e))
        {
            Some(responsible_name(first, record))
        } else {
            record.body.clone()
        };
        let id = out.next_id();
        out.commitments.push(FoundCommitment {
            id,
            responsible,
            task: task.to_owned(),
            deadline: deadline_in(task, false),
            cadence: None,
            evidence: sentence.to_owned(),
            start: lines[i].start,
            end: lines[j - 1].end(),
            restated: false,
        });
        let assessment = if j < k {
            normalize(&text[lines[j].start..lines[k - 1].end()])
        } else {
            String::new()
        };
        if let Some(m) = ASSESSED.find(&assessment)
            && let Some(status) = assessed(m.as_str())
        {
            out.statuses.push(
                FoundStatus::new(
                    out.next_id(),
                    status,
                    task,
                    m.as_str().trim(),
                    (lines[i].start, lines[k - 1].end()),
                )
                .listed()
                .naming(bodies_in(sentence))
                .about_commitment(Some(id)),
            );
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use crate::commitments::find_commitments;
    use crate::commitments::test_support::{range, record};
    use kedja_model::{CommitmentStatus, DocKind};

    #[test]
    fn an_answer_undertakes_and_the_assessment_gives_its_status() {
        let text = "4.1.1 Vidtagna åtgärder\n\
            Rekommendation 1:\n\
            Att ta fram en rutin för lån av cyklar.\n\
            Nämndens svar:\n\
            En rutin för cykellån ska tas fram under hösten 2031. Den ska vara tydlig.\n\
            Vidtagna åtgärder:\n\
            En rutin finns nu.\n\
            1 Rutin för cykellån, 2031-05-01.\n\
            Bedömning\n\
            Rekommendationen bedöms således vara åtgärdad.\n\
            Rekommendation 2:\n\
            Att inventera cykelställen.\n\
            Nämndens svar:\n\
            Av nämndens svar framgår att cykelgruppen arbetar med att inventera ställen.\n\
            Bedömning:\n\
            Inventeringen är inte klar. Rekommendationen bedöms således kvarstå.\n\
            Rekommendation 3:\n\
            Att måla om stationen.\n\
            Styrelsens svar:\n\
            Stationen målades om i maj.\n\
            Rekommendation 4:\n\
            Att skylta vägen.\n\
            Nämndens svar:\n\
            Cykelgruppen ansvarar för att skyltar sätts upp.\n\
            Bedömning\n\
            Skyltar finns. Vi bedömer att rekommendationen därför har åtgärdats i tillräcklig utsträckning.\n";
        let found = find_commitments(text, &record(DocKind::StaffReport, Some("Fritidsnämnden")));
        let c = &found.commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert!(
            c[0].task.starts_with("En rutin för cykellån ska tas fram"),
            "{}",
            c[0].task
        );
        assert_eq!(c[0].deadline, Some(range("2031-08-01", "2031-12-31")));
        assert_eq!(c[0].responsible.as_deref(), Some("Fritidsnämnden"));
        assert_eq!(c[1].task, "cykelgruppen arbetar med att inventera ställen");
        assert_eq!(c[1].responsible.as_deref(), Some("Cykelgruppen"));
        let s = &found.statuses;
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(
            (s[0].status, s[0].about),
            (CommitmentStatus::Done, Some(c[0].id))
        );
        assert_eq!(
            (s[1].status, s[1].about),
            (CommitmentStatus::Ongoing, Some(c[1].id))
        );
        // Assessed in other words: "… har åtgärdats".
        assert_eq!(
            (s[2].status, s[2].about),
            (CommitmentStatus::Done, Some(c[2].id))
        );
    }

    #[test]
    fn an_assessment_of_the_measures_taken_gives_the_status() {
        let answer = |assessment: &str| {
            format!(
                "Rekommendation 1:\nAtt ta fram en rutin för lån av cyklar.\n\
                 Styrelsens svar:\nEn rutin för cykellån ska tas fram.\n\
                 Bedömning\n{assessment}\n"
            )
        };
        let status = |assessment: &str| {
            let found = find_commitments(
                &answer(assessment),
                &record(DocKind::StaffReport, Some("Kommunstyrelsen")),
            );
            assert_eq!(found.commitments.len(), 1, "{found:#?}");
            found.statuses.first().map(|s| s.status)
        };
        assert_eq!(
            status("Vår bedömning är att styrelsen har vidtagit erforderliga åtgärder."),
            Some(CommitmentStatus::Done)
        );
        assert_eq!(
            status("Vi bedömer att styrelsen har vidtagit vissa åtgärder men arbete återstår."),
            Some(CommitmentStatus::Ongoing)
        );
        assert_eq!(
            status("Vi bedömer att styrelsen inte har vidtagit några åtgärder."),
            Some(CommitmentStatus::NotStarted)
        );
        assert_eq!(
            status("Vi bedömer att styrelsen har inte vidtagit några åtgärder."),
            Some(CommitmentStatus::NotStarted)
        );
    }
}
