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
    // The same words folded to ASCII, as titles are compared with the
    // names files are published under ("för" is "for").
    "for",
    "fran",
    "over",
    "aven",
    "nar",
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

/// [`dice`] with each word counted at its `weight`: shared weight over the
/// weight of both, 0..=1.
pub fn weighted_dice(a: &[String], b: &[String], weight: impl Fn(&str) -> f32) -> f32 {
    let total = |words: &[String]| words.iter().map(|w| weight(w)).sum::<f32>();
    let both = total(a) + total(b);
    if both <= 0.0 {
        return 0.0;
    }
    let common: f32 = a.iter().filter(|t| b.contains(t)).map(|w| weight(w)).sum();
    2.0 * common / both
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
        // Folded to ASCII, a stop word is still one.
        assert_eq!(
            tokens("plan for skolan fran 2024"),
            vec!["plan", "skolan", "2024"]
        );
    }

    #[test]
    fn weighted_dice_counts_words_at_their_weight() {
        let a = tokens("planbeskrivning detaljplan norrby");
        let b = tokens("detaljplan norrby");
        let even = |_: &str| 1.0;
        assert!((weighted_dice(&a, &b, even) - dice(&a, &b)).abs() < 1e-6);
        // The word b lacks weighs three: 2 * 2 / (5 + 2).
        let rare = |w: &str| if w == "planbe" { 3.0 } else { 1.0 };
        assert!((weighted_dice(&a, &b, rare) - 4.0 / 7.0).abs() < 1e-6);
        assert_eq!(weighted_dice(&a, &[], even), 0.0);
        assert_eq!(weighted_dice(&[], &[], even), 0.0);
    }
}
