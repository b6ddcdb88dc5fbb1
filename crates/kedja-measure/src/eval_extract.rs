//! `kedja eval-extract`: document understanding measured on the Riksdagen
//! interpellations. Each TEI body is rendered to the plain text a reader of
//! riksdagen.se sees and understood without any hint from the header; the
//! header is the truth it is compared with (asker, party, addressee and
//! role, sent date, questions). Prints precision and recall per field, the
//! worst examples, and the extraction throughput on one core.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use kedja_extract::{Hints, clean_text, understand};

use crate::score::Score;

#[derive(Debug, Default)]
struct Field {
    /// Documents whose header has the field.
    gold: usize,
    /// Documents where extraction gave a value.
    found: usize,
    /// …and it was right.
    correct: usize,
    /// Documents whose body text contains the value at all (a name the
    /// header has but the body never writes cannot be extracted from it).
    in_text: usize,
    /// …and it was right.
    in_text_correct: usize,
    /// …and extraction gave a value.
    in_text_found: usize,
    /// A few wrong values and a few missing ones, to show what fails.
    wrong: Vec<String>,
    missing: Vec<String>,
}

impl Field {
    fn record_in_text(&mut self, in_text: bool, found: bool, right: bool) {
        if in_text {
            self.in_text += 1;
            if found {
                self.in_text_found += 1;
            }
            if right {
                self.in_text_correct += 1;
            }
        }
    }

    /// Where the body writes the value.
    fn in_text(&self) -> Score {
        Score::new(self.in_text, self.in_text_found, self.in_text_correct)
    }

    fn record(&mut self, doc: &str, gold: Option<&str>, found: Option<&str>, right: bool) {
        if gold.is_some() {
            self.gold += 1;
        }
        if found.is_some() {
            self.found += 1;
        }
        let line = || {
            format!(
                "{doc}: expected {:?}, got {:?}",
                gold.unwrap_or(""),
                found.unwrap_or("")
            )
        };
        if right {
            self.correct += 1;
        } else if found.is_some() && self.wrong.len() < 4 {
            self.wrong.push(line());
        } else if found.is_none() && gold.is_some() && self.missing.len() < 3 {
            self.missing.push(line());
        }
    }

    fn score(&self) -> Score {
        Score::new(self.gold, self.found, self.correct)
    }
}

/// Names compare without diacritics and dots, and a name that adds a
/// surname to the other still matches ("Désirée Pethrus Engström" for
/// "Désirée Pethrus", "Gunvor G Ericson" for "Gunvor G. Ericson").
fn same_person(gold: &str, found: &str) -> bool {
    let fold = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '.')
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.chars()
                    .map(|c| match c {
                        'é' | 'è' | 'ë' => 'e',
                        'ć' | 'č' => 'c',
                        'š' => 's',
                        'ž' => 'z',
                        'ü' => 'u',
                        c => c,
                    })
                    .collect::<String>()
                    .to_lowercase()
            })
            .collect()
    };
    let (g, f) = (fold(gold), fold(found));
    !g.is_empty()
        && (g == f || g.starts_with(&f) && f.len() >= 2 || f.starts_with(&g) && g.len() >= 2)
}

/// "statsrådet Cristina Husmark Pehrsson (M)" gives "Cristina Husmark Pehrsson".
fn addressee_name(addressee: &str) -> String {
    let without_party = addressee.split('(').next().unwrap_or("");
    without_party
        .split_whitespace()
        .skip_while(|w| w.chars().next().is_some_and(char::is_lowercase))
        .collect::<Vec<_>>()
        .join(" ")
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, '.' | ')' | '–' | '-' | ' ')
        })
        .to_lowercase()
}

pub fn run(corpus: &Path, limit: Option<usize>) -> Result<()> {
    let names = [
        "asker",
        "asker_party",
        "addressee",
        "addressee_role",
        "date",
        "questions",
    ];
    let mut fields: Vec<Field> = names.iter().map(|_| Field::default()).collect();
    let (mut questions_gold, mut questions_found, mut questions_correct) = (0usize, 0usize, 0usize);
    let (mut asked_gold, mut asked_found) = (0usize, 0usize);
    let mut docs = 0usize;
    // Misses of the asker per session ("199495"), to show where formats differ.
    let mut asker_misses: std::collections::BTreeMap<String, (usize, usize)> =
        std::collections::BTreeMap::new();
    let mut bytes = 0usize;
    let mut spent = Duration::ZERO;
    kedja_tests::riksdagen::for_each_xml(corpus, |short, raw| {
        let Ok(decoded) = kedja_formats::decode(raw) else {
            return Ok(true);
        };
        let meta = decoded.meta;

        let started = Instant::now();
        let text = clean_text(&decoded.text);
        let u = understand(&text, &Hints::default());
        spent += started.elapsed();
        docs += 1;
        bytes += decoded.text.len();
        let r = &u.record;

        let gold_asker = meta.authors.first();
        let got_asker = r.authors.first();
        let asker_right =
            matches!((gold_asker, got_asker), (Some(g), Some(x)) if same_person(&g.name, &x.name));
        fields[0].record(
            short,
            gold_asker.map(|p| p.name.as_str()),
            got_asker.map(|p| p.name.as_str()),
            asker_right,
        );
        let folded_text = norm(&text);
        let written = |name: &str| {
            let surname = name.split_whitespace().last().unwrap_or("");
            !surname.is_empty() && folded_text.contains(&norm(surname))
        };
        fields[0].record_in_text(
            gold_asker.is_some_and(|p| written(&p.name)),
            got_asker.is_some(),
            asker_right,
        );
        let session = short
            .trim_start_matches("ipq-")
            .split("--")
            .next()
            .unwrap_or("")
            .to_owned();
        let entry = asker_misses.entry(session).or_default();
        entry.1 += 1;
        if !asker_right {
            entry.0 += 1;
        }
        let gold_party = gold_asker.and_then(|p| p.party.as_deref());
        let got_party = got_asker.and_then(|p| p.party.as_deref());
        let party_right =
            matches!((gold_party, got_party), (Some(g), Some(x)) if g.eq_ignore_ascii_case(x));
        fields[1].record(short, gold_party, got_party, party_right);
        fields[1].record_in_text(
            gold_asker.is_some_and(|p| written(&p.name)) && gold_party.is_some(),
            got_party.is_some(),
            party_right,
        );
        let gold_to = meta.addressee.as_ref().map(|p| p.name.as_str());
        let got_to = r.addressee.as_deref();
        let to_right = matches!((gold_to, got_to), (Some(g), Some(x)) if x.contains(g) || same_person(g, &addressee_name(x)));
        fields[2].record(short, gold_to, got_to, to_right);
        fields[2].record_in_text(gold_to.is_some_and(written), got_to.is_some(), to_right);
        let gold_role = meta.addressee_role.as_deref();
        let role_right = matches!((gold_role, got_to), (Some(g), Some(x)) if x.to_lowercase().contains(&g.to_lowercase()));
        fields[3].record(
            short,
            gold_role,
            got_to.filter(|_| gold_role.is_some()),
            role_right,
        );
        let gold_date = meta.date.map(|d| d.to_string());
        let got_date = r.date.map(|d| d.to_string());
        let date_right = gold_date.is_some() && gold_date == got_date;
        fields[4].record(short, gold_date.as_deref(), got_date.as_deref(), date_right);
        let date_written = meta.date.is_some_and(|d| {
            text.contains(&d.to_string())
                || folded_text.contains(&norm(&format!(
                    "{} {} {}",
                    d.day(),
                    kedja_extract::month_name(d.month()),
                    d.year()
                )))
        });
        fields[4].record_in_text(date_written, got_date.is_some(), date_right);

        let gold_q: Vec<String> = meta.questions.iter().map(|q| norm(q)).collect();
        let got_q: Vec<String> = r.questions.iter().map(|q| norm(q)).collect();
        // Only a quarter of the documents mark their questions in the
        // structure; precision is measured where the truth is known.
        if !gold_q.is_empty() {
            let matched = got_q.iter().filter(|q| gold_q.contains(q)).count();
            // The structure also marks bulleted arguments and proposals
            // ("att regeringen …") as question items: the items that
            // are questions are those that end in a question mark.
            for q in gold_q.iter().filter(|q| q.ends_with('?')) {
                asked_gold += 1;
                if got_q.contains(q) {
                    asked_found += 1;
                }
            }
            questions_gold += gold_q.len();
            questions_found += got_q.len();
            questions_correct += matched;
            let all_right = matched == gold_q.len() && got_q.len() == gold_q.len();
            let got_joined = got_q.join(" | ");
            fields[5].record(
                short,
                Some(gold_q.join(" | ").as_str()),
                (!got_q.is_empty()).then_some(got_joined.as_str()),
                all_right,
            );
        }
        Ok(limit.is_none_or(|l| docs < l))
    })?;
    println!("{docs} interpellations from {}", corpus.display());
    println!(
        "{:<16} {:>6} {:>6} {:>7} {:>9} {:>7}   where the body writes it: precision, recall",
        "field", "gold", "found", "correct", "precision", "recall"
    );
    for (name, f) in names.iter().zip(&fields) {
        let in_text = if *name == "questions" || *name == "addressee_role" {
            String::new()
        } else {
            format!(
                "{:.3} {:.3} of {}",
                f.in_text().precision(),
                f.in_text().recall(),
                f.in_text
            )
        };
        println!(
            "{name:<16} {:>6} {:>6} {:>7} {:>9.3} {:>7.3}   {in_text}",
            f.gold,
            f.found,
            f.correct,
            f.score().precision(),
            f.score().recall()
        );
    }
    let qp = if questions_found == 0 {
        0.0
    } else {
        questions_correct as f64 / questions_found as f64
    };
    let qr = if questions_gold == 0 {
        0.0
    } else {
        questions_correct as f64 / questions_gold as f64
    };
    println!(
        "{:<16} {questions_gold:>6} {questions_found:>6} {questions_correct:>7} {qp:>9.3} {qr:>7.3}",
        "question items"
    );
    println!(
        "{:<16} {asked_gold:>6} {:>6} {asked_found:>7} {:>9} {:>7.3}   (items that end in '?')",
        "questions asked",
        "",
        "",
        if asked_gold == 0 {
            0.0
        } else {
            asked_found as f64 / asked_gold as f64
        }
    );
    println!(
        "\nthroughput (clean + understand, one core): {:.0} documents/s, {:.1} MB/s",
        docs as f64 / spent.as_secs_f64(),
        bytes as f64 / 1e6 / spent.as_secs_f64()
    );
    println!("\nasker recall by session:");
    for (session, (missed, total)) in &asker_misses {
        println!(
            "  {session:<9} {:>5.3} of {total}",
            1.0 - *missed as f64 / *total as f64
        );
    }
    println!("\nexamples of misses:");
    for (name, f) in names.iter().zip(&fields) {
        for m in &f.wrong {
            println!("  {name} wrong: {m}");
        }
        for m in &f.missing {
            println!("  {name} missing: {m}");
        }
    }
    Ok(())
}
