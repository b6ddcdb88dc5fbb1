//! Lookup keys, so that a store can answer linking's two questions with an
//! index instead of reading every document: which documents could a
//! reference name ([`document_keys`]), and which references could a new
//! document answer ([`reference_key`], [`answering_keys`]).
//!
//! A key is a necessary condition, never a sufficient one: whatever is
//! found by key is checked again with [`crate::Want::admits`] or
//! [`crate::could_resolve_to`].

use kedja_model::{Date, DateRange, DocKind, RefKind, Reference};

use crate::{DECIDING, DocInfo, Want, compatible, fold, mention_date, paragraph_number, tokens};

/// The key every listed reference is filed under.
const LISTED_KEY: &str = "lst:";

/// The prefix of the keys that name a document's authors.
pub const AUTHOR_PREFIX: &str = "author:";

/// The key of a document whose title has the word ([`crate::tokens`]).
pub fn title_word_key(word: &str) -> String {
    format!("tt:{word}")
}

/// The key of a document that gives the diarienummer (as its own or not).
pub fn gives_diarienummer_key(key: &str) -> String {
    format!("dx:{key}")
}

/// The key of a document with the word among its [`DocInfo::name_words`].
pub fn name_word_key(word: &str) -> String {
    format!("tn:{word}")
}

/// Keys of which a document [`Want::shares`] or [`Want::named`] asks for
/// has one.
pub fn shared_keys(want: &Want<'_>) -> Option<Vec<String>> {
    if let Some(words) = want.named {
        return Some(words.iter().map(|w| name_word_key(w)).collect());
    }
    let (words, dnr) = want.shares?;
    Some(
        words
            .iter()
            .map(|w| title_word_key(w))
            .chain(dnr.iter().map(|k| gives_diarienummer_key(k)))
            .collect(),
    )
}

/// The key of a document by `name`, in any of its spellings
/// (`same_name`).
pub fn author_key(name: &str) -> String {
    format!("{AUTHOR_PREFIX}{}", fold(name))
}

/// A key every document `want` asks for has, when it names one (a
/// paragraph, a diarienummer or a document number).
pub fn wanted_key(want: &Want<'_>) -> Option<String> {
    if let Some(p) = want.paragraph {
        Some(format!("par:{p}"))
    } else if let Some(k) = want.own_diarienummer {
        Some(format!("dnr:{k}"))
    } else {
        want.doc_number.map(|n| format!("nr:{n}"))
    }
}

/// The keys a document is found by: its own diarienummer ("dnr:…"), its
/// document number ("nr:…"), its paragraph ("par:187"), its authors
/// ("author:…"), the words of its title ("tt:…") and every diarienummer it
/// gives ("dx:…").
pub fn document_keys(d: &DocInfo) -> Vec<String> {
    let mut keys: Vec<String> = d
        .own_diarienummer
        .iter()
        .map(|k| format!("dnr:{k}"))
        .collect();
    keys.extend(d.doc_number.iter().map(|n| format!("nr:{n}")));
    keys.extend(
        d.paragraph
            .iter()
            .map(|p| format!("par:{}", paragraph_number(p))),
    );
    keys.extend(d.authors.iter().map(|a| author_key(&a.name)));
    keys.extend(tokens(&d.title).iter().map(|w| title_word_key(w)));
    keys.extend(d.diarienummer.iter().map(|k| gives_diarienummer_key(k)));
    keys.extend(d.name_words().iter().map(|w| name_word_key(w)));
    keys.sort();
    keys.dedup();
    keys
}

/// The key a reference made by a document dated `citing_date` is filed
/// under, or `None` for a reference that can never resolve (a mention of
/// no kind, a decision with neither paragraph nor date).
pub fn reference_key(r: &Reference, citing_date: Option<Date>) -> Option<String> {
    // A mention's date that does not count files it as undated.
    let date = match r.kind {
        RefKind::Mention => mention_date(r, citing_date),
        _ => r.date,
    };
    match r.kind {
        RefKind::Diarienummer => r.diarienummer.as_ref().map(|k| format!("dnr:{k}")),
        RefKind::DocumentNumber => r.title.as_ref().map(|n| format!("nr:{n}")),
        RefKind::Paragraph | RefKind::Decision => match (&r.paragraph, date) {
            (Some(p), _) => Some(format!("par:{}", paragraph_number(p))),
            (None, Some(d)) => Some(format!("dec:{}", period(d))),
            (None, None) => None,
        },
        // A listed title may name any document: every new document is
        // asked whether it fits ([`crate::could_resolve_to`] is cheap).
        RefKind::Listed => r.title.as_ref().map(|_| LISTED_KEY.to_owned()),
        RefKind::Mention => {
            let kind = r.target_kind?.as_str();
            Some(format!(
                "men:{kind}:{}",
                date.map(period).unwrap_or_default()
            ))
        }
    }
}

/// The narrowest calendar period holding a date range: its month
/// ("2022-02"), its year ("2022"), or nothing for a range over years.
fn period(d: DateRange) -> String {
    if d.start.year() != d.end.year() {
        String::new()
    } else if d.start.month() != d.end.month() {
        d.start.year().to_string()
    } else {
        format!("{}-{:02}", d.start.year(), u8::from(d.start.month()))
    }
}

/// The periods a reference naming a document dated `d` may be filed
/// under: none, its year, its month.
fn periods(d: Date) -> [String; 3] {
    [
        String::new(),
        d.year().to_string(),
        format!("{}-{:02}", d.year(), u8::from(d.month())),
    ]
}

/// Keys under which every reference that could resolve to `d` is filed:
/// exact keys, and prefixes (for an undated document, which a dated
/// mention of its kind may name whatever the year).
pub fn answering_keys(d: &DocInfo) -> (Vec<String>, Vec<String>) {
    let mut exact = document_keys(d);
    exact.retain(|k| ["dnr:", "nr:", "par:"].iter().any(|p| k.starts_with(p)));
    exact.push(LISTED_KEY.to_owned());
    let mut prefixes = Vec::new();
    if DECIDING.contains(&d.kind)
        && let Some(date) = d.date
    {
        exact.extend(periods(date).map(|p| format!("dec:{p}")));
    }
    for mentioned in DocKind::ALL.into_iter().filter(|&m| compatible(m, d.kind)) {
        let m = mentioned.as_str();
        match d.date {
            Some(date) => exact.extend(periods(date).map(|p| format!("men:{m}:{p}"))),
            None => prefixes.push(format!("men:{m}:")),
        }
    }
    (exact, prefixes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::could_resolve_to;
    use kedja_model::{DocId, Person, PersonRole};
    use time::macros::date;

    fn info(kind: DocKind, date: Option<time::Date>) -> DocInfo {
        DocInfo {
            id: DocId("d".into()),
            kind,
            municipality: None,
            date,
            title: String::new(),
            body: None,
            authors: vec![Person {
                name: "Martina Lind".into(),
                party: None,
                role: PersonRole::Author,
            }],
            diarienummer: vec![],
            paragraph: Some("§ 187".into()),
            own_diarienummer: vec!["KS 2022/17".into()],
            doc_number: Some("2022:4".into()),
            office: None,
            part_of: None,
            name: None,
            folder: None,
            decided: None,
        }
    }

    fn references() -> Vec<Reference> {
        let r = |kind| Reference::new(kind, "…", 0, 1);
        let mut out = Vec::new();
        for kind in [RefKind::Diarienummer, RefKind::DocumentNumber] {
            out.push(Reference {
                diarienummer: Some("KS 2022/17".into()),
                title: Some("2022:4".into()),
                ..r(kind)
            });
            out.push(Reference {
                diarienummer: Some("KS 2022/18".into()),
                title: Some("2022:5".into()),
                ..r(kind)
            });
        }
        let dates = [
            None,
            Some(DateRange::day(date!(2022 - 12 - 14))),
            DateRange::month(2022, time::Month::December),
            DateRange::year(2021),
            DateRange::month(2021, time::Month::June),
            // "våren 2022": months of one year
            Some(DateRange {
                start: date!(2022 - 01 - 01),
                end: date!(2022 - 06 - 30),
                precision: kedja_model::Precision::Month,
            }),
            Some(DateRange {
                start: date!(2021 - 01 - 01),
                end: date!(2023 - 12 - 31),
                precision: kedja_model::Precision::Year,
            }),
        ];
        for date in dates {
            for paragraph in [None, Some("§ 187"), Some("§ 188")] {
                for kind in [RefKind::Paragraph, RefKind::Decision] {
                    out.push(Reference {
                        date,
                        paragraph: paragraph.map(str::to_owned),
                        ..r(kind)
                    });
                }
            }
            for target in DocKind::ALL {
                out.push(Reference {
                    date,
                    target_kind: Some(target),
                    ..r(RefKind::Mention)
                });
            }
        }
        out
    }

    /// Every reference that could resolve to a document is filed under one
    /// of the keys the document answers to: the store's lookup loses none.
    #[test]
    fn answering_keys_cover_every_reference_that_could_resolve() {
        let refs = references();
        let mut covered = 0;
        let citing_dates = [
            None,
            Some(date!(2022 - 06 - 30)),
            Some(date!(2024 - 01 - 01)),
        ];
        for kind in DocKind::ALL {
            for date in [
                None,
                Some(date!(2022 - 12 - 14)),
                Some(date!(2021 - 06 - 01)),
            ] {
                let d = info(kind, date);
                let (exact, prefixes) = answering_keys(&d);
                for (r, citing) in refs.iter().flat_map(|r| citing_dates.map(|c| (r, c))) {
                    if !could_resolve_to(r, citing, &d) {
                        continue;
                    }
                    covered += 1;
                    let key =
                        reference_key(r, citing).expect("a reference that can resolve has a key");
                    assert!(
                        exact.contains(&key) || prefixes.iter().any(|p| key.starts_with(p)),
                        "{r:?} could resolve to {kind:?} dated {date:?} but {key} is not among {exact:?} {prefixes:?}"
                    );
                }
            }
        }
        assert!(covered > 100, "only {covered} pairs could resolve");
    }

    #[test]
    fn keys_are_narrow() {
        let d = info(DocKind::Motion, Some(date!(2022 - 12 - 14)));
        let (exact, prefixes) = answering_keys(&d);
        assert!(prefixes.is_empty());
        assert!(exact.contains(&"men:motion:2022".to_owned()));
        assert!(exact.contains(&"men:motion:2022-12".to_owned()));
        assert_eq!(
            reference_key(
                &Reference {
                    target_kind: Some(DocKind::Motion),
                    date: DateRange::month(2022, time::Month::February),
                    ..Reference::new(RefKind::Mention, "…", 0, 1)
                },
                None
            )
            .as_deref(),
            Some("men:motion:2022-02")
        );
        assert!(!exact.iter().any(|k| k.starts_with("men:decision")));
        assert!(!exact.iter().any(|k| k.starts_with("dec:")), "{exact:?}");
        assert_eq!(
            document_keys(&d),
            vec![
                "author:martina lind".to_owned(),
                "dnr:KS 2022/17".to_owned(),
                "nr:2022:4".to_owned(),
                "par:187".to_owned(),
            ]
        );
    }
}
