//! How a site publishes: which links on a page lead to documents, which
//! to pages worth following, and which to ignore. Pure: a page's HTML and
//! its URL in, links out.
//!
//! - `generic`: any site; documents by file type, download paths and link
//!   text ("PDF", "Ladda ner"), every other link a page.
//! - `sitevision`: the CMS most Swedish municipalities use. File links are
//!   `/download/18.<id>/<timestamp>/<name>`; page navigation, cookie and
//!   skip-link portlets (`sv-*` classes) are not content.
//! - `meetingplus`: the MeetingPlus meeting portal. Meeting pages
//!   (`/committees/{body}/mote-YYYY-MM-DD`) are followed; protocols and
//!   agenda attachments (opened with `?downloadMode=open`) are documents;
//!   the rest of the application is ignored (see `meetingplus`).

use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use url::Url;

/// Which adapter a source uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Adapter {
    #[default]
    Generic,
    Sitevision,
    Meetingplus,
}

/// What a link leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A file to import.
    Document,
    /// A page to fetch: imported when it is itself a political document,
    /// and its links followed.
    Page,
}

/// A link found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    pub url: Url,
    pub text: String,
    pub kind: LinkKind,
}

const FILE_EXTENSIONS: &[&str] = &[".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt"];

impl Adapter {
    pub fn as_str(self) -> &'static str {
        match self {
            Adapter::Generic => "generic",
            Adapter::Sitevision => "sitevision",
            Adapter::Meetingplus => "meetingplus",
        }
    }

    /// Elements whose links are not content: menus, banners, skip links.
    fn boilerplate(self) -> &'static str {
        match self {
            Adapter::Sitevision => {
                "header, footer, [role=banner], [role=contentinfo], .sv-skip-link, .sv-cookie-consent, .sv-cookie, .env-cookie-consent, #cookie-banner, .cookie-banner"
            }
            _ => "[role=banner] .cookie, .cookie-banner, #cookie-banner",
        }
    }

    /// Classify one link, or `None` to ignore it.
    pub fn classify(self, url: &Url, text: &str) -> Option<LinkKind> {
        let path = url.path().to_lowercase();
        let query = url.query().unwrap_or("").to_lowercase();
        let text = text.to_lowercase();
        let file = FILE_EXTENSIONS.iter().any(|e| path.ends_with(e));
        match self {
            Adapter::Generic => Some(
                if file
                    || path.contains("/download/")
                    || query.contains("downloadmode=open")
                    || text.contains("(pdf")
                    || text.starts_with("ladda ner")
                {
                    LinkKind::Document
                } else {
                    LinkKind::Page
                },
            ),
            Adapter::Sitevision => Some(if path.starts_with("/download/18.") || file {
                LinkKind::Document
            } else {
                LinkKind::Page
            }),
            // Exactly the portal's structure (see `meetingplus`): meeting
            // pages are followed (their side menus list every meeting),
            // protocols and agenda attachments are documents; any other
            // `?downloadMode=open` file is a document too. The rest of
            // the application (log-in, search, body pages that list no
            // meetings) is ignored.
            Adapter::Meetingplus => {
                if crate::meetingplus::meeting_file(url).is_some()
                    || query.contains("downloadmode=open")
                {
                    Some(LinkKind::Document)
                } else if crate::meetingplus::meeting_page(url).is_some() {
                    Some(LinkKind::Page)
                } else {
                    None
                }
            }
        }
    }

    /// The links of an HTML page, resolved against `base`, without
    /// fragments, each once, boilerplate left out.
    pub fn links(self, html: &str, base: &Url) -> Vec<FoundLink> {
        let doc = Html::parse_document(html);
        let base = match doc
            .select(&selector("base[href]"))
            .next()
            .and_then(|b| b.value().attr("href"))
            .and_then(|h| base.join(h).ok())
        {
            Some(b) => b,
            None => base.clone(),
        };
        let skip = selector(self.boilerplate());
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for a in doc.select(&selector("a[href]")) {
            if inside(a, &skip) {
                continue;
            }
            let Some(href) = a.value().attr("href") else {
                continue;
            };
            let href = href.trim();
            if href.is_empty()
                || href.starts_with('#')
                || href.starts_with("mailto:")
                || href.starts_with("tel:")
                || href.starts_with("javascript:")
            {
                continue;
            }
            let Ok(mut url) = base.join(href) else {
                continue;
            };
            if !matches!(url.scheme(), "http" | "https") {
                continue;
            }
            url.set_fragment(None);
            let text = a.text().collect::<Vec<_>>().join(" ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let Some(kind) = self.classify(&url, &text) else {
                continue;
            };
            if seen.insert(url.to_string()) {
                out.push(FoundLink { url, text, kind });
            }
        }
        out
    }
}

/// Whether an HTML page reads as a text of its own rather than a listing:
/// enough words outside links in its content, and most of its content not
/// link text. Navigation, header, footer and banners are not counted.
pub fn reads_as_text(html: &str) -> bool {
    let doc = Html::parse_document(html);
    let skip = selector(
        "header, footer, nav, [role=navigation], [role=banner], [role=contentinfo], script, style, .sv-cookie-consent, .cookie-banner, #cookie-banner",
    );
    let link = selector("a");
    let body = selector("body");
    let Some(root) = doc.select(&body).next() else {
        return false;
    };
    let (mut all, mut linked) = (0usize, 0usize);
    for node in root.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let parent = node.parent().and_then(ElementRef::wrap);
        if parent.is_some_and(|p| skip.matches(&p) || inside(p, &skip)) {
            continue;
        }
        let n = text.split_whitespace().count();
        all += n;
        if parent.is_some_and(|p| link.matches(&p) || inside(p, &link)) {
            linked += n;
        }
    }
    all - linked >= 20 && (linked as f32) < 0.5 * all as f32
}

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

fn inside(el: ElementRef<'_>, skip: &Selector) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|anc| skip.matches(&anc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://www.sjovik.se/kommun-och-politik/").unwrap()
    }

    #[test]
    fn sitevision_files_are_documents_and_banners_are_not_content() {
        let html = r##"<html><body>
            <header><a href="/sok">Sök</a></header>
            <div class="sv-cookie-consent"><a href="/cookies">Om kakor</a></div>
            <div class="sv-portlet sv-text-portlet">
              <a href="motioner/">Motioner</a>
              <a href="/download/18.3b1a7c2d18a/1700000000000/Protokoll%20KF%202023-06-14.pdf">Protokoll KF (pdf, 200 kB)</a>
              <a href="#main">Till innehållet</a>
              <a href="mailto:kommun@sjovik.se">E-post</a>
              <a href="motioner/#top">Motioner igen</a>
            </div>
            <footer><a href="/om-webbplatsen">Om webbplatsen</a></footer>
        </body></html>"##;
        let links = Adapter::Sitevision.links(html, &base());
        let got: Vec<(&str, LinkKind)> = links.iter().map(|l| (l.url.path(), l.kind)).collect();
        assert_eq!(
            got,
            vec![
                ("/kommun-och-politik/motioner/", LinkKind::Page),
                (
                    "/download/18.3b1a7c2d18a/1700000000000/Protokoll%20KF%202023-06-14.pdf",
                    LinkKind::Document
                ),
            ]
        );
        assert_eq!(links[1].text, "Protokoll KF (pdf, 200 kB)");
    }

    #[test]
    fn listings_do_not_read_as_text() {
        let listing = "<html><body><header>Fixby kommun meny sök</header><main><h1>Interpellationer</h1><ul><li><a href='a'>Interpellation om tryggheten i skolan</a></li><li><a href='b.pdf'>Interpellation om skolskjutsarna (pdf)</a></li></ul></main></body></html>";
        assert!(!reads_as_text(listing));
        let words =
            "Många föräldrar hör av sig om otrygghet på rasterna och vill veta vad kommunen gör. "
                .repeat(4);
        let text = format!(
            "<html><body><nav><a href='/'>Start</a></nav><main><h1>Interpellation om tryggheten i skolan</h1><p>{words}</p><p>Läs mer i <a href='plan'>planen</a>.</p></main></body></html>"
        );
        assert!(reads_as_text(&text));
    }

    #[test]
    fn meetingplus_meetings_and_their_files() {
        let a = Adapter::Meetingplus;
        let u = |s: &str| Url::parse(s).unwrap();
        let base = "https://alingsas.meetingplus.se";
        assert_eq!(
            a.classify(
                &u(&format!(
                    "{base}/committees/kommunstyrelsen/mote-2026-02-25"
                )),
                ""
            ),
            Some(LinkKind::Page)
        );
        assert_eq!(
            a.classify(&u(&format!("{base}/committees/kommunstyrelsen/mote-2026-02-25/protocol/protokoll-ks-2026-02-25pdf-60508?downloadMode=open")), "Protokoll"),
            Some(LinkKind::Document)
        );
        assert_eq!(
            a.classify(&u(&format!("{base}/welcome-sv/namnder-styrelser/kommunstyrelsen/mote-2026-02-25/agenda/tjansteskrivelse-budgetpdf?downloadMode=open")), ""),
            Some(LinkKind::Document)
        );
        // A body's page lists no meetings when fetched by a program.
        assert_eq!(
            a.classify(&u(&format!("{base}/committees/kommunstyrelsen")), ""),
            None
        );
        assert_eq!(a.classify(&u(&format!("{base}/login")), "Logga in"), None);
    }

    #[test]
    fn generic_documents_by_type_path_and_text() {
        let a = Adapter::Generic;
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            a.classify(&u("https://x.se/a/plan.PDF"), ""),
            Some(LinkKind::Document)
        );
        assert_eq!(
            a.classify(&u("https://x.se/getfile?id=3"), "Ladda ner beslutet"),
            Some(LinkKind::Document)
        );
        assert_eq!(
            a.classify(&u("https://x.se/nyheter"), "Nyheter"),
            Some(LinkKind::Page)
        );
    }
}
