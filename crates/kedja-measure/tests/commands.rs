//! The `kedja-measure` binary as the team runs it: the commands print
//! the figures they promise.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn measure(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kedja-measure"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("kedja-measure runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `eval-links` on the demo corpus prints a row per link type of the gold
/// file, the pairs alone, and how many links lack evidence.
#[test]
fn the_links_evaluation_prints_a_row_per_link_type() {
    let out = measure(&["eval-links"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for row in ["answers ", "all ", "untyped "] {
        assert!(text.lines().any(|l| l.starts_with(row)), "{row}: {text}");
    }
    assert!(text.contains("links without evidence: 0"), "{text}");
}

/// A gold file of the wrong shape is refused with its path and shape, not
/// scored as if empty.
#[test]
fn a_gold_file_of_another_shape_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.json");
    std::fs::write(&gold, r#"{"commitments": "none"}"#).unwrap();
    let out = measure(&["eval-commitments", "--gold", gold.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is not a commitments gold file"),
        "{}",
        stderr(&out)
    );
}

/// The crawl benchmarks measure what they say: the MeetingPlus-shaped site
/// imports its meetings' files (none refused as error pages), and the
/// many-hosts mode crawls every site.
#[test]
fn the_crawl_benchmarks_import_what_they_crawl() {
    let out = measure(&["bench-crawl", "--pages", "100", "--meetingplus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("crawled "))
        .unwrap_or_else(|| panic!("{text}"));
    let number_before = |word: &str| -> u64 {
        let at = line.find(word).unwrap_or_else(|| panic!("{line}"));
        line[..at]
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line}"))
    };
    assert!(number_before(" documents imported") > 50, "{text}");
    assert_eq!(number_before(" failed"), 0, "{text}");
    assert!(text.contains("documents with their meeting"), "{text}");

    let out = measure(&[
        "bench-crawl",
        "--hosts",
        "4",
        "--per-host",
        "2",
        "--pause-ms",
        "50",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("all 4 sites at once: 12 pages, 8 documents"),
        "{}",
        stdout(&out)
    );
}
