//! Document kinds of Swedish local politics.

use serde::{Deserialize, Serialize};

/// What a document is. The wire name (`as_str`) is stable; the Swedish label
/// (`label_sv`) is what users see.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Interpellation,
    InterpellationAnswer,
    Motion,
    /// Remissvar, yttrande or the answer to a motion.
    MotionResponse,
    /// Nämndinitiativ or politiskt initiativ.
    Initiative,
    CitizenProposal,
    /// Beslut, protokollsutdrag, one § of a protocol.
    Decision,
    /// Tjänsteskrivelse: an office's report to a body with the decision it
    /// proposes.
    StaffReport,
    Protocol,
    /// Handlingsplan, handlingsprogram, strategi.
    Plan,
    /// Återrapportering, uppföljning.
    FollowUp,
    #[default]
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 12] = [
        DocKind::Interpellation,
        DocKind::InterpellationAnswer,
        DocKind::Motion,
        DocKind::MotionResponse,
        DocKind::Initiative,
        DocKind::CitizenProposal,
        DocKind::Decision,
        DocKind::StaffReport,
        DocKind::Protocol,
        DocKind::Plan,
        DocKind::FollowUp,
        DocKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Interpellation => "interpellation",
            DocKind::InterpellationAnswer => "interpellation_answer",
            DocKind::Motion => "motion",
            DocKind::MotionResponse => "motion_response",
            DocKind::Initiative => "initiative",
            DocKind::CitizenProposal => "citizen_proposal",
            DocKind::Decision => "decision",
            DocKind::StaffReport => "staff_report",
            DocKind::Protocol => "protocol",
            DocKind::Plan => "plan",
            DocKind::FollowUp => "follow_up",
            DocKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Proposes a decision to a body, which answers it: a motion, an
    /// initiative or a citizens' proposal.
    pub fn proposes(self) -> bool {
        matches!(
            self,
            DocKind::Motion | DocKind::Initiative | DocKind::CitizenProposal
        )
    }

    /// Decides: a decision or the protocol holding it.
    pub fn decides(self) -> bool {
        matches!(self, DocKind::Decision | DocKind::Protocol)
    }

    /// Reports on what was asked for or decided: a follow-up, the answer
    /// to an interpellation, the response to a motion.
    pub fn reports(self) -> bool {
        matches!(
            self,
            DocKind::FollowUp | DocKind::InterpellationAnswer | DocKind::MotionResponse
        )
    }

    /// An interpellation or its answer: a member's question to a
    /// commissioner and the reply, neither of them a body's own document.
    pub fn of_interpellation(self) -> bool {
        matches!(
            self,
            DocKind::Interpellation | DocKind::InterpellationAnswer
        )
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            DocKind::Interpellation => "Interpellation",
            DocKind::InterpellationAnswer => "Interpellationssvar",
            DocKind::Motion => "Motion",
            DocKind::MotionResponse => "Yttrande/remissvar",
            DocKind::Initiative => "Initiativ",
            DocKind::CitizenProposal => "Medborgarförslag",
            DocKind::Decision => "Beslut",
            DocKind::StaffReport => "Tjänsteskrivelse",
            DocKind::Protocol => "Protokoll",
            DocKind::Plan => "Plan/program",
            DocKind::FollowUp => "Uppföljning",
            DocKind::Other => "Övrigt",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DocKind::{self, *};

    fn holding(predicate: fn(DocKind) -> bool) -> Vec<DocKind> {
        DocKind::ALL.into_iter().filter(|&k| predicate(k)).collect()
    }

    /// Each predicate holds exactly the kinds of the lists it replaced.
    #[test]
    fn predicates_hold_exactly_their_kinds() {
        assert_eq!(
            holding(DocKind::proposes),
            [Motion, Initiative, CitizenProposal]
        );
        assert_eq!(holding(DocKind::decides), [Decision, Protocol]);
        assert_eq!(
            holding(DocKind::reports),
            [InterpellationAnswer, MotionResponse, FollowUp]
        );
        assert_eq!(
            holding(DocKind::of_interpellation),
            [Interpellation, InterpellationAnswer]
        );
    }
}
