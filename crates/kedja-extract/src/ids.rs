//! Identifiers: diarienummer in their many forms, § references and
//! parliamentary document numbers.

use std::sync::LazyLock;

use regex::Regex;

/// Prefixes of official publication series, which look like diarienummer
/// ("SOU 2015:55") but are not.
const NOT_DNR: &[&str] = &[
    "SOU", "DS", "PROP", "BET", "SKR", "SFS", "RIR", "FPM", "EU", "ISBN", "LAG",
];

static DNR_PREFIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<p>[A-ZÅÄÖ]{2,6})(?:\s*[/.\- ]\s*)(?P<y>(?:19|20)\d\d)\s*[:/.\-]\s*(?P<n>\d{1,6})(?-u:\b)",
    )
    .expect("valid regex")
});
/// "2025.242 TEN", "2026.016 KS": year and number, then the register's
/// code, as some case systems write them. A text layer may set a space
/// after the dot ("2025. 374 KS"); that form is only taken after a
/// diarienummer label, since in prose it could be a sentence's end.
static DNR_SUFFIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>(?:19|20)\d\d)\.(?P<gap> )?(?P<n>\d{1,6})[ \t]+(?P<s>[A-ZÅÄÖ]{2,6})")
        .expect("valid regex")
});

/// Whether a diarienummer label ("Diarienummer:", "Dnr") stands on the
/// line before byte `at`, with at most a few characters between.
fn labelled_before(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_end().to_lowercase();
    let before = before
        .trim_end_matches(':')
        .trim_end_matches('.')
        .trim_end();
    ["diarienummer", "diarienr", "dnr"]
        .iter()
        .any(|l| before.ends_with(l))
}
static DNR_LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:dnr|diarienummer|diarienr|ärendenummer)\.?:?[ \t]*(?P<v>[A-ZÅÄÖ]{0,6}[ \t/.\-]?\d{2,4}[\s/.:\-]\d{1,6}(?:[\-:]\d{1,6})?)")
        .expect("valid regex")
});
static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:(?P<body>KF|KS|KSAU|[A-ZÅÄÖ]{2,5}N|[Kk]ommunfullmäktige|[Kk]ommunstyrelsen)\s+)?
        (?:(?P<date>(?:19|20)\d\d-[01]\d-[0-3]\d)\s*[/,]?\s*)?
        (?P<sign>§§?)\s*(?P<n>\d{1,4})(?:\s*[-–]\s*(?P<n2>\d{1,4}))?(?-u:\b)",
    )
    .expect("valid regex")
});
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:19|20)\d\d/\d\d:\d{1,4}(?-u:\b)").expect("valid regex")
});

/// A diarienummer as found, with its normalised key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dnr {
    pub text: String,
    pub key: String,
    pub start: usize,
    pub end: usize,
}

/// The comparison key of a diarienummer: "KS/2019:317", "KS 2019/317" and
/// "KS-2019-0317" all become "KS-2019-317".
pub fn dnr_key(s: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_digit: Option<bool> = None;
    for c in s.chars() {
        let digit = c.is_ascii_digit();
        let alpha = c.is_alphabetic();
        if !(digit || alpha) || cur_digit.is_some_and(|d| d != digit) {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            if !(digit || alpha) {
                cur_digit = None;
                continue;
            }
        }
        cur_digit = Some(digit);
        cur.extend(c.to_uppercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
        .into_iter()
        .map(|p| {
            if p.chars().all(|c| c.is_ascii_digit()) {
                p.trim_start_matches('0').to_owned().max("0".into())
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The keys of the diarienummer written in `text`, in order.
pub fn diarienummer_keys(text: &str) -> Vec<String> {
    find_dnr(text).into_iter().map(|d| d.key).collect()
}

pub(crate) fn find_dnr(text: &str) -> Vec<Dnr> {
    let mut out: Vec<Dnr> = Vec::new();
    for c in DNR_SUFFIXED.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if !crate::word_bounded(text, &m) {
            continue;
        }
        let (y, n, code) = (&c["y"], &c["n"], &c["s"]);
        if NOT_DNR.contains(&code) || (c.name("gap").is_some() && !labelled_before(text, m.start()))
        {
            continue;
        }
        out.push(Dnr {
            text: m.as_str().to_owned(),
            key: dnr_key(&format!("{code} {y} {n}")),
            start: m.start(),
            end: m.end(),
        });
    }
    for c in DNR_LABELLED.captures_iter(text) {
        if !crate::at_word_start(text, c.get(0).expect("whole match").start()) {
            continue;
        }
        let v0 = c.name("v").expect("group v");
        if out.iter().any(|d| d.start < v0.end() && v0.start() < d.end) {
            continue;
        }
        let v = c.name("v").expect("group v");
        let t = v.as_str().trim();
        out.push(Dnr {
            text: t.to_owned(),
            key: dnr_key(t),
            start: v.start(),
            end: v.start() + t.len(),
        });
    }
    for c in DNR_PREFIXED.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if NOT_DNR.contains(&c["p"].to_uppercase().as_str())
            || !crate::at_word_start(text, m.start())
        {
            continue;
        }
        // "KS 2019-12-18" is a body and a date, not a diarienummer.
        let rest = &text.as_bytes()[m.end()..];
        if rest.len() >= 2 && rest[0] == b'-' && rest[1].is_ascii_digit() {
            continue;
        }
        if out.iter().any(|d| d.start < m.end() && m.start() < d.end) {
            continue;
        }
        out.push(Dnr {
            text: m.as_str().to_owned(),
            key: dnr_key(m.as_str()),
            start: m.start(),
            end: m.end(),
        });
    }
    out.sort_by_key(|d| d.start);
    out
}

/// A § reference: "KS 2019-12-18 § 334", "§§ 63-73", "KF § 12".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphRef {
    pub text: String,
    /// "Kommunfullmäktige" or "Kommunstyrelsen" when an abbreviation or name precedes.
    pub body: Option<String>,
    pub date: Option<String>,
    pub number: u32,
    pub number_to: Option<u32>,
    pub start: usize,
    pub end: usize,
}

pub(crate) fn find_paragraphs(text: &str) -> Vec<ParagraphRef> {
    PARAGRAPH
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            // "5 kap. § 11" cites a statute, not a body's minutes.
            let before = &text[text.floor_char_boundary(m.start().saturating_sub(12))..m.start()];
            if before.contains("kap") {
                return None;
            }
            let number = c["n"].parse().ok()?;
            Some(ParagraphRef {
                text: m.as_str().to_owned(),
                body: c
                    .name("body")
                    .filter(|b| crate::at_word_start(text, b.start()))
                    .map(|b| crate::bodies::canonical_body(b.as_str())),
                date: c.name("date").map(|d| d.as_str().to_owned()),
                number,
                number_to: c.name("n2").and_then(|n| n.as_str().parse().ok()),
                start: m.start(),
                end: m.end(),
            })
        })
        .collect()
}

/// Parliamentary document numbers ("2022/23:1").
pub(crate) fn find_doc_numbers(text: &str) -> Vec<(String, usize, usize)> {
    DOC_NUMBER
        .find_iter(text)
        .map(|m| (m.as_str().to_owned(), m.start(), m.end()))
        .collect()
}

/// The identifiers a document is known by, as search keys:
/// "dnr:KS-2019-317" for its own diarienummer, "par:334" for its own §,
/// "doc:2022/23:1" for a document number.
pub fn record_identifiers(record: &kedja_model::Record) -> Vec<String> {
    let mut out: Vec<String> = record
        .own_diarienummer
        .iter()
        .map(|k| format!("dnr:{}", dnr_key(k)))
        .collect();
    if let Some(p) = record.paragraph.as_deref()
        && let Some(n) = p.trim_start_matches('§').split_whitespace().next()
    {
        out.push(format!("par:{n}"));
    }
    if let Some(d) = &record.doc_number {
        out.push(format!("doc:{d}"));
    }
    out
}

/// The identifiers a search query names, as the keys of
/// [`record_identifiers`]: "KS/2019:317", "KS 2019/317", "Dnr 2022-00123",
/// "§ 334", "KF § 12", "2022/23:1".
pub fn query_identifiers(query: &str) -> Vec<String> {
    let mut out: Vec<String> = find_dnr(query)
        .into_iter()
        .map(|d| format!("dnr:{}", d.key))
        .collect();
    if out.is_empty() {
        // A bare "KS 2019/317" or "2022-00123" typed without a label.
        let t = query.trim();
        let looks_like = t.chars().any(|c| c.is_ascii_digit())
            && t.chars().any(|c| matches!(c, '/' | ':' | '-' | '.'))
            && t.split_whitespace().count() <= 3
            && !DOC_NUMBER.is_match(t)
            && !t.contains('§');
        if looks_like {
            out.push(format!("dnr:{}", dnr_key(t)));
        }
    }
    out.extend(
        find_paragraphs(query)
            .into_iter()
            .filter(|p| p.number_to.is_none())
            .map(|p| format!("par:{}", p.number)),
    );
    out.extend(
        find_doc_numbers(query)
            .into_iter()
            .map(|(d, _, _)| format!("doc:{d}")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_in_queries_match_those_of_records() {
        assert_eq!(query_identifiers("KS/2019:317"), vec!["dnr:KS-2019-317"]);
        assert_eq!(query_identifiers("KS 2019/317"), vec!["dnr:KS-2019-317"]);
        assert_eq!(query_identifiers("Dnr 2022-00123"), vec!["dnr:2022-123"]);
        assert_eq!(query_identifiers("2022-00123"), vec!["dnr:2022-123"]);
        assert_eq!(query_identifiers("§ 334"), vec!["par:334"]);
        assert_eq!(query_identifiers("KF § 12"), vec!["par:12"]);
        assert_eq!(query_identifiers("2022/23:1"), vec!["doc:2022/23:1"]);
        assert!(query_identifiers("våld mot kvinnor").is_empty());
        let record = kedja_model::Record {
            own_diarienummer: vec![dnr_key("KS/2019:317")],
            paragraph: Some("§ 334".into()),
            doc_number: Some("2022/23:1".into()),
            ..Default::default()
        };
        assert_eq!(
            record_identifiers(&record),
            vec!["dnr:KS-2019-317", "par:334", "doc:2022/23:1"]
        );
    }

    #[test]
    fn dnr_forms_share_a_key() {
        for s in ["KS/2019:317", "KS 2019/317", "ks-2019-0317", "KS.2019.317"] {
            assert_eq!(dnr_key(s), "KS-2019-317", "{s}");
        }
        assert_eq!(dnr_key("2022-00123"), "2022-123");
    }

    #[test]
    fn a_register_code_after_the_number_is_a_diarienummer() {
        let keys: Vec<String> = find_dnr("§ 65 2025.242 TEN\nDiarienr: 2026.225 KS\nKS 2025.242")
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(keys, vec!["TEN-2025-242", "KS-2026-225", "KS-2025-242"]);
        // A label alone on its line takes no value from the next line.
        assert!(find_dnr("Diarienr:\n2026-05-08").is_empty());
        // A space after the dot, as a text layer may set it: after a label
        // only, since in prose it ends a sentence.
        let keys: Vec<String> = find_dnr("Diarienummer: 2025. 374 KS\nGäller för: alla")
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(keys, vec!["KS-2025-374"]);
        assert!(find_dnr("Det skedde i maj 2025. 374 KS-ledamöter röstade").is_empty());
    }

    #[test]
    fn finds_dnr_but_not_sou() {
        let text = "Diarienummer: KS/2019:317. Se även Dnr 2022-00123, KU.2017.3, KS 2019-12-18 och SOU 2015:55.";
        let keys: Vec<String> = find_dnr(text).into_iter().map(|d| d.key).collect();
        assert_eq!(keys, vec!["KS-2019-317", "2022-123", "KU-2017-3"]);
    }

    #[test]
    fn finds_paragraphs() {
        let p = find_paragraphs(
            "Beslutad av kommunstyrelsen. 2019-12-18/§ 334 och KF § 12 samt §§ 63-73 enligt 5 kap. § 11 SoL",
        );
        let got: Vec<String> = p
            .into_iter()
            .map(|p| format!("{:?} {:?} {} {:?}", p.body, p.date, p.number, p.number_to))
            .collect();
        assert_eq!(
            got,
            vec![
                r#"None Some("2019-12-18") 334 None"#,
                r#"Some("Kommunfullmäktige") None 12 None"#,
                "None None 63 Some(73)",
            ]
        );
    }

    #[test]
    fn finds_doc_numbers() {
        assert_eq!(
            find_doc_numbers("Interpellation 2022/23:1 av")[0].0,
            "2022/23:1"
        );
    }
}
