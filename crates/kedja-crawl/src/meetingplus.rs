//! How a MeetingPlus portal publishes meetings, as observed on a real one
//! (Alingsås kommun). Pure: URLs and HTML in, meetings and their files out.
//!
//! - A meeting page: `/committees/{body}/mote-YYYY-MM-DD`. Its side menu
//!   lists the body's whole history of meetings (the body's own page,
//!   `/committees/{body}`, lists none when fetched by a program), so a
//!   crawl starts from one known meeting page per body.
//! - The adjusted (justerat) protocol, once published:
//!   `/committees/{body}/mote-…/protocol/{name}pdf?downloadMode=open`,
//!   sometimes with a numeric suffix (`…pdf-60508?downloadMode=open`).
//!   Before adjustment the meeting page has no protocol link.
//! - Agenda attachments:
//!   `/welcome-sv/namnder-styrelser/{body}/mote-…/agenda/{name}pdf?downloadMode=open`,
//!   same suffix; the names are the items' titles, and an extract of a
//!   decision names its § and body (`ss76-ksau-svar-pa-motion-…` is § 76
//!   of KSAU).
//! - Links are relative (`href="/committees/…"`).

use url::Url;

use crate::adapter::{Adapter, LinkKind};

/// One meeting of one body, as the portal names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeetingRef {
    /// The body's slug (`kommunstyrelsen`).
    pub body: String,
    /// The meeting's path segment (`mote-2026-02-25`, or with a suffix when
    /// a body meets twice a day), which names it within its body.
    pub key: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// What a file is to its meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The adjusted protocol.
    Protocol,
    /// An agenda attachment: a tjänsteskrivelse, a motion, an extract of a
    /// decision, a report.
    Attachment,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Protocol => "protocol",
            Role::Attachment => "attachment",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "protocol" => Some(Role::Protocol),
            "attachment" => Some(Role::Attachment),
            _ => None,
        }
    }
}

/// The agenda item a file's name says it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    /// The § number.
    pub section: u32,
    /// The body whose § it is, as the name abbreviates it (`KSAU`), when
    /// the name says.
    pub body: Option<String>,
}

/// A file of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFile {
    pub meeting: MeetingRef,
    pub role: Role,
    /// The file's name without the `pdf` ending and its numeric suffix.
    pub name: String,
    pub item: Option<AgendaItem>,
}

/// What a meeting page offers.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingPage {
    pub meeting: MeetingRef,
    /// The page's heading, when it has one.
    pub title: Option<String>,
    /// The meeting's protocol and attachments, by absolute URL.
    pub files: Vec<(String, MeetingFile)>,
    /// Meeting pages of the same portal (the side menu), by absolute URL.
    pub meetings: Vec<(String, MeetingRef)>,
}

impl MeetingPage {
    /// Whether the page links the adjusted protocol.
    pub fn has_protocol(&self) -> bool {
        self.files.iter().any(|(_, f)| f.role == Role::Protocol)
    }
}

/// `mote-YYYY-MM-DD`, optionally followed by `-…`: the date.
fn meeting_date(segment: &str) -> Option<String> {
    let rest = segment.strip_prefix("mote-")?;
    let date = rest.get(..10)?;
    let b = date.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    let tail = &rest[10..];
    (shape && (tail.is_empty() || tail.starts_with('-'))).then(|| date.to_owned())
}

fn segments(url: &Url) -> Vec<&str> {
    url.path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

fn meeting_ref(body: &str, key: &str) -> Option<MeetingRef> {
    let date = meeting_date(key)?;
    (!body.is_empty()).then(|| MeetingRef {
        body: body.to_owned(),
        key: key.to_owned(),
        date,
    })
}

/// A meeting page's meeting: `/committees/{body}/mote-YYYY-MM-DD`.
pub fn meeting_page(url: &Url) -> Option<MeetingRef> {
    match segments(url).as_slice() {
        ["committees", body, key] => meeting_ref(body, key),
        _ => None,
    }
}

/// A meeting's file: `/committees/{body}/mote-…/protocol/{name}` or
/// `/welcome-sv/namnder-styrelser/{body}/mote-…/agenda/{name}` (each
/// role accepted under either prefix).
pub fn meeting_file(url: &Url) -> Option<MeetingFile> {
    let segs = segments(url);
    let (body, key, role, file) = match segs.as_slice() {
        ["committees", body, key, role, file] => (*body, *key, *role, *file),
        ["welcome-sv", "namnder-styrelser", body, key, role, file] => (*body, *key, *role, *file),
        _ => return None,
    };
    let role = match role {
        "protocol" => Role::Protocol,
        "agenda" => Role::Attachment,
        _ => return None,
    };
    let meeting = meeting_ref(body, key)?;
    let name = file_name(file);
    let item = agenda_item(&name);
    Some(MeetingFile {
        meeting,
        role,
        name,
        item,
    })
}

/// `protokoll-kf-2026-02-25pdf-60508` → `protokoll-kf-2026-02-25`.
fn file_name(segment: &str) -> String {
    let decoded = percent_decode(segment);
    let mut s = decoded.as_str();
    // The numeric suffix after `pdf`.
    if let Some((head, tail)) = s.rsplit_once('-')
        && !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_digit())
        && head.to_ascii_lowercase().ends_with("pdf")
    {
        s = head;
    }
    let lower = s.to_ascii_lowercase();
    if lower.ends_with(".pdf") {
        s = &s[..s.len() - 4];
    } else if lower.ends_with("pdf") {
        s = &s[..s.len() - 3];
    }
    s.trim_end_matches(['-', '.']).to_owned()
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// The § a file's name says it belongs to: `ss76-ksau-…`, `ss-28-ten-…`,
/// `ss22-ten-au-…` (a body's working committee), `ss63-…` (no body).
/// A token after the number is a body's abbreviation when it is short
/// (two to five letters) and more of the name follows it.
pub fn agenda_item(name: &str) -> Option<AgendaItem> {
    let rest = name.strip_prefix("ss")?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let section: u32 = digits.parse().ok()?;
    let after = &rest[digits.len()..];
    if !(after.is_empty() || after.starts_with('-')) {
        return None;
    }
    let tokens: Vec<&str> = after.split('-').filter(|t| !t.is_empty()).collect();
    let short = |t: &str| (2..=5).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase());
    let body = match tokens.as_slice() {
        [abbr, "au", _, ..] if short(abbr) => Some(format!("{}-AU", abbr.to_uppercase())),
        [abbr, _, ..] if short(abbr) => Some(abbr.to_uppercase()),
        _ => None,
    };
    Some(AgendaItem { section, body })
}

/// An HTML page's title, whitespace collapsed.
pub fn page_title(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("title").ok()?;
    let t = doc.select(&sel).next()?.text().collect::<String>();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// Read a meeting page: its meeting (from its URL), heading, files and
/// side menu. `None` when the URL is not a meeting page.
pub fn read_meeting_page(html: &str, url: &Url) -> Option<MeetingPage> {
    let meeting = meeting_page(url)?;
    let doc = scraper::Html::parse_document(html);
    let title = scraper::Selector::parse("h1")
        .ok()
        .and_then(|s| doc.select(&s).next().map(|h| h.text().collect::<String>()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let mut files = Vec::new();
    let mut meetings = Vec::new();
    for link in Adapter::Meetingplus.links(html, url) {
        match link.kind {
            LinkKind::Document => {
                if let Some(f) = meeting_file(&link.url) {
                    files.push((link.url.to_string(), f));
                }
            }
            LinkKind::Page => {
                if let Some(m) = meeting_page(&link.url)
                    && m != meeting
                {
                    meetings.push((link.url.to_string(), m));
                }
            }
        }
    }
    Some(MeetingPage {
        meeting,
        title,
        files,
        meetings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn meeting_pages_and_files_by_their_paths() {
        let m = meeting_page(&u(
            "https://alingsas.meetingplus.se/committees/kommunstyrelsen/mote-2026-02-25",
        ))
        .unwrap();
        assert_eq!(
            (m.body.as_str(), m.key.as_str(), m.date.as_str()),
            ("kommunstyrelsen", "mote-2026-02-25", "2026-02-25")
        );
        assert!(meeting_page(&u("https://x.se/committees/kommunstyrelsen")).is_none());
        assert!(meeting_page(&u("https://x.se/committees/ks/mote-2026-2-25")).is_none());
        assert!(meeting_page(&u("https://x.se/committees/ks/mote-2026-02-25x")).is_none());

        let p = meeting_file(&u("https://x.se/committees/kommunfullmaktige/mote-2026-02-25/protocol/protokoll-kf-2026-02-25pdf-60508?downloadMode=open")).unwrap();
        assert_eq!(p.role, Role::Protocol);
        assert_eq!(p.name, "protokoll-kf-2026-02-25");
        assert_eq!(p.meeting.date, "2026-02-25");
        let p = meeting_file(&u("https://x.se/committees/vard-och-omsorgsnamnden/mote-2026-02-20/protocol/protokoll-skapad-von-2026-02-20-092808pdf?downloadMode=open")).unwrap();
        assert_eq!(p.name, "protokoll-skapad-von-2026-02-20-092808");

        let a = meeting_file(&u("https://x.se/welcome-sv/namnder-styrelser/kommunstyrelsen/mote-2026-04-01/agenda/ss76-ksau-svar-pa-motion-gallande-laddstolparpdf?downloadMode=open")).unwrap();
        assert_eq!(a.role, Role::Attachment);
        assert_eq!(a.meeting.body, "kommunstyrelsen");
        assert_eq!(a.name, "ss76-ksau-svar-pa-motion-gallande-laddstolpar");
        assert_eq!(
            a.item,
            Some(AgendaItem {
                section: 76,
                body: Some("KSAU".into())
            })
        );
        assert!(
            meeting_file(&u(
                "https://x.se/welcome-sv/namnder-styrelser/ks/mote-2026-04-01/other/x"
            ))
            .is_none()
        );
    }

    #[test]
    fn agenda_items_from_names() {
        let item = |n: &str| agenda_item(n).map(|i| (i.section, i.body));
        assert_eq!(
            item("ss-28-ten-revidering-felparkeringsavgifter"),
            Some((28, Some("TEN".into())))
        );
        assert_eq!(
            item("ss22-ten-au-strategiska-vagval"),
            Some((22, Some("TEN-AU".into())))
        );
        assert_eq!(item("ss63-tillsynsavgifter-for-folkol"), Some((63, None)));
        assert_eq!(
            item("ss-620-tolkformedling-vast-arsredovisning-2025"),
            Some((620, None))
        );
        assert_eq!(
            item("ss10-avrf-budget-2027"),
            Some((10, Some("AVRF".into())))
        );
        assert_eq!(item("tjansteskrivelse-avtal-ungdomsmottagningen"), None);
        assert_eq!(item("sskolan-plan"), None);
    }

    #[test]
    fn a_page_gives_its_files_and_the_side_menu() {
        let html = r#"<html><body>
          <nav class="side"><ul>
            <li><a href="/committees/tekniska-namnden/mote-2026-03-18">18 mars 2026</a></li>
            <li><a href="/committees/tekniska-namnden/mote-2026-04-22">22 april 2026</a></li>
            <li><a href="/committees/tekniska-namnden">Tekniska nämnden</a></li>
          </ul></nav>
          <main><h1>Tekniska nämnden  22 april 2026</h1>
            <a href="/committees/tekniska-namnden/mote-2026-04-22/protocol/protokoll-ten-2026-04-22pdf?downloadMode=open">Protokoll</a>
            <a href="/welcome-sv/namnder-styrelser/tekniska-namnden/mote-2026-04-22/agenda/ss-28-ten-revidering-felparkeringsavgifterpdf-12345?downloadMode=open">§ 28</a>
            <a href="/login">Logga in</a>
          </main></body></html>"#;
        let url = u("https://alingsas.meetingplus.se/committees/tekniska-namnden/mote-2026-04-22");
        let page = read_meeting_page(html, &url).unwrap();
        assert_eq!(
            page.title.as_deref(),
            Some("Tekniska nämnden 22 april 2026")
        );
        assert!(page.has_protocol());
        assert_eq!(page.files.len(), 2);
        assert_eq!(
            page.files[1].1.name,
            "ss-28-ten-revidering-felparkeringsavgifter"
        );
        let others: Vec<&str> = page.meetings.iter().map(|(_, m)| m.date.as_str()).collect();
        assert_eq!(others, vec!["2026-03-18"]);
        assert!(
            page.files[0]
                .0
                .starts_with("https://alingsas.meetingplus.se/committees/")
        );
    }
}
