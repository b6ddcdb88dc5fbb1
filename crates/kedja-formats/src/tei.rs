//! Riksdagen interpellations in TEI XML (the SWERIK corpus): the body
//! rendered to the plain text a reader of riksdagen.se sees, and the header
//! as metadata.

use roxmltree::{Document, Node};

use crate::{Decoded, FormatError, Result, SourceMeta};
use kedja_model::{DocKind, Format, Person, PersonRole, parse_iso_date};

pub(crate) fn decode(xml: &str) -> Result<Decoded> {
    let doc = Document::parse(xml).map_err(|e| FormatError::Xml(e.to_string()))?;
    let depth = depth(&doc);
    if depth > MAX_DEPTH {
        return Err(FormatError::TooDeep {
            what: "xml",
            depth,
            limit: MAX_DEPTH,
        });
    }
    let root = doc.root_element();
    if root.tag_name().name() != "TEI" {
        return Err(FormatError::UnsupportedXml);
    }
    let meta = header(root);
    let body = descendant(root, "body").ok_or(FormatError::UnsupportedXml)?;
    let mut blocks = Vec::new();
    render(body, &mut blocks);
    Ok(Decoded {
        format: Format::Tei,
        extractor: "tei",
        text: blocks.join("\n\n"),
        meta,
    })
}

/// Deepest element nesting read: TEI documents are a dozen levels deep,
/// and rendering recurses once per level.
const MAX_DEPTH: usize = 200;

/// How deeply the nodes of `doc` nest, counted without recursion: nodes
/// come in document order, each after its parent.
fn depth(doc: &Document<'_>) -> usize {
    let mut depths: Vec<usize> = Vec::new();
    let mut deepest = 0usize;
    for n in doc.descendants() {
        let d = n
            .parent()
            .and_then(|p| depths.get(p.id().get() as usize))
            .map_or(0, |d| d + 1);
        let i = n.id().get() as usize;
        if depths.len() <= i {
            depths.resize(i + 1, 0);
        }
        depths[i] = d;
        deepest = deepest.max(d);
    }
    deepest
}

fn descendant<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of an element, whitespace collapsed, lists excluded.
fn own_text(node: Node<'_, '_>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if d.is_text() && !d.ancestors().any(|a| a.tag_name().name() == "list") {
            s.push_str(d.text().unwrap_or(""));
            s.push(' ');
        }
    }
    squash(&s)
}

/// All text below an element, whitespace collapsed.
fn all_text(node: Node<'_, '_>) -> String {
    squash(
        &node
            .descendants()
            .filter(Node::is_text)
            .filter_map(|d| d.text())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Paragraphs become blocks; list items become "– item" lines, as the
/// riksdagen.se page shows them.
fn render(node: Node<'_, '_>, blocks: &mut Vec<String>) {
    for child in node.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "p" | "head" => {
                let text = own_text(child);
                if !text.is_empty() {
                    blocks.push(text);
                }
                for list in child.children().filter(|n| n.tag_name().name() == "list") {
                    render_list(list, blocks);
                }
            }
            "list" => render_list(child, blocks),
            _ => render(child, blocks),
        }
    }
}

fn render_list(list: Node<'_, '_>, blocks: &mut Vec<String>) {
    let items: Vec<String> = list
        .children()
        .filter(|n| n.tag_name().name() == "item")
        .map(|item| format!("– {}", all_text(item)))
        .collect();
    if !items.is_empty() {
        blocks.push(items.join("\n"));
    }
}

fn header(root: Node<'_, '_>) -> SourceMeta {
    let mut meta = SourceMeta {
        kind: Some(DocKind::Interpellation),
        municipality: Some("Riksdagen".into()),
        ..Default::default()
    };
    let bibl = descendant(root, "sourceDesc").and_then(|s| descendant(s, "bibl"));
    if let Some(t) = bibl.and_then(|b| b.children().find(|n| n.tag_name().name() == "title")) {
        let title = squash(t.text().unwrap_or(""));
        meta.doc_number = title
            .strip_prefix("Interpellation ")
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned);
        meta.title = Some(title);
    }
    // Persons by their idno; the sent action names the asker and the
    // received action the addressee (the list order varies).
    let persons: Vec<(Option<String>, Person)> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "person")
        .filter_map(|p| {
            let id = descendant(p, "idno")
                .and_then(|i| i.text())
                .map(|t| t.trim().to_owned());
            let name = person_name(descendant(p, "persName")?.text()?);
            let party = p
                .descendants()
                .find(|n| {
                    n.tag_name().name() == "state"
                        && n.attribute("type") == Some("partyAffiliation")
                })
                .and_then(|s| descendant(s, "desc"))
                .and_then(|d| d.text())
                .map(squash)
                .filter(|s| !s.is_empty());
            Some((
                id,
                Person {
                    name,
                    party,
                    role: PersonRole::Author,
                },
            ))
        })
        .collect();
    let party_of = |action: &str| -> Option<Person> {
        let who = root
            .descendants()
            .find(|n| {
                n.tag_name().name() == "correspAction" && n.attribute("type") == Some(action)
            })?
            .attribute("corresp")?;
        persons
            .iter()
            .find(|(id, _)| id.as_deref() == Some(who))
            .map(|(_, p)| p.clone())
    };
    let asker = party_of("sent").or_else(|| persons.first().map(|(_, p)| p.clone()));
    let addressee = party_of("received").or_else(|| {
        persons
            .iter()
            .map(|(_, p)| p)
            .find(|p| Some(&p.name) != asker.as_ref().map(|a| &a.name))
            .cloned()
    });
    if let Some(asker) = asker {
        meta.authors.push(asker);
    }
    if let Some(mut addressee) = addressee {
        addressee.role = PersonRole::Addressee;
        if let Some(title) = &meta.title {
            meta.addressee_role = role_before(title, &addressee.name);
        }
        meta.addressee = Some(addressee);
    }
    meta.date = root
        .descendants()
        .find(|n| n.tag_name().name() == "correspAction" && n.attribute("type") == Some("sent"))
        .and_then(|a| descendant(a, "date"))
        .and_then(|d| d.attribute("when"))
        .and_then(parse_iso_date);
    meta.questions = root
        .descendants()
        .find(|n| n.tag_name().name() == "div" && n.attribute("type") == Some("ipQuestion"))
        .map(|q| {
            let items: Vec<String> = q
                .descendants()
                .filter(|n| n.tag_name().name() == "item")
                .map(all_text)
                .collect();
            if !items.is_empty() {
                return items;
            }
            // No list: the question sentences of the question section.
            let text = all_text(q);
            let mut out = Vec::new();
            let mut start = 0;
            for (i, c) in text.char_indices() {
                if matches!(c, '.' | '!' | '?' | ':') {
                    let sentence = text[start..=i].trim();
                    if c == '?' && sentence.chars().count() > 10 {
                        out.push(sentence.to_owned());
                    }
                    start = i + c.len_utf8();
                }
            }
            out
        })
        .unwrap_or_default();
    meta
}

/// The header writes some names "Hagström, Ulla-Britt (kd)" or with a role
/// ("statsrådet Lars-Erik Lövdén"); the text writes "Ulla-Britt Hagström".
fn person_name(raw: &str) -> String {
    let name = squash(raw);
    let name = match name.find('(') {
        Some(i) => name[..i].trim().to_owned(),
        None => name,
    };
    let name = match name.split_once(',') {
        Some((surname, given)) if !given.trim().is_empty() => {
            format!("{} {}", given.trim(), surname.trim())
        }
        _ => name,
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    let first_capital = words
        .iter()
        .position(|w| w.chars().next().is_some_and(char::is_uppercase))
        .unwrap_or(0);
    words[first_capital..].join(" ")
}

/// "… till Utrikesminister Tobias Billström (M) om …" gives
/// "Utrikesminister": the words between "till" and the addressee's name.
fn role_before(title: &str, name: &str) -> Option<String> {
    let at = title.find(name)?;
    let till = title[..at].rfind(" till ")?;
    let role = title[till + " till ".len()..at]
        .trim()
        .trim_end_matches(',')
        .trim();
    (!role.is_empty()).then(|| role.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc><bibl>
<title>Interpellation 2022/23:1 av Kerstin Lundgren (C) till Utrikesminister Tobias Billström (M) om Magnitskijsanktioner </title>
</bibl></sourceDesc></fileDesc><profileDesc><particDesc><listPerson>
<person><persName>Kerstin Lundgren</persName><state type="partyAffiliation"><desc>C</desc></state></person>
<person><persName>Tobias Billström</persName><state type="partyAffiliation"><desc>M</desc></state></person>
</listPerson></particDesc><correspDesc><correspAction type="sent"><date when="2022-10-19"/></correspAction></correspDesc></profileDesc></teiHeader>
<text><body><div type="ipqHeader"><div type="ipqTitle"><p>Interpellation 2022/23:1
   Magnitskijsanktioner</p></div></div><div type="ipqBody"><div type="ipContext"><p>Vladimir
   Kara-Murza är modig.</p></div><div type="ipQuestion"><p>Jag vill fråga:
<list><item>Är ministern beredd?</item><item>Kommer ministern
 att agera?</item></list></p></div></div></body></text></TEI>"#;

    #[test]
    fn renders_body_and_reads_header() {
        let d = decode(SAMPLE).unwrap();
        assert_eq!(
            d.text,
            "Interpellation 2022/23:1 Magnitskijsanktioner\n\nVladimir Kara-Murza är modig.\n\nJag vill fråga:\n\n– Är ministern beredd?\n– Kommer ministern att agera?"
        );
        assert_eq!(d.meta.doc_number.as_deref(), Some("2022/23:1"));
        assert_eq!(d.meta.authors[0].name, "Kerstin Lundgren");
        assert_eq!(d.meta.authors[0].party.as_deref(), Some("C"));
        assert_eq!(d.meta.addressee.as_ref().unwrap().name, "Tobias Billström");
        assert_eq!(d.meta.addressee_role.as_deref(), Some("Utrikesminister"));
        assert_eq!(d.meta.date.unwrap().to_string(), "2022-10-19");
        assert_eq!(
            d.meta.questions,
            vec!["Är ministern beredd?", "Kommer ministern att agera?"]
        );
    }

    #[test]
    fn header_names_in_other_forms() {
        assert_eq!(
            person_name(" Hagström, Ulla-Britt (kd) "),
            "Ulla-Britt Hagström"
        );
        assert_eq!(
            person_name("statsrådet Lars-Erik Lövdén "),
            "Lars-Erik Lövdén"
        );
        assert_eq!(person_name("Tobias Billström"), "Tobias Billström");
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(matches!(decode("<TEI><text>"), Err(FormatError::Xml(_))));
    }
}
