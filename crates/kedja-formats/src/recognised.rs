//! Mending the one misreading of recognised (OCR) text that costs a
//! decision its identity: the section sign. Tesseract's Swedish model
//! reads a protocol's "§ 41" heading as "8 41" (or "$ 41", "S 41"), and
//! without the § the extract is no longer the decision it certifies.
//! Written by hand: this is a fact about one sign in one kind of page, not
//! something a spelling corrector knows.

/// The text with each § heading misread as a digit or letter restored: a
/// line holding only the misread sign and a number, followed by a line
/// that begins a heading (a capital letter). A number standing alone in a
/// table or a list is followed by more numbers or lower-case text and is
/// left as it is.
///
/// At lower resolutions the sign and the number run together ("841"); that
/// is taken for "§ 41" only where a protocol's page head sets it, between
/// the meeting's date and the heading.
pub fn mend_recognised(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        // The lines around are looked at only for a line that may be one.
        let next_is_heading = || {
            lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .and_then(|l| l.chars().next())
                .is_some_and(char::is_uppercase)
        };
        let after_date = || {
            lines[..i]
                .iter()
                .map(|l| l.trim())
                .rfind(|l| !l.is_empty())
                .is_some_and(is_iso_day)
        };
        let mended = misread_section(line)
            .or_else(|| glued_section(line).filter(|_| after_date()))
            .filter(|_| next_is_heading());
        match mended {
            Some(n) => {
                out.push_str("§ ");
                out.push_str(n);
            }
            None => out.push_str(line),
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
    out
}

/// The number of a line that is a misread "§ N" and nothing else.
fn misread_section(line: &str) -> Option<&str> {
    let t = line.trim();
    let rest = t.strip_prefix(['8', '$', 'S', '&'])?;
    if !rest.starts_with(' ') {
        return None;
    }
    let n = rest.trim_start();
    (!n.is_empty() && n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit())).then_some(n)
}

/// The number of a line that is "§ N" read as one number ("841").
fn glued_section(line: &str) -> Option<&str> {
    let t = line.trim();
    let n = t.strip_prefix('8')?;
    (!n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())).then_some(n)
}

/// A line that is a day and nothing else ("2030-05-13").
fn is_iso_day(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::mend_recognised;

    #[test]
    fn a_misread_section_sign_before_a_heading_is_restored() {
        let text = "Protokoll\n\n2030-05-13\n\n8 41\nVäckta ärenden\n\nS 7\n\nBeslut\n";
        assert_eq!(
            mend_recognised(text),
            "Protokoll\n\n2030-05-13\n\n§ 41\nVäckta ärenden\n\n§ 7\n\nBeslut\n"
        );
    }

    #[test]
    fn a_sign_run_into_its_number_is_restored_only_under_the_meeting_s_date() {
        let text = "Protokoll\n2030-05-13\n\n841\nVäckta ärenden\n";
        assert_eq!(
            mend_recognised(text),
            "Protokoll\n2030-05-13\n\n§ 41\nVäckta ärenden\n"
        );
        for text in [
            "Summa\n841\nVäckta\n",
            "2030-05-13\n841\nkronor\n",
            "2030-05-13\n93\nRubrik\n",
        ] {
            assert_eq!(mend_recognised(text), text, "{text:?}");
        }
    }

    #[test]
    fn numbers_in_tables_and_prose_stay() {
        for text in [
            "Antal\n8 41\n8 12\n",
            "8 41\nkronor per plats\n",
            "Summa 8 41\nNästa\n",
            "8 12345\nRubrik\n",
            "841\nRubrik\n",
        ] {
            assert_eq!(mend_recognised(text), text, "{text:?}");
        }
    }
}
