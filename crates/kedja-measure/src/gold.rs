//! The gold files the evaluations read, as types: one loader, one error,
//! one rule for the development and test halves.
//!
//! Four shapes exist:
//! - the demo corpus's gold (`data/demo-gold.json`): its documents, links
//!   and commitments ([`DemoGold`]);
//! - links of real documents as citing places ([`PlaceGold`],
//!   `data/gold/alingsas-links.json`);
//! - understanding of real documents ([`DocumentsGold`],
//!   `data/gold/alingsas-documents.json`, `data/gold/lomma-paragraphs.json`);
//! - commitments alone ([`CommitmentsGold`],
//!   `data/gold/alingsas-commitments.json`,
//!   `data/gold/commitments-extra.json`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Why a gold file cannot be scored.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a {shape}", path.display())]
    Shape {
        path: PathBuf,
        shape: &'static str,
        source: serde_json::Error,
    },
    #[error("gold document {path} is not in the archive (looked for {source_key})")]
    NotImported { path: String, source_key: String },
    #[error("gold {what} names unknown document {path}")]
    UnknownDocument { what: &'static str, path: String },
    #[error(transparent)]
    Store(#[from] kedja_store::Error),
    #[error(transparent)]
    Archive(#[from] kedja_pipeline::Error),
}

/// Read the gold file at `path` as a `T`; `shape` names `T` in the error.
pub fn load<T: DeserializeOwned>(path: &Path, shape: &'static str) -> Result<T, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| GoldError::Shape {
        path: path.to_owned(),
        shape,
        source,
    })
}

/// The half of a gold file an item belongs to, fixed by the path of its
/// document as the gold file writes it: the development half when the
/// first byte of the path's SHA-256 is even, else the test half. Only the
/// development half may be read while rules are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Half {
    Dev,
    Test,
}

impl Half {
    pub const BOTH: [Half; 2] = [Half::Dev, Half::Test];

    pub fn of(path: &str) -> Half {
        use sha2::Digest;
        if sha2::Sha256::digest(path.as_bytes())[0].is_multiple_of(2) {
            Half::Dev
        } else {
            Half::Test
        }
    }

    /// "dev" or "test", as gold files and tables write it.
    pub fn short(self) -> &'static str {
        match self {
            Half::Dev => "dev",
            Half::Test => "test",
        }
    }

    /// "development" or "test", as sentences write it.
    pub fn name(self) -> &'static str {
        match self {
            Half::Dev => "development",
            Half::Test => "test",
        }
    }
}

/// Which half's mistakes to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Show {
    /// Only the development half may be read while rules are written.
    Dev,
}

// ------------------------------------------------------------ demo gold

/// `data/demo-gold.json`: paths relative to the corpus folder.
#[derive(Debug, Deserialize)]
pub struct DemoGold {
    pub documents: BTreeMap<String, DemoDocument>,
    pub links: Vec<DemoLink>,
    #[serde(default)]
    pub awaiting_decision: Vec<String>,
    #[serde(default)]
    pub commitments: Vec<DemoCommitment>,
}

#[derive(Debug, Deserialize)]
pub struct DemoDocument {
    pub kind: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DemoLink {
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub link_type: String,
    #[serde(default)]
    pub evidence: String,
}

/// A deadline as gold files write it: first and last day.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Deadline {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Deserialize)]
pub struct DemoCommitment {
    pub document: String,
    #[serde(default)]
    pub responsible: String,
    pub task: String,
    #[serde(default)]
    pub deadline: Option<Deadline>,
    #[serde(default)]
    pub cadence: Option<String>,
    pub final_status: String,
    #[serde(default)]
    pub status_reported_in: Option<String>,
    /// Words the report that gives the status says.
    #[serde(default)]
    pub status_evidence: Option<String>,
}

// ------------------------------------------------------ commitments gold

/// A gold file of commitments alone, each in the half of its document's
/// path.
#[derive(Debug, Deserialize)]
pub struct CommitmentsGold {
    pub commitments: Vec<GoldCommitment>,
}

#[derive(Debug, Deserialize)]
pub struct GoldCommitment {
    pub id: String,
    /// The document that first states it, relative to the corpus root.
    pub document: String,
    /// The § of a whole protocol ("§ 98", "KS § 14"), or a section.
    #[serde(default)]
    pub paragraph: Option<String>,
    #[serde(default)]
    pub responsible: Option<String>,
    pub task: String,
    #[serde(default)]
    pub deadline: Option<Deadline>,
    /// The words the deadline is read from.
    #[serde(default)]
    pub deadline_text: Option<String>,
    #[serde(default)]
    pub cadence: Option<String>,
    /// done, ongoing, not_started, postponed, cancelled or unknown.
    #[serde(default = "unknown")]
    pub status: String,
    /// "path" or "path, § N" of the report that gives the status.
    #[serde(default)]
    pub status_reported_in: Option<String>,
    /// Later documents that restate it ("path" or "path, § N").
    #[serde(default)]
    pub also_listed_in: Vec<String>,
}

fn unknown() -> String {
    "unknown".into()
}

/// Either commitments gold, told apart by the demo's `documents` object.
#[derive(Debug)]
pub enum AnyCommitmentsGold {
    Demo(DemoGold),
    Listed(CommitmentsGold),
}

pub fn load_commitments(path: &Path) -> Result<AnyCommitmentsGold, GoldError> {
    let value: serde_json::Value = load(path, "JSON file")?;
    let shape = |source| GoldError::Shape {
        path: path.to_owned(),
        shape: "commitments gold file",
        source,
    };
    if value
        .get("documents")
        .is_some_and(serde_json::Value::is_object)
    {
        serde_json::from_value(value)
            .map(AnyCommitmentsGold::Demo)
            .map_err(shape)
    } else {
        serde_json::from_value(value)
            .map(AnyCommitmentsGold::Listed)
            .map_err(shape)
    }
}

// ------------------------------------------------------------ places gold

/// Links of real documents: citing places with the words that cite, the
/// cited place (none when it is not in the corpus), generic phrases that
/// name nothing, and groups of documents of one case.
#[derive(Debug, Deserialize)]
pub struct PlaceGold {
    pub links: Vec<PlaceLink>,
    #[serde(default)]
    pub negatives: Vec<PlaceNegative>,
    #[serde(default)]
    pub same_case: Vec<PlaceCase>,
    /// Every place whose references the gold lists whole.
    pub examined: Vec<Place>,
}

/// A file, or a § of a whole protocol.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    #[serde(default)]
    pub paragraph: Option<u32>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.paragraph {
            Some(n) => write!(f, "{} § {n}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PlaceLink {
    pub from: Place,
    pub words: String,
    pub to: Option<Place>,
    /// A second place that is as right (the same decision twice).
    #[serde(default)]
    pub to_alt: Option<Place>,
    pub relation: String,
}

#[derive(Debug, Deserialize)]
pub struct PlaceNegative {
    pub from: Place,
    pub words: String,
}

#[derive(Debug, Deserialize)]
pub struct PlaceCase {
    pub diarienummer: String,
    pub members: Vec<Place>,
}

/// Whether the links gold file at `path` is of citing places (else the
/// demo's shape).
pub fn is_place_gold(path: &Path) -> Result<bool, GoldError> {
    let value: serde_json::Value = load(path, "JSON file")?;
    Ok(value.get("examined").is_some())
}

// ---------------------------------------------------------- documents gold

/// Understanding of real documents, one entry per file.
#[derive(Debug, Deserialize)]
pub struct DocumentsGold {
    pub documents: Vec<GoldDocument>,
}

#[derive(Debug, Deserialize)]
pub struct GoldDocument {
    pub path: String,
    /// The half, as the gold file's split rule gives it.
    pub split: String,
    /// document, error_page or empty.
    #[serde(default = "document_status")]
    pub status: String,
    /// No text layer.
    #[serde(default)]
    pub scanned: bool,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<String>,
    #[serde(default)]
    pub diarienummer: Vec<String>,
    /// "§ 37", or a number.
    #[serde(default)]
    pub paragraph: Option<serde_json::Value>,
    /// The §§ of a whole protocol.
    #[serde(default)]
    pub paragraphs: Option<Vec<GoldSection>>,
}

fn document_status() -> String {
    "document".into()
}

#[derive(Debug, Deserialize)]
pub struct GoldSection {
    pub number: u32,
    pub title: String,
    #[serde(default)]
    pub diarienummer: Vec<String>,
    #[serde(default)]
    pub page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn halves_follow_the_first_byte_of_the_path_hash() {
        // sha256("a") starts with 0xca (even), sha256("e") with 0x3f (odd).
        assert_eq!(Half::of("a"), Half::Dev);
        assert_eq!(Half::of("e"), Half::Test);
    }

    /// Every committed gold file loads as its type, and the halves its
    /// entries state are the ones the split rule gives.
    #[test]
    fn committed_gold_files_load_and_state_the_halves_the_rule_gives() {
        let demo: DemoGold = load(&repo().join("data/demo-gold.json"), "demo gold").unwrap();
        assert!(demo.links.len() >= 40 && demo.commitments.len() >= 20);
        for name in ["alingsas-links.json", "lomma-links.json"] {
            let places: PlaceGold =
                load(&repo().join("data/gold").join(name), "links gold").unwrap();
            assert!(
                !places.examined.is_empty() && !places.links.is_empty(),
                "{name}"
            );
        }
        for name in ["alingsas-documents.json", "lomma-paragraphs.json"] {
            let gold: DocumentsGold =
                load(&repo().join("data/gold").join(name), "documents gold").unwrap();
            assert!(!gold.documents.is_empty(), "{name}");
            for d in &gold.documents {
                assert_eq!(d.split, Half::of(&d.path).short(), "{name}: {}", d.path);
            }
        }
        for name in [
            "alingsas-commitments.json",
            "commitments-extra.json",
            "lomma-commitments.json",
        ] {
            let AnyCommitmentsGold::Listed(gold) =
                load_commitments(&repo().join("data/gold").join(name)).unwrap()
            else {
                panic!("{name} is not a list of commitments")
            };
            assert!(gold.commitments.len() >= 50, "{name}");
        }
        assert!(matches!(
            load_commitments(&repo().join("data/demo-gold.json")).unwrap(),
            AnyCommitmentsGold::Demo(_)
        ));
    }

    #[test]
    fn a_file_of_another_shape_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gold.json");
        std::fs::write(&path, r#"{"links": 3}"#).unwrap();
        let err = load::<PlaceGold>(&path, "links gold file").unwrap_err();
        assert!(
            err.to_string().contains("is not a links gold file"),
            "{err}"
        );
        let err = load::<PlaceGold>(&dir.path().join("none.json"), "links gold file").unwrap_err();
        assert!(matches!(err, GoldError::Read { .. }), "{err}");
    }
}
