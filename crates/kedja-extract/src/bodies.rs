//! Political bodies: kommunfullmäktige, kommunstyrelsen, nämnder, utskott
//! and the auditors, in a canonical form ("Socialnämnden").

use std::sync::LazyLock;

use regex::Regex;

static BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?:
            kommunfullmäktige(?:s)?
          | kommunstyrelsen(?:s)?(?:\s+(?:arbetsutskott|personalutskott)(?:et)?)?
          | regionfullmäktige(?:s)? | regionstyrelsen(?:s)?
          | (?:(?:[\p{L}]+s?-\s+(?:och|eller)\s+)|(?:[\p{L}]+s?\s+och\s+)|(?:\p{L}+ska\s+))?[\p{L}]*nämnden(?:s)?
          | (?:[\p{L}]+\s+och\s+)?[\p{L}]*utskott(?:et)?(?:s)?
          | stadsrevisionen(?:s)? | de\s+förtroendevalda\s+revisorerna | revisorerna
        )",
    )
    .expect("valid regex")
});

/// The canonical name of a body: capitalised, definite, not genitive.
/// "KF" and "kommunfullmäktiges" become "Kommunfullmäktige".
pub fn canonical_body(raw: &str) -> String {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = t.to_lowercase();
    match lower.as_str() {
        "kf" => return "Kommunfullmäktige".into(),
        "ks" => return "Kommunstyrelsen".into(),
        "ksau" => return "Kommunstyrelsens arbetsutskott".into(),
        _ => {}
    }
    let mut s = lower;
    for (genitive, base) in [
        ("fullmäktiges", "fullmäktige"),
        ("styrelsens", "styrelsen"),
        ("nämndens", "nämnden"),
        ("utskottets", "utskottet"),
        ("revisionens", "revisionen"),
    ] {
        if s.ends_with(genitive) {
            s.truncate(s.len() - genitive.len());
            s.push_str(base);
            break;
        }
    }
    if s.ends_with("utskott") {
        s.push_str("et");
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Bodies named in `text`, canonical, in order of first mention, each once.
pub(crate) fn find_bodies(text: &str) -> Vec<(String, usize, usize)> {
    BODY.find_iter(text)
        .filter(|m| crate::word_bounded(text, m))
        .filter(|m| {
            // "nämnden" alone, without a name, says nothing.
            let l = m.as_str().to_lowercase();
            !matches!(
                l.as_str(),
                "nämnden" | "nämndens" | "utskott" | "utskottet" | "utskottets"
            )
        })
        .map(|m| (canonical_body(m.as_str()), m.start(), m.end()))
        .collect()
}

/// The body named most often (the first of equals).
pub(crate) fn most_named(text: &str) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (b, _, _) in find_bodies(text) {
        match counts.iter_mut().find(|(n, _)| *n == b) {
            Some((_, c)) => *c += 1,
            None => counts.push((b, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max()?;
    counts.into_iter().find(|(_, c)| *c == best).map(|(b, _)| b)
}

pub(crate) fn distinct_bodies(text: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for (b, _, _) in find_bodies(text) {
        if !seen.contains(&b) {
            seen.push(b);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical_body("kommunfullmäktiges"), "Kommunfullmäktige");
        assert_eq!(canonical_body("KS"), "Kommunstyrelsen");
        assert_eq!(canonical_body("Socialnämndens"), "Socialnämnden");
        assert_eq!(
            canonical_body("arbetsmarknads och socialnämnden"),
            "Arbetsmarknads och socialnämnden"
        );
        assert_eq!(
            distinct_bodies("Tekniska nämnden avstyrker"),
            vec!["Tekniska nämnden"]
        );
    }

    #[test]
    fn finds_named_bodies() {
        let text = "remitterades motionen till socialnämnden. Omsorgs- och socialnämnden svarade. \
                    Kommunstyrelsens trygghets och säkerhetsutskott följer upp. I nämnden diskuterades.";
        assert_eq!(
            distinct_bodies(text),
            vec![
                "Socialnämnden",
                "Omsorgs- och socialnämnden",
                "Kommunstyrelsen",
                "Trygghets och säkerhetsutskottet"
            ]
        );
    }
}
