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
          | (?:(?:[\p{L}]+s?-\s+(?:och|eller)\s+)|(?:[\p{L}]+s?\s+och\s+)|(?:\p{L}+ska\s+))?[\p{L}]*nämnden(?:s\s+arbetsutskott(?:et)?|s)?
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
    // A board's own committee keeps its name ("Kommunstyrelsens
    // arbetsutskott"); a committee named alone is definite
    // ("Trygghetsutskottet").
    let owned = s.contains("s arbetsutskott") || s.contains("s personalutskott");
    if owned && s.ends_with("utskottet") {
        s.truncate(s.len() - "et".len());
    } else if !owned && s.ends_with("utskott") {
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

/// The body a line names and nothing else (a letterhead: "Tekniska
/// nämnden", "Kultur- och utbildningsnämnden").
pub(crate) fn whole_line_body(line: &str) -> Option<String> {
    let line = line.trim();
    let found = find_bodies(line);
    match found.as_slice() {
        [(b, 0, end)] if *end == line.len() => Some(b.clone()),
        _ => None,
    }
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
    fn a_boards_committee_is_a_body_of_its_own() {
        assert_eq!(
            distinct_bodies("Kultur- och utbildningsnämndens arbetsutskott föreslår"),
            vec!["Kultur- och utbildningsnämndens arbetsutskott"]
        );
        assert_eq!(
            distinct_bodies("Kommunstyrelsens arbetsutskott har den 20 maj"),
            vec!["Kommunstyrelsens arbetsutskott"]
        );
        assert_eq!(canonical_body("KSAU"), "Kommunstyrelsens arbetsutskott");
        assert_eq!(
            whole_line_body("Vård- och omsorgsnämnden"),
            Some("Vård- och omsorgsnämnden".into())
        );
        assert_eq!(whole_line_body("Tekniska nämnden beslutar"), None);
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
