//! What one document says of commitments, as extraction finds it: the
//! commitments it states and the status statements it makes, each with an
//! id of its own, so that one finding can name another.

use serde::{Deserialize, Serialize};

use crate::{CommitmentStatus, DateRange};

/// Names one finding of one document: a commitment or a status statement.
///
/// Findings are numbered from 0 in the order extraction makes them, in one
/// sequence for commitments and statuses, so an id names one finding
/// whichever list holds it and is never reused within the document. The id
/// is saved with its finding; a finding that names another ([`FoundStatus::about`],
/// [`CommitmentText::point_deadlines`]) names it by id, which holds however
/// the lists are filtered or ordered later, as a position would not. Ids
/// mean nothing across documents: a document's findings are always taken
/// together, as one [`CommitmentText`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FindingId(pub u32);

/// A commitment as written in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundCommitment {
    pub id: FindingId,
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
    pub id: FindingId,
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
    /// det uppdraget", "förklarar uppdraget avslutat"), or the status cell
    /// of a task's row: the id of the document's commitment it refers to.
    pub about: Option<FindingId>,
    /// The decision that gave the assignment, when the statement names it
    /// ("anse uppdraget från 2025-03-10, § 23, genomfört").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cites: Option<Cited>,
}

impl FoundStatus {
    /// A statement that what `subject` names has `status`, quoting
    /// `evidence` from bytes `span` of the text: not listed, naming no
    /// body, about no commitment of the document and citing no decision
    /// until the methods below say so.
    pub fn new(
        id: FindingId,
        status: CommitmentStatus,
        subject: impl Into<String>,
        evidence: impl Into<String>,
        span: (usize, usize),
    ) -> Self {
        FoundStatus {
            id,
            status,
            subject: subject.into(),
            bodies: Vec::new(),
            evidence: evidence.into(),
            start: span.0,
            end: span.1,
            listed: false,
            about: None,
            cites: None,
        }
    }

    /// Listed under a status heading or in a status table.
    pub fn listed(mut self) -> Self {
        self.listed = true;
        self
    }

    /// Naming these bodies (canonical).
    pub fn naming(mut self, bodies: Vec<String>) -> Self {
        self.bodies = bodies;
        self
    }

    /// About the document's commitment `id`, when there is one.
    pub fn about_commitment(mut self, id: Option<FindingId>) -> Self {
        self.about = id;
        self
    }

    /// Citing the decision that gave the assignment, when it names one.
    pub fn citing(mut self, cites: Option<Cited>) -> Self {
        self.cites = cites;
        self
    }
}

/// A decision named by its date and, when given, its §.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cited {
    /// The day, as an ISO date.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
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
    /// Deadlines written in points named in running text, by the id of the
    /// status statement that lists the point.
    pub point_deadlines: Vec<(FindingId, Option<DateRange>)>,
}

impl CommitmentText {
    /// The id for the next finding: one past the greatest given.
    pub fn next_id(&self) -> FindingId {
        let given = self.commitments.iter().map(|c| c.id);
        let given = given.chain(self.statuses.iter().map(|s| s.id));
        FindingId(given.map(|id| id.0 + 1).max().unwrap_or(0))
    }

    /// The commitment with id `id`.
    pub fn commitment(&self, id: FindingId) -> Option<&FoundCommitment> {
        self.commitments.iter().find(|c| c.id == id)
    }

    /// The deadline written in the point that status statement `id` lists.
    pub fn point_deadline(&self, id: FindingId) -> Option<DateRange> {
        self.point_deadlines
            .iter()
            .find(|(s, _)| *s == id)
            .and_then(|(_, d)| *d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commitment(id: u32, task: &str) -> FoundCommitment {
        FoundCommitment {
            id: FindingId(id),
            responsible: None,
            task: task.into(),
            deadline: None,
            cadence: None,
            evidence: task.into(),
            start: 0,
            end: task.len(),
            restated: false,
        }
    }

    fn status(id: u32, about: Option<u32>) -> FoundStatus {
        FoundStatus::new(
            FindingId(id),
            CommitmentStatus::Done,
            "Uppdraget",
            "Uppdraget är slutfört.",
            (0, 0),
        )
        .listed()
        .about_commitment(about.map(FindingId))
    }

    #[test]
    fn a_status_is_built_plain_and_then_told_what_more_it_says() {
        let plain = FoundStatus::new(
            FindingId(4),
            CommitmentStatus::Ongoing,
            "Bryggan",
            "Bryggan byggs.",
            (3, 17),
        );
        assert_eq!((plain.start, plain.end), (3, 17));
        assert_eq!(
            (plain.subject.as_str(), plain.evidence.as_str()),
            ("Bryggan", "Bryggan byggs.")
        );
        assert!(!plain.listed && plain.bodies.is_empty());
        assert_eq!((plain.about, plain.cites.clone()), (None, None));
        let cited = Cited {
            date: "2031-03-03".into(),
            paragraph: Some(9),
        };
        let full = plain
            .listed()
            .naming(vec!["Fritidsnämnden".into()])
            .about_commitment(Some(FindingId(2)))
            .citing(Some(cited.clone()));
        assert!(full.listed);
        assert_eq!(full.bodies, vec!["Fritidsnämnden".to_owned()]);
        assert_eq!(full.about, Some(FindingId(2)));
        assert_eq!(full.cites, Some(cited));
    }

    #[test]
    fn findings_name_each_other_by_id_whatever_their_order() {
        let point = DateRange::month(2031, time::Month::March);
        let mut found = CommitmentText {
            commitments: vec![
                commitment(0, "inventera broar"),
                commitment(2, "rusta lekplatser"),
            ],
            statuses: vec![status(1, Some(2)), status(3, None)],
            point_deadlines: vec![(FindingId(3), point)],
            ..CommitmentText::default()
        };
        assert_eq!(found.next_id(), FindingId(4));
        found.commitments.reverse();
        let about = found.statuses[0].about.unwrap();
        assert_eq!(found.commitment(about).unwrap().task, "rusta lekplatser");
        assert_eq!(found.point_deadline(FindingId(3)), point);
        assert_eq!(found.point_deadline(FindingId(1)), None);
        assert_eq!(CommitmentText::default().next_id(), FindingId(0));
    }

    #[test]
    fn ids_are_saved_with_their_findings() {
        let found = CommitmentText {
            commitments: vec![commitment(5, "inventera broar")],
            statuses: vec![status(7, Some(5))],
            ..CommitmentText::default()
        };
        let json = serde_json::to_string(&found).unwrap();
        assert!(
            json.contains(r#""id":5"#) && json.contains(r#""about":5"#),
            "{json}"
        );
        let read: CommitmentText = serde_json::from_str(&json).unwrap();
        assert_eq!(read, found);
    }
}
