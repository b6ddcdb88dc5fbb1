//! A document's found commitments as the store saves them: the JSON of
//! [`CommitmentText`] in `documents.commitments_json`, and the shape saved
//! before findings had ids, read into the current one.

use kedja_model::CommitmentText;
use serde_json::Value;

use crate::{Error, Result};

pub(crate) fn to_json(found: &CommitmentText) -> Result<String> {
    serde_json::to_string(found).map_err(|e| Error::Corrupt(e.to_string()))
}

/// The found commitments of document `id` from their saved JSON, in either
/// shape.
pub(crate) fn from_json(id: &str, json: &str) -> Result<CommitmentText> {
    let corrupt =
        |e: serde_json::Error| Error::Corrupt(format!("commitments of document {id}: {e}"));
    match serde_json::from_str(json) {
        Ok(found) => Ok(found),
        Err(e) => {
            let positional: Value = serde_json::from_str(json).map_err(corrupt)?;
            match with_ids(positional) {
                Some(v) => serde_json::from_value(v).map_err(corrupt),
                None => Err(corrupt(e)),
            }
        }
    }
}

/// Found commitments saved before findings had ids (schema versions 6 to
/// 8, not derived again since) name one another by position: a status's
/// `about` is an index into `commitments`, a point deadline's first element
/// an index into `statuses`. Each finding is given its position as its id,
/// commitments first and statuses after them, and point deadlines are
/// renumbered to match, so every finding names the same one as before.
/// `None` when `v` is not of that shape.
fn with_ids(mut v: Value) -> Option<Value> {
    let found = v.as_object_mut()?;
    let mut next = 0u64;
    for list in ["commitments", "statuses"] {
        for finding in found.get_mut(list)?.as_array_mut()? {
            let finding = finding.as_object_mut()?;
            if finding.contains_key("id") {
                return None;
            }
            finding.insert("id".into(), next.into());
            next += 1;
        }
    }
    let statuses_from = found.get("commitments")?.as_array()?.len() as u64;
    if let Some(points) = found.get_mut("point_deadlines") {
        for point in points.as_array_mut()? {
            let status = point.get_mut(0)?;
            *status = (status.as_u64()? + statuses_from).into();
        }
    }
    Some(v)
}

/// The saved JSON of a document that has found commitments, or `""` for
/// one without: the store's index of committing documents reads that.
pub(crate) fn column(found: Option<&CommitmentText>) -> Result<String> {
    found.map_or_else(|| Ok(String::new()), to_json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedja_model::{CommitmentStatus, FindingId};

    /// What a store of schema version 8 holds for a follow-up report: two
    /// commitments, a status about the second by position, and a listed
    /// point with its deadline by position among the statuses.
    const POSITIONAL: &str = r#"{"commitments":[
        {"responsible":"Kulturnämnden","task":"Ta fram en läsplan","deadline":null,"cadence":null,"evidence":"Kulturnämnden ska ta fram en läsplan.","start":0,"end":37,"restated":true},
        {"responsible":"Kulturnämnden","task":"Rusta upp biblioteket","deadline":null,"cadence":null,"evidence":"Kulturnämnden ska rusta upp biblioteket.","start":38,"end":78,"restated":true}],
      "statuses":[
        {"status":"done","subject":"Uppdraget","bodies":[],"evidence":"Uppdraget är slutfört.","start":79,"end":101,"listed":false,"about":1},
        {"status":"ongoing","subject":"Läsombud","bodies":["Kulturnämnden"],"evidence":"Läsombud pågår.","start":102,"end":117,"listed":true,"about":null,"cites":{"date":"2030-03-03","paragraph":12}}],
      "report_line":null,"proposed":false,
      "point_deadlines":[[1,{"start":"2031-01-01","end":"2031-06-30","precision":"month"}]]}"#;

    #[test]
    fn findings_saved_by_position_are_read_with_ids_that_name_the_same_ones() {
        let found = from_json("d1", POSITIONAL).unwrap();
        let ids: Vec<u32> = found.commitments.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, [0, 1]);
        let ids: Vec<u32> = found.statuses.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, [2, 3]);
        let about = found.statuses[0].about.expect("about the assignment");
        assert_eq!(
            found.commitment(about).unwrap().task,
            "Rusta upp biblioteket"
        );
        assert_eq!(found.statuses[1].status, CommitmentStatus::Ongoing);
        assert_eq!(
            found.statuses[1].cites.as_ref().unwrap().paragraph,
            Some(12)
        );
        let deadline = found.point_deadline(found.statuses[1].id).unwrap();
        assert_eq!(deadline.end.to_string(), "2031-06-30");
        assert_eq!(found.point_deadline(found.statuses[0].id), None);
        assert_eq!(found.next_id(), FindingId(4));
        // Saved again, it is read as it is.
        assert_eq!(from_json("d1", &to_json(&found).unwrap()).unwrap(), found);
    }

    #[test]
    fn findings_that_fit_neither_shape_are_an_error() {
        let with_id = POSITIONAL.replacen(r#""responsible""#, r#""id":"x","responsible""#, 1);
        assert!(matches!(from_json("d1", &with_id), Err(Error::Corrupt(_))));
        let err = from_json("d1", r#"{"commitments":[1]}"#).unwrap_err();
        assert!(err.to_string().contains("document d1"), "{err}");
    }
}
