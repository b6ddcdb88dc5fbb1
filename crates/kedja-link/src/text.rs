//! Word overlap between titles and evidence: lowercase content words cut to
//! their first six letters, which equates most Swedish inflections
//! ("handlingsplanen", "handlingsplaner") without a full stemmer.

/// Words that say nothing about a document's topic.
const STOP: &[&str] = &[
    "och",
    "att",
    "för",
    "mot",
    "med",
    "till",
    "från",
    "som",
    "den",
    "det",
    "ett",
    "en",
    "av",
    "om",
    "på",
    "vid",
    "har",
    "är",
    "var",
    "i",
    "de",
    "sin",
    "sitt",
    "sina",
    "kommunens",
    "kommunen",
    "svar",
    "fråga",
    "frågor",
    "interpellation",
    "motion",
    "yttrande",
    "över",
    "protokollsutdrag",
    "beslut",
    "efter",
    "under",
    "enligt",
    "samt",
    "eller",
    "inte",
    "hur",
    "vad",
    "när",
    "alla",
    "även",
];

const STEM: usize = 6;

/// Content-word stems of `text`, each once, in order.
pub fn tokens(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().count() < 3 {
            continue;
        }
        let lower = word.to_lowercase();
        if STOP.contains(&lower.as_str()) {
            continue;
        }
        let stem: String = lower.chars().take(STEM).collect();
        if seen.insert(stem.clone()) {
            out.push(stem);
        }
    }
    out
}

/// How much of `b` (a candidate's title) the words `a` cover, 0..=1.
pub fn similarity(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = b.iter().filter(|t| a.contains(t)).count();
    common as f32 / b.len() as f32
}

/// Shared words over the words of both, 0..=1 (the Dice coefficient): how
/// alike two texts of comparable length are, whichever is longer.
pub fn dice(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|t| b.contains(t)).count();
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_stems() {
        let a = tokens("Uppföljning av handlingsplanen för förebyggande arbete");
        let b = tokens("Handlingsplan för förebyggande arbete mot våld 2023–2026");
        assert_eq!(a, vec!["uppföl", "handli", "föreby", "arbete"]);
        assert!(similarity(&a, &b) >= 0.5, "{a:?} {b:?}");
        assert_eq!(similarity(&a, &[]), 0.0);
    }
}
