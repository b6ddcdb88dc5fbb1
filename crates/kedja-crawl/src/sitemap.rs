//! Sitemaps: `<urlset>` entries and the sitemaps a `<sitemapindex>` names.

/// What a sitemap lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sitemap {
    pub urls: Vec<String>,
    /// Further sitemaps (from a sitemap index).
    pub sitemaps: Vec<String>,
}

/// Why a body is not read as a sitemap.
#[derive(Debug, thiserror::Error)]
pub enum SitemapError {
    #[error("sitemap is not UTF-8")]
    NotUtf8,
    #[error("sitemap is not XML: {0}")]
    NotXml(roxmltree::Error),
    #[error("not a sitemap: root element <{root}>")]
    NotASitemap { root: String },
}

/// Parse a sitemap, or say why it is not one.
pub fn parse(xml: &[u8]) -> Result<Sitemap, SitemapError> {
    let text = std::str::from_utf8(xml).map_err(|_| SitemapError::NotUtf8)?;
    let doc = roxmltree::Document::parse(text).map_err(SitemapError::NotXml)?;
    let root = doc.root_element();
    let mut out = Sitemap::default();
    let into = match root.tag_name().name() {
        "urlset" => &mut out.urls,
        "sitemapindex" => &mut out.sitemaps,
        other => {
            return Err(SitemapError::NotASitemap {
                root: other.to_owned(),
            });
        }
    };
    for entry in root.children().filter(|n| n.is_element()) {
        if let Some(loc) = entry
            .children()
            .find(|n| n.tag_name().name() == "loc")
            .and_then(|n| n.text())
        {
            into.push(loc.trim().to_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_and_index() {
        let set = br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc> https://x.se/a </loc><lastmod>2024-01-01</lastmod></url><url><loc>https://x.se/b.pdf</loc></url></urlset>"#;
        assert_eq!(
            parse(set).unwrap().urls,
            vec!["https://x.se/a", "https://x.se/b.pdf"]
        );
        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.se/s1.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(parse(index).unwrap().sitemaps, vec!["https://x.se/s1.xml"]);
        assert_eq!(
            parse(b"<html></html>").unwrap_err().to_string(),
            "not a sitemap: root element <html>"
        );
        assert!(matches!(parse(b"\xff\xfe"), Err(SitemapError::NotUtf8)));
        assert!(
            parse(b"<urlset")
                .unwrap_err()
                .to_string()
                .starts_with("sitemap is not XML: ")
        );
    }
}
