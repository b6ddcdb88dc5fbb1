//! A decision's record at its meeting: the agenda attachments of the item
//! that a protocol's § decides. A § lists what it was decided on under
//! "Beslutsunderlag", in the titles a meeting portal names its files by
//! (`§27 VONAU Revidering av …` is the file `ss27-vonau-revidering-av-…`,
//! `Tjänsteskrivelse - Revidering av …` is `tjansteskrivelse-revidering-av-…`);
//! a § without that list claims the attachments whose names hold its
//! heading. The meeting and its files come from the store's meetings
//! (`kedja-store`'s `meetings.rs`), the § from its protocol's parts.

use kedja_model::{DocId, Document};

use crate::{Archive, Result};

/// An attachment in a § 's record, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordEntry {
    /// The § (a decision stored at `<protocol>#§N`).
    pub section: DocId,
    /// The attachment's document.
    pub attachment: DocId,
    /// The attachment's URL.
    pub url: String,
    /// The line of the § that names it ("Beslutsunderlag: …"), or its
    /// heading.
    pub evidence: String,
}

/// One § of a meeting's protocol with the attachments of the item it
/// decides.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingSection {
    pub doc_id: DocId,
    /// `§ 37`.
    pub paragraph: Option<String>,
    pub title: String,
    /// Attachments in its record, by URL, with the line that names each.
    pub attachments: Vec<(String, String)>,
}

/// Shortest key a name or line may match by.
const MIN_KEY: usize = 12;
/// A heading must be this long (as a key) to claim attachments by
/// containment.
const MIN_HEADING_KEY: usize = 20;

/// A title or file name as a comparable key: lowercase ASCII letters and
/// digits, Swedish and accented letters folded, `§` as `ss` (as the
/// portal writes it in file names), everything else dropped.
fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            '§' => out.push_str("ss"),
            'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' | 'æ' => out.push('a'),
            'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' => out.push('o'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' | 'ú' | 'ù' | 'û' => out.push('u'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => {}
        }
    }
    out
}

/// The items listed under a § 's "Beslutsunderlag" heading: a bullet
/// starts an item, a line without one continues it (a wrapped title), a
/// blank line after items ends the list. Without bullets every line is an
/// item.
pub(crate) fn decision_basis(text: &str) -> Vec<String> {
    let mut lines = text.lines().map(str::trim);
    let is_heading = |l: &str| {
        let l = l.trim_end_matches(':').trim();
        l.eq_ignore_ascii_case("beslutsunderlag")
    };
    if !lines.any(is_heading) {
        return Vec::new();
    }
    let mut items: Vec<String> = Vec::new();
    let mut bullets = false;
    for line in lines {
        if line.is_empty() || line.contains('\u{c}') {
            if items.is_empty() {
                continue;
            }
            break;
        }
        let stripped = line.trim_start_matches(['•', '●', '◦', '▪', '-', '–', '*', '·']);
        let bullet = stripped.len() != line.len();
        if bullet {
            bullets = true;
            items.push(stripped.trim().to_owned());
        } else if bullets && let Some(last) = items.last_mut() {
            last.push(' ');
            last.push_str(line);
        } else if !bullets {
            items.push(line.to_owned());
        }
    }
    items
}

/// Whether two keys name the same thing: one a prefix of the other (a
/// portal cuts long file names), or the same but for a slip near the end,
/// the shorter long enough to mean something.
fn same_title(a: &str, b: &str) -> bool {
    let shorter = a.len().min(b.len());
    if shorter < MIN_KEY {
        return false;
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    common == shorter || common * 10 >= shorter * 9
}

/// Whether a § (its heading and text) decides the item an attachment
/// named `name` belongs to; the evidence if so.
pub(crate) fn decides(heading: &str, text: &str, name: &str) -> Option<String> {
    let name_key = key(name);
    let basis = decision_basis(text);
    if !basis.is_empty() {
        return basis
            .into_iter()
            .find(|line| same_title(&key(line), &name_key))
            .map(|line| format!("Beslutsunderlag: {line}"));
    }
    let heading_key = key(heading);
    (heading_key.len() >= MIN_HEADING_KEY && name_key.contains(&heading_key))
        .then(|| heading.trim().to_owned())
}

impl Archive {
    /// The agenda attachments in the record of `section`, a § of a
    /// meeting's protocol: those of the item it decides, in the archive.
    /// Empty for any other document.
    pub fn decision_record(&self, section: &Document) -> Result<Vec<RecordEntry>> {
        let store = self.store();
        let Some(protocol) = &section.record.part_of else {
            return Ok(Vec::new());
        };
        let Some((meeting, file)) = store.meeting_of_document(protocol.as_str())? else {
            return Ok(Vec::new());
        };
        if file.role != "protocol" {
            return Ok(Vec::new());
        }
        let Some((_, files)) = store.meeting(meeting.id)? else {
            return Ok(Vec::new());
        };
        Ok(files
            .into_iter()
            .filter(|f| f.role == "attachment")
            .filter_map(|f| {
                let doc = f.doc_id?;
                let evidence = decides(&section.record.title, &section.text, &f.name)?;
                Some(RecordEntry {
                    section: section.id.clone(),
                    attachment: DocId(doc),
                    url: f.url,
                    evidence,
                })
            })
            .collect())
    }

    /// The §§ whose record holds `attachment`, an agenda attachment of a
    /// meeting: the §§ of the meeting's protocol that decide its item.
    pub fn deciding_sections(&self, attachment: &Document) -> Result<Vec<RecordEntry>> {
        let store = self.store();
        let Some((meeting, file)) = store.meeting_of_document(attachment.id.as_str())? else {
            return Ok(Vec::new());
        };
        if file.role != "attachment" {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for section in self.meeting_section_documents(meeting.id)? {
            if let Some(evidence) = decides(&section.record.title, &section.text, &file.name) {
                out.push(RecordEntry {
                    section: section.id.clone(),
                    attachment: attachment.id.clone(),
                    url: file.url.clone(),
                    evidence,
                });
            }
        }
        Ok(out)
    }

    /// The §§ of a meeting's protocol, in order, each with the attachments
    /// of the item it decides. Empty before the protocol is in the archive.
    pub fn meeting_sections(&self, meeting: i64) -> Result<Vec<MeetingSection>> {
        let Some((_, files)) = self.store().meeting(meeting)? else {
            return Ok(Vec::new());
        };
        let attachments: Vec<_> = files
            .iter()
            .filter(|f| f.role == "attachment" && f.doc_id.is_some())
            .collect();
        Ok(self
            .meeting_section_documents(meeting)?
            .into_iter()
            .map(|s| MeetingSection {
                attachments: attachments
                    .iter()
                    .filter_map(|f| {
                        decides(&s.record.title, &s.text, &f.name).map(|e| (f.url.clone(), e))
                    })
                    .collect(),
                doc_id: s.id,
                paragraph: s.record.paragraph,
                title: s.record.title,
            })
            .collect())
    }

    /// The § documents of a meeting's protocols (each protocol's parts, in
    /// order).
    fn meeting_section_documents(&self, meeting: i64) -> Result<Vec<Document>> {
        let store = self.store();
        let Some((_, files)) = store.meeting(meeting)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for f in files.iter().filter(|f| f.role == "protocol") {
            if f.doc_id.is_none() {
                continue;
            }
            for (id, _) in store.parts(&f.url)? {
                if let Some(doc) = store.get(&id)? {
                    out.push(doc);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The end of § 37 of Vård- och omsorgsnämnden's protocol of
    /// 2026-05-18 in Alingsås, as decoded.
    const SECTION: &str = "§ 37 2026.088 VON\n\nRevidering av riktlinje för registerkontroll\n\
        Ärendebeskrivning\n…\nArbetsutskottet har den 5 maj 2026, § 27 behandlat ärendet.\n\n\
        Beslut\nRiktlinje för registerkontroll antas med föreslagna ändringar.\n\n\
        Beslutsunderlag\n•  §27 VONAU Revidering av riktlinje för registerkontroll\n\
        •  Tjänsteskrivelse - Revidering av riktlinje för registerkontroll, redaktionell ändring\n\
        •  Förslag - Riktlinje Registerkontroll vid anställning\n\nVård- och\nomsorgsnämnden\n\n";

    const HEADING: &str = "Revidering av riktlinje för registerkontroll";

    #[test]
    fn the_basis_of_a_section_names_its_attachments() {
        for name in [
            "ss27-vonau-revidering-av-riktlinje-for-registerkontroll",
            "tjansteskrivelse-revidering-av-riktlinje-for-registerkontroll-redaktionell-andring",
            "forslag-riktlinje-registerkontroll-vid-anstallning",
        ] {
            assert!(decides(HEADING, SECTION, name).is_some(), "{name}");
        }
        assert_eq!(
            decides(
                HEADING,
                SECTION,
                "forslag-riktlinje-registerkontroll-vid-anstallning"
            )
            .as_deref(),
            Some("Beslutsunderlag: Förslag - Riktlinje Registerkontroll vid anställning")
        );
        // Another item's attachments of the same meeting, and one whose
        // name holds the heading but that the list does not name.
        for name in [
            "ss28-vonau-revidering-av-vard-och-omsorgsnamndens-delegationsordning",
            "tjansteskrivelse-forhojd-habiliteringsersattning-2026",
            "handlingsplan-ansvar-81515",
            "revidering-av-riktlinje-for-registerkontroll-gammal-version",
        ] {
            assert_eq!(decides(HEADING, SECTION, name), None, "{name}");
        }
    }

    #[test]
    fn wrapped_and_cut_titles_match_and_neighbours_do_not() {
        let text = "Beslutsunderlag\n\
            •  §72 KSAU Svar på motion gällande att utreda möjligheten till fler bostäder genom\n\
            inredning av vindar i Alingsåshems fastigheter - Heidi Hankanen Ängberg (C)\n\
            •  Tjänsteskrivelse - Svar på motion gällande att utreda möjlighet till fler bostäder\n\
            genom inredning av vindar i Alingsåshems fastigheter - Heidi Hankanen Ängberg (C)\n\
            •  Bilaga: § 174 SBN 2022-10-24 - Framtida VA Bjärke\n\n\
            Justerare\n";
        let heading = "Svar på motion om vindar";
        // Cut by the portal, wrapped in the protocol.
        for name in [
            "tjansteskrivelse-svar-pa-motion-gallande-att-utreda-mojlighet-till-fler-bostader-genom-inredning-av-vindar-i-alingsashems-fastigheter-heidi-hankanen-a",
            "ss72-ksau-svar-pa-motion-gallande-att-utreda-mojligheten-till-fler-bostader-genom-inredning-av-vindar-i-alingsashems-fastigheter-heidi-hankanen-angber",
            "bilaga-ss-174-sbn-2022-10-24-framtida-va-bjarke",
        ] {
            assert!(decides(heading, text, name).is_some(), "{name}");
        }
        // Shares the first forty letters with an item, no more.
        assert_eq!(
            decides(
                heading,
                text,
                "tjansteskrivelse-svar-pa-motion-gallande-att-infora-laddstationer-for-alingsas-cyklister"
            ),
            None
        );
        assert_eq!(decision_basis(text).len(), 3);
    }

    #[test]
    fn without_a_basis_the_heading_decides() {
        let text =
            "§ 12 2026.010 TEN\n\nRevidering av felparkeringsavgifter\n\nBeslut\nTaxan antas.\n";
        let heading = "Revidering av felparkeringsavgifter";
        assert!(
            decides(
                heading,
                text,
                "ss-28-ten-revidering-av-felparkeringsavgifter"
            )
            .is_some()
        );
        assert!(decides(heading, text, "tjansteskrivelse-budget-2027").is_none());
        // A short heading claims nothing.
        assert!(decides("Meddelanden", "Meddelanden\n", "meddelanden-2026").is_none());
    }
}
