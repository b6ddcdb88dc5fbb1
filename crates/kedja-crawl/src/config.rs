//! The sources file (`data/sources.toml`): crawler settings and one entry
//! per municipality.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::Adapter;

/// Politeness and limits for every source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Sent as `User-Agent`, with the contact appended.
    #[serde(default = "default_user_agent")]
    pub user_agent: String,
    /// How a site owner reaches whoever runs the crawler (a URL or an
    /// e-mail address); required, so that no crawl is anonymous.
    pub contact: String,
    /// Pause between two requests to one host. robots.txt's Crawl-delay
    /// wins when it is longer.
    #[serde(default = "default_delay_ms")]
    pub delay_ms: u64,
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// Larger responses are cut off and recorded as too large.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    #[serde(default = "default_max_redirects")]
    pub max_redirects: u32,
    /// Retries after a network error, a 5xx, 429 or 503.
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// Longest wait honoured from `Retry-After` or backoff, in seconds.
    #[serde(default = "default_max_wait_secs")]
    pub max_wait_secs: u64,
    /// The first retry waits this long; each further one twice as long.
    #[serde(default = "default_retry_base_ms")]
    pub retry_base_ms: u64,
}

fn default_user_agent() -> String {
    format!("KedjaBot/{}", env!("CARGO_PKG_VERSION"))
}
fn default_delay_ms() -> u64 {
    1000
}
fn default_timeout_secs() -> u64 {
    30
}
fn default_max_bytes() -> u64 {
    50 * 1024 * 1024
}
fn default_max_redirects() -> u32 {
    5
}
fn default_max_retries() -> u32 {
    3
}
fn default_max_wait_secs() -> u64 {
    120
}
fn default_retry_base_ms() -> u64 {
    2000
}

impl Settings {
    pub fn user_agent_header(&self) -> String {
        format!("{} (+{})", self.user_agent, self.contact)
    }
}

/// One municipality's site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Unique; names the source on the command line and in the frontier.
    pub name: String,
    /// The municipality of every document found; the name when absent.
    pub municipality: Option<String>,
    pub start: Vec<String>,
    /// Hosts that may be fetched: the municipality's and its
    /// meeting-system vendor's.
    pub allowed_hosts: Vec<String>,
    /// Regular expressions over the URL: only matching pages are followed
    /// (all allowed when empty).
    #[serde(default)]
    pub follow: Vec<String>,
    /// Regular expressions over the URL: never fetched.
    #[serde(default)]
    pub skip: Vec<String>,
    #[serde(default)]
    pub adapter: Adapter,
    /// Days before a finished crawl is done again.
    #[serde(default = "default_recrawl_days")]
    pub recrawl_days: u32,
    /// Links followed from a start page before giving up on a path.
    #[serde(default = "default_max_depth")]
    pub max_depth: u32,
    /// Private, loopback and link-local addresses are refused unless this
    /// is set (the tests serve their fixture site on 127.0.0.1).
    #[serde(default)]
    pub allow_private: bool,
}

fn default_recrawl_days() -> u32 {
    7
}
fn default_max_depth() -> u32 {
    8
}

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub crawler: Settings,
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The cause is part of the message, not also a `source`, so that a
    /// printed chain says it once.
    #[error("cannot read {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path}: {problem}")]
    Invalid {
        path: String,
        problem: InvalidConfig,
    },
}

/// What is wrong with the text of a sources file. Like [`ConfigError`],
/// each message holds its cause.
#[derive(Debug, thiserror::Error)]
pub enum InvalidConfig {
    #[error("{0}")]
    Toml(toml::de::Error),
    #[error("crawler.contact must say how to reach whoever runs the crawler")]
    NoContact,
    #[error("source {name:?} is named twice")]
    NamedTwice { name: String },
    #[error("source {name:?} has no start URL")]
    NoStart { name: String },
    #[error("source {name:?}: start URL {url:?}: {error}")]
    BadStart {
        name: String,
        url: String,
        error: url::ParseError,
    },
    #[error("source {name:?}: start URL {url:?} is not on an allowed host")]
    StartElsewhere { name: String, url: String },
    #[error("source {name:?}: pattern {pattern:?}: {error}")]
    BadPattern {
        name: String,
        pattern: String,
        error: regex::Error,
    },
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.display().to_string(),
            error,
        })?;
        Config::parse(&text).map_err(|problem| ConfigError::Invalid {
            path: path.display().to_string(),
            problem,
        })
    }

    /// Parse and check: unique names, start URLs on allowed hosts, valid
    /// patterns.
    pub fn parse(text: &str) -> Result<Config, InvalidConfig> {
        let config: Config = toml::from_str(text).map_err(InvalidConfig::Toml)?;
        if config.crawler.contact.trim().is_empty() {
            return Err(InvalidConfig::NoContact);
        }
        let mut names = std::collections::HashSet::new();
        for s in &config.sources {
            let name = || s.name.clone();
            if !names.insert(s.name.as_str()) {
                return Err(InvalidConfig::NamedTwice { name: name() });
            }
            if s.start.is_empty() {
                return Err(InvalidConfig::NoStart { name: name() });
            }
            for u in &s.start {
                let parsed = url::Url::parse(u).map_err(|error| InvalidConfig::BadStart {
                    name: name(),
                    url: u.clone(),
                    error,
                })?;
                let host = parsed.host_str().unwrap_or_default();
                if !s.allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                    return Err(InvalidConfig::StartElsewhere {
                        name: name(),
                        url: u.clone(),
                    });
                }
            }
            for p in s.follow.iter().chain(&s.skip) {
                Regex::new(p).map_err(|error| InvalidConfig::BadPattern {
                    name: name(),
                    pattern: p.clone(),
                    error,
                })?;
            }
        }
        Ok(config)
    }

    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name == name)
    }
}

impl Source {
    pub fn municipality(&self) -> &str {
        self.municipality.as_deref().unwrap_or(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sources file as shipped, with its commented examples switched on.
    fn examples() -> Config {
        let text = include_str!("../../../data/sources.toml");
        let setting = Regex::new(r"^[a-z_]+ = ").unwrap();
        let on: Vec<&str> = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest.starts_with("[[source]]")
                        || setting.is_match(rest)
                        || rest.starts_with("  \"")
                        || rest == "]" =>
                {
                    rest
                }
                _ => l,
            })
            .collect();
        Config::parse(&on.join("\n")).expect("the examples parse")
    }

    /// The messages of a sources file's mistakes, as they were when they
    /// were strings.
    #[test]
    fn mistakes_read_as_before() {
        let file = |sources: &str| {
            format!("[crawler]\nuser_agent = \"kedja\"\ncontact = \"a@b.se\"\n{sources}")
        };
        let source = |name: &str, start: &str, follow: &str| {
            format!(
                "[[source]]\nname = \"{name}\"\nstart = [{start}]\nallowed_hosts = [\"x.se\"]\nfollow = [{follow}]\n"
            )
        };
        let ok = source("a", "\"https://x.se/\"", "");
        let message = |text: &str| Config::parse(text).unwrap_err().to_string();
        assert!(Config::parse(&file(&ok)).is_ok(), "{}", message(&file(&ok)));
        assert_eq!(
            message(&file(&ok).replace("a@b.se", " ")),
            "crawler.contact must say how to reach whoever runs the crawler"
        );
        assert_eq!(
            message(&file(&format!("{ok}{ok}"))),
            "source \"a\" is named twice"
        );
        assert_eq!(
            message(&file(&source("a", "", ""))),
            "source \"a\" has no start URL"
        );
        assert_eq!(
            message(&file(&source("a", "\"x.se\"", ""))),
            "source \"a\": start URL \"x.se\": relative URL without a base"
        );
        assert_eq!(
            message(&file(&source("a", "\"https://y.se/\"", ""))),
            "source \"a\": start URL \"https://y.se/\" is not on an allowed host"
        );
        assert!(
            message(&file(&source("a", "\"https://x.se/\"", "\"(\"")))
                .starts_with("source \"a\": pattern \"(\": regex parse error:")
        );
        assert!(message("[crawler").contains("TOML parse error"));
    }

    #[test]
    fn the_shipped_examples_parse_and_a_portal_starts_from_meeting_pages() {
        let config = examples();
        assert_eq!(config.sources.len(), 3);
        let portal = config
            .sources
            .iter()
            .find(|s| s.adapter == Adapter::Meetingplus)
            .expect("a meetingplus example");
        assert_eq!(portal.municipality(), "Alingsås");
        for u in &portal.start {
            let url = url::Url::parse(u).unwrap();
            assert!(
                crate::meetingplus::meeting_page(&url).is_some(),
                "{u} is not a meeting page"
            );
        }
    }
}
