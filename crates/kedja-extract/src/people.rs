//! People and parties: authors and co-signers from signature blocks and
//! "av NAMN (V)" headings, and the addressee ("Till KSO").

use std::sync::LazyLock;

use kedja_model::{Person, PersonRole};
use regex::Regex;

use crate::lexicon::{PARTY_ABBR_ALT, party_abbreviation};

/// Two to four names; middle ones may be initials ("Gunvor G Ericson") and
/// surnames may have a particle ("Marietta de Pourbaix-Lundin").
const NAME: &str = r"\p{Lu}[\p{Ll}'’\-]+(?:\p{Lu}\p{Ll}+)?(?:[ \-](?:(?:de|von|af|van|der|la|le|di|da)\s+)?\p{Lu}(?:[\p{Ll}'’\-]+|\.)?){0,2}[ \-](?:(?:de|von|af|van|der|la|le|di|da)\s+)?\p{Lu}[\p{Ll}'’\-]+";
/// Riksdagen tells namesakes apart by place: "Helén Pettersson i Umeå (S)",
/// "Gunilla Carlsson i Hisings Backa (S)".
const PLACE: &str = r"(?:\s+i\s+\p{Lu}[\p{L}\-]+(?:\s+\p{Lu}[\p{L}\-]+)?)?";

static NAME_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<name>{NAME}){PLACE}\s*\((?P<party>{PARTY_ABBR_ALT})\)"
    ))
    .expect("valid regex")
});
static NAME_COMMA_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<name>{NAME}),\s*(?P<party>\p{{Lu}}[\p{{L}} ]+?)\s*$"
    ))
    .expect("valid regex")
});
static BARE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?P<name>{NAME})$")).expect("valid regex"));
static FOR_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:för)\s+(?P<party>\p{Lu}[\p{L}]*partiet(?:\s+\p{Lu}[\p{L}]+)?|\p{Lu}[\p{L}]+erna)\s*$").expect("valid regex")
});
static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(?:^|[\s(])(?i:till)\s+(?P<a>KSO|KSO:s|kommunstyrelsens\s+ordförande|kommunfullmäktiges\s+ordförande|[\p{L}\-]+nämndens\s+ordförande|[\p{L}\-]+råd(?:et)?(?:\s+\p{Lu}[\p{L}]+\s+\p{Lu}[\p{L}\-]+(?:\s*\([A-Z]{1,3}\))?)?)\b",
    )
    .expect("valid regex")
});
static QUESTIONS_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:frågor?|fråga)\s+till\s+(?P<a>KSO|kommunstyrelsens\s+ordförande|[\p{L}\-]+nämndens\s+ordförande|[\p{L}\-]+råd(?:et)?|[\p{L}\-]+minister(?:n)?(?:\s+\p{Lu}[\p{L}\-]+\s+\p{Lu}[\p{L}\-]+)?)")
        .expect("valid regex")
});
static HEADING_AV_TILL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|\s)av\s+(?:\p{{Ll}}+\s+){{0,3}}(?P<name>{NAME}){PLACE}\s*\((?P<party>{PARTY_ABBR_ALT})\)\s+till\s+(?P<to>[^\n]+?\((?:{PARTY_ABBR_ALT})\)|[^\n(]+?)(?:\s+om\s|\n|$)"
    ))
    .expect("valid regex")
});

/// Words that start a line like a name but are not one.
const NOT_NAMES: &[&str] = &[
    "Med",
    "Till",
    "För",
    "Från",
    "Kommunstyrelsen",
    "Kommunfullmäktige",
    "Senast",
    "Sida",
    "Malmö",
];

/// Everyone with a party written after their name, in order, each once.
pub(crate) fn named_with_party(text: &str) -> Vec<(Person, usize, usize)> {
    let mut out: Vec<(Person, usize, usize)> = Vec::new();
    for c in NAME_PARTY.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let name = clean_name(&c["name"]);
        if name
            .split_whitespace()
            .next()
            .is_some_and(|w| NOT_NAMES.contains(&w))
        {
            continue;
        }
        let party = (&c["party"] != "-").then(|| c["party"].to_uppercase());
        out.push((
            Person {
                name,
                party,
                role: PersonRole::Author,
            },
            m.start(),
            m.end(),
        ));
    }
    out
}

/// Strips a leading function word that the name pattern may take in
/// ("Motionären Anna Berg" stays; "I Anna" cannot happen as names need two words).
fn clean_name(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Authors and co-signers: from the heading ("av NAMN (P) till …") or the
/// signature block at the end of the text.
pub(crate) fn authors(text: &str) -> Vec<Person> {
    let head: String = text.chars().take(600).collect();
    if let Some(c) = HEADING_AV_TILL.captures(&head) {
        return vec![Person {
            name: clean_name(&c["name"]),
            party: Some(c["party"].to_uppercase()),
            role: PersonRole::Author,
        }];
    }
    signature(text)
}

fn signature(text: &str) -> Vec<Person> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail_start = lines.len().saturating_sub(12);
    let mut people = Vec::new();
    let mut role = PersonRole::Author;
    let mut group_party: Option<String> = None;
    for line in &lines[tail_start..] {
        let lower = line.to_lowercase();
        if lower.starts_with("med instämmande") {
            role = PersonRole::CoSigner;
            continue;
        }
        if line.chars().count() > 70
            || line.ends_with('?')
            || line.ends_with('.') && !line.ends_with(')')
        {
            // a sentence, not a signature line: the signature is below it
            people.clear();
            role = PersonRole::Author;
            continue;
        }
        if let Some(c) = FOR_PARTY.captures(line) {
            group_party = Some(party_name(&c["party"]));
            continue;
        }
        if let Some(c) = NAME_PARTY.captures(line)
            && c.get(0).is_some_and(|m| m.start() == 0)
        {
            let party = (&c["party"] != "-").then(|| c["party"].to_uppercase());
            people.push(Person {
                name: clean_name(&c["name"]),
                party,
                role,
            });
            continue;
        }
        if let Some(c) = NAME_COMMA_PARTY.captures(line) {
            let p = &c["party"];
            if p.to_lowercase().contains("parti")
                || party_abbreviation(p).is_some()
                || p.ends_with("erna")
            {
                people.push(Person {
                    name: clean_name(&c["name"]),
                    party: Some(party_name(p)),
                    role,
                });
                continue;
            }
        }
        if let Some(c) = BARE_NAME.captures(line) {
            let name = clean_name(&c["name"]);
            let first = name.split_whitespace().next().unwrap_or("");
            if !NOT_NAMES.contains(&first)
                && name.split_whitespace().count() <= 3
                && crate::bodies::find_bodies(&name).is_empty()
            {
                people.push(Person {
                    name,
                    party: None,
                    role,
                });
            }
        }
    }
    if let Some(p) = group_party {
        for person in people.iter_mut().filter(|p| p.party.is_none()) {
            person.party = Some(p.clone());
        }
    }
    people
}

/// A party as stored: the national abbreviation, or the full local name.
pub(crate) fn party_name(raw: &str) -> String {
    let raw = raw.trim();
    party_abbreviation(raw)
        .map(str::to_owned)
        .unwrap_or_else(|| raw.to_owned())
}

/// The addressee of an interpellation or question.
pub(crate) fn addressee(text: &str) -> Option<String> {
    let head: String = text.chars().take(800).collect();
    if let Some(c) = HEADING_AV_TILL.captures(&head) {
        return Some(c["to"].trim().to_owned());
    }
    let heading: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(4)
        .collect();
    if let Some(c) = ADDRESSEE.captures(&heading.join("\n")) {
        return Some(c["a"].trim().to_owned());
    }
    QUESTIONS_TO
        .captures(text)
        .map(|c| c["a"].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(people: &[Person]) -> Vec<(String, Option<String>, PersonRole)> {
        people
            .iter()
            .map(|p| (p.name.clone(), p.party.clone(), p.role))
            .collect()
    }

    #[test]
    fn signature_with_cosigners() {
        let text = "Text.\n\nMalmö 2024-02-26\n\nKerstin Håkansson (V)\n\nMarek Lakatos (V)\n\nMed instämmande av\n\nAnfal Mahdi (V)\n\nAnne Ruponen (V)";
        assert_eq!(
            names(&authors(text)),
            vec![
                (
                    "Kerstin Håkansson".into(),
                    Some("V".into()),
                    PersonRole::Author
                ),
                ("Marek Lakatos".into(), Some("V".into()), PersonRole::Author),
                ("Anfal Mahdi".into(), Some("V".into()), PersonRole::CoSigner),
                (
                    "Anne Ruponen".into(),
                    Some("V".into()),
                    PersonRole::CoSigner
                ),
            ]
        );
    }

    #[test]
    fn signature_with_party_name() {
        assert_eq!(
            names(&authors(
                "2. Hur ser statusen ut idag?\n\nAnnika Qarlsson, Centerpartiet"
            )),
            vec![(
                "Annika Qarlsson".into(),
                Some("C".into()),
                PersonRole::Author
            )]
        );
        assert_eq!(
            names(&authors(
                "3. Är arbetet levande?\n\nFör Karlstadpartiet Livskvalitet\n\nPeter Sörensen"
            )),
            vec![(
                "Peter Sörensen".into(),
                Some("Karlstadpartiet Livskvalitet".into()),
                PersonRole::Author
            )]
        );
    }

    #[test]
    fn riksdagen_name_forms() {
        let t = "Interpellation 1999/2000:46 av andre vice talman Eva Zetterberg (v) till utrikesminister Anna Lindh om Västsahara";
        assert_eq!(
            names(&authors(t)),
            vec![(
                "Eva Zetterberg".into(),
                Some("V".into()),
                PersonRole::Author
            )]
        );
        let t = "Interpellation 2006/07:196 Juridisk trygghet av LiseLotte Olsson (v) till justitieminister Beatrice Ask (m)";
        assert_eq!(
            names(&authors(t)),
            vec![(
                "LiseLotte Olsson".into(),
                Some("V".into()),
                PersonRole::Author
            )]
        );
        assert_eq!(
            addressee(t).as_deref(),
            Some("justitieminister Beatrice Ask (m)")
        );
    }

    #[test]
    fn heading_names_asker_and_addressee() {
        let t = "Interpellation 2022/23:1 Magnitskijsanktioner av Kerstin Lundgren (C) till Utrikesminister Tobias Billström (M)\n\nText.";
        assert_eq!(
            names(&authors(t)),
            vec![(
                "Kerstin Lundgren".into(),
                Some("C".into()),
                PersonRole::Author
            )]
        );
        assert_eq!(
            addressee(t).as_deref(),
            Some("Utrikesminister Tobias Billström (M)")
        );
    }

    #[test]
    fn addressee_forms() {
        assert_eq!(
            addressee("Interpellation\n\nTill KSO om kommunens arbete").as_deref(),
            Some("KSO")
        );
        assert_eq!(
            addressee("Interpellation till kommunstyrelsens ordförande om förskolan").as_deref(),
            Some("kommunstyrelsens ordförande")
        );
        assert_eq!(
            addressee("Text.\nDärför har jag följande frågor till kommunstyrelsens ordförande:")
                .as_deref(),
            Some("kommunstyrelsens ordförande")
        );
    }
}
