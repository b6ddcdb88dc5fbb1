//! Sitemaps: `<urlset>` entries and the sitemaps a `<sitemapindex>` names.

/// What a sitemap lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sitemap {
    pub urls: Vec<String>,
    /// Further sitemaps (from a sitemap index).
    pub sitemaps: Vec<String>,
}

/// Parse a sitemap; anything that is not one gives an empty result and
/// the reason.
pub fn parse(xml: &[u8]) -> Result<Sitemap, String> {
    let text = std::str::from_utf8(xml).map_err(|_| "sitemap is not UTF-8".to_owned())?;
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("sitemap is not XML: {e}"))?;
    let root = doc.root_element();
    let mut out = Sitemap::default();
    let into = match root.tag_name().name() {
        "urlset" => &mut out.urls,
        "sitemapindex" => &mut out.sitemaps,
        other => return Err(format!("not a sitemap: root element <{other}>")),
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
        assert!(parse(b"<html></html>").is_err());
        assert!(parse(b"\xff\xfe").is_err());
    }
}
