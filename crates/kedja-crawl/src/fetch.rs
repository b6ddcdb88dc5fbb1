//! One polite, bounded HTTP GET: per-host pacing, redirects checked hop by
//! hop against the allowed hosts and private addresses, a size limit
//! while reading, conditional requests, and retries with backoff for
//! network errors, 5xx, 429 and 503 (honouring `Retry-After`).
//!
//! Private addresses are refused where connections are made: the HTTP
//! client resolves names through [`PublicResolver`], which drops every
//! private address it is given, so a name that answered with a public
//! address once and a private one later (DNS rebinding) cannot reach the
//! private one.
//!
//! Fetchers of a crawl of many sources share a [`Politeness`]: one request
//! at a time per host (host and port) across all of them, with its pause,
//! and a limit on requests in flight overall.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
    RETRY_AFTER,
};
use reqwest::{Client, StatusCode};
use url::Url;

use crate::config::Settings;

/// What a fetch gave.
#[derive(Debug)]
pub enum Fetched {
    Ok {
        final_url: Url,
        body: Vec<u8>,
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// 304: unchanged since the validators we sent.
    NotModified,
    Failed {
        status: Option<u16>,
        reason: String,
    },
}

/// Which URLs may be fetched at all.
#[derive(Debug, Clone)]
pub struct Scope {
    pub allowed_hosts: Vec<String>,
    pub allow_private: bool,
}

impl Scope {
    pub fn host_allowed(&self, url: &Url) -> bool {
        url.host_str()
            .is_some_and(|h| self.allowed_hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
    }
}

/// Marks a refusal of the resolver, so that it is not retried.
const PRIVATE_REFUSAL: &str = "resolves only to private addresses";

/// A DNS resolver that keeps only public addresses: the HTTP client of a
/// source without `allow_private` connects through it, so every connection
/// it makes, after every resolution, goes to a public address.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicResolver;

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| !is_private(&a.ip()))
                .collect();
            if public.is_empty() {
                let shown: Vec<String> = found.iter().map(|a| a.ip().to_string()).collect();
                return Err(format!("{host} {PRIVATE_REFUSAL} ({})", shown.join(", ")).into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// What every fetcher of one crawl shares: a lock per host, held from the
/// host's pause until the response is read (so one request at a time per
/// host whichever source asks), holding when the host may be asked next;
/// and permits for requests in flight.
#[derive(Debug, Clone)]
pub struct Politeness {
    in_flight: Arc<tokio::sync::Semaphore>,
    hosts: Arc<std::sync::Mutex<HashMap<String, HostSlot>>>,
}

type HostSlot = Arc<tokio::sync::Mutex<Option<Instant>>>;

impl Politeness {
    /// At most `max_in_flight` requests at once (at least one).
    pub fn new(max_in_flight: usize) -> Politeness {
        Politeness {
            in_flight: Arc::new(tokio::sync::Semaphore::new(max_in_flight.max(1))),
            hosts: Arc::default(),
        }
    }

    fn slot(&self, host: &str) -> HostSlot {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts.entry(host.to_owned()).or_default().clone()
    }
}

/// The key pauses are kept under: host and port, so that sites on one
/// address but different ports (as in tests and benchmarks) are apart.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[derive(Debug)]
pub struct Fetcher {
    /// Connects to public addresses only.
    client: Client,
    /// Connects anywhere: for sources with `allow_private`.
    private_client: Client,
    settings: Settings,
    retry_base: Duration,
    politeness: Politeness,
    /// Extra pause per host from robots.txt's Crawl-delay.
    host_delay: HashMap<String, Duration>,
    /// Hosts checked against private addresses: the verdict.
    resolved: HashMap<String, Result<(), Refused>>,
}

/// The HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct ClientError(reqwest::Error);

/// Why an address is not asked.
#[derive(Debug, Clone, thiserror::Error)]
enum Refused {
    #[error("{host} is a private address; set allow_private for this source to crawl it")]
    Private { host: String },
    #[error(
        "{host} resolves to the private address {ip}; set allow_private for this source to crawl it"
    )]
    ResolvesPrivate { host: String, ip: IpAddr },
    #[error("cannot resolve {host}: {error}")]
    Unresolved {
        host: String,
        error: Arc<std::io::Error>,
    },
}

impl Fetcher {
    pub fn new(settings: &Settings) -> Result<Fetcher, ClientError> {
        Fetcher::sharing(settings, Politeness::new(1))
    }

    /// A fetcher that shares per-host locks and the in-flight limit with
    /// the other fetchers of a crawl.
    pub fn sharing(settings: &Settings, politeness: Politeness) -> Result<Fetcher, ClientError> {
        let builder = || {
            Client::builder()
                .user_agent(settings.user_agent_header())
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(settings.timeout_secs))
                .connect_timeout(Duration::from_secs(settings.timeout_secs.min(10)))
        };
        let client = builder()
            .dns_resolver(Arc::new(PublicResolver))
            // A proxy would connect for us, to addresses nobody checked.
            .no_proxy()
            .build()
            .map_err(ClientError)?;
        let private_client = builder().build().map_err(ClientError)?;
        Ok(Fetcher {
            client,
            private_client,
            retry_base: Duration::from_millis(settings.retry_base_ms),
            settings: settings.clone(),
            politeness,
            host_delay: HashMap::new(),
            resolved: HashMap::new(),
        })
    }

    /// robots.txt asked for a longer pause on this host (a [`host_key`]).
    pub fn set_crawl_delay(&mut self, host: &str, secs: f32) {
        if secs.is_finite() && secs > 0.0 {
            self.host_delay
                .insert(host.to_owned(), Duration::from_secs_f32(secs.min(60.0)));
        }
    }

    fn delay_for(&self, host: &str) -> Duration {
        let base = Duration::from_millis(self.settings.delay_ms);
        self.host_delay.get(host).map_or(base, |d| (*d).max(base))
    }

    /// Refuse loopback, private and link-local addresses unless allowed.
    /// An address written in the URL is checked here (the client connects
    /// to it without resolving); a name is checked once per host here, for
    /// a clear message about a configuration mistake, and again on every
    /// connection by [`PublicResolver`], which is what guards against a
    /// hostile DNS server.
    async fn check_address(&mut self, url: &Url, scope: &Scope) -> Result<(), Refused> {
        if scope.allow_private {
            return Ok(());
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            return if is_private(&ip) {
                Err(Refused::Private { host })
            } else {
                Ok(())
            };
        }
        if let Some(v) = self.resolved.get(&host) {
            return v.clone();
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let verdict = match tokio::net::lookup_host((host.trim_matches(['[', ']']), port)).await {
            Ok(addrs) => {
                let addrs: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
                match addrs.into_iter().find(is_private) {
                    Some(ip) => Err(Refused::ResolvesPrivate {
                        host: host.clone(),
                        ip,
                    }),
                    None => Ok(()),
                }
            }
            Err(error) => Err(Refused::Unresolved {
                host: host.clone(),
                error: Arc::new(error),
            }),
        };
        self.resolved.insert(host, verdict.clone());
        verdict
    }

    /// GET `url` with the validators of the last fetch, following
    /// redirects within `scope`.
    pub async fn get(
        &mut self,
        url: &Url,
        scope: &Scope,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Fetched {
        let mut current = url.clone();
        for _hop in 0..=self.settings.max_redirects {
            if !scope.host_allowed(&current) {
                return Fetched::Failed {
                    status: None,
                    reason: format!("redirected to {current}, which is not on an allowed host"),
                };
            }
            if let Err(refused) = self.check_address(&current, scope).await {
                return Fetched::Failed {
                    status: None,
                    reason: refused.to_string(),
                };
            }
            match self
                .get_once(&current, etag, last_modified, scope.allow_private)
                .await
            {
                Hop::Redirect(to) => current = to,
                Hop::Done(f) => {
                    return match f {
                        Fetched::Ok {
                            body,
                            content_type,
                            etag,
                            last_modified,
                            ..
                        } => Fetched::Ok {
                            final_url: current,
                            body,
                            content_type,
                            etag,
                            last_modified,
                        },
                        other => other,
                    };
                }
            }
        }
        Fetched::Failed {
            status: None,
            reason: format!("more than {} redirects", self.settings.max_redirects),
        }
    }

    /// One URL, with retries; a redirect is returned, not followed.
    async fn get_once(
        &mut self,
        url: &Url,
        etag: Option<&str>,
        last_modified: Option<&str>,
        allow_private: bool,
    ) -> Hop {
        let host = host_key(url);
        let slot = self.politeness.slot(&host);
        let mut attempt = 0u32;
        loop {
            // The host's lock is held until this attempt is over: one
            // request at a time per host, whichever fetcher asks.
            let mut next_at = slot.lock().await;
            if let Some(at) = *next_at {
                let now = Instant::now();
                if at > now {
                    tokio::time::sleep(at - now).await;
                }
            }
            let _permit = self
                .politeness
                .in_flight
                .acquire()
                .await
                .expect("the in-flight semaphore is never closed");
            *next_at = Some(Instant::now() + self.delay_for(&host));
            let client = if allow_private {
                &self.private_client
            } else {
                &self.client
            };
            let mut req = client.get(url.clone());
            if let Some(e) = etag {
                req = req.header(IF_NONE_MATCH, e);
            }
            if let Some(m) = last_modified {
                req = req.header(IF_MODIFIED_SINCE, m);
            }
            let (retry, wait, failure) = match req.send().await {
                Err(e) => {
                    let chain = error_chain(&e);
                    let what = if e.is_timeout() {
                        format!("timed out after {} s", self.settings.timeout_secs)
                    } else {
                        format!("network error: {chain}")
                    };
                    (
                        !chain.contains(PRIVATE_REFUSAL),
                        None,
                        Fetched::Failed {
                            status: None,
                            reason: what,
                        },
                    )
                }
                Ok(res) => {
                    let status = res.status();
                    if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                        let to = res
                            .headers()
                            .get(LOCATION)
                            .and_then(|l| l.to_str().ok())
                            .and_then(|l| url.join(l).ok());
                        return match to {
                            Some(mut to) => {
                                to.set_fragment(None);
                                Hop::Redirect(to)
                            }
                            None => Hop::Done(Fetched::Failed {
                                status: Some(status.as_u16()),
                                reason: format!("HTTP {status} without a usable Location"),
                            }),
                        };
                    }
                    if status == StatusCode::NOT_MODIFIED {
                        return Hop::Done(Fetched::NotModified);
                    }
                    if status.is_success() {
                        return Hop::Done(self.read_body(res).await);
                    }
                    let retryable =
                        status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
                    let wait = res
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(retry_after);
                    (
                        retryable,
                        wait,
                        Fetched::Failed {
                            status: Some(status.as_u16()),
                            reason: format!("HTTP {status}"),
                        },
                    )
                }
            };
            if !retry || attempt >= self.settings.max_retries {
                let failure = match failure {
                    Fetched::Failed { status, reason } if attempt > 0 => Fetched::Failed {
                        status,
                        reason: format!("{reason} (after {} tries)", attempt + 1),
                    },
                    f => f,
                };
                return Hop::Done(failure);
            }
            let backoff = self.retry_base * 2u32.saturating_pow(attempt);
            let wait = wait
                .unwrap_or(backoff)
                .min(Duration::from_secs(self.settings.max_wait_secs));
            tracing::debug!(%url, ?wait, attempt, "retrying");
            *next_at = Some(Instant::now() + wait);
            attempt += 1;
        }
    }

    async fn read_body(&self, mut res: reqwest::Response) -> Fetched {
        let max = self.settings.max_bytes;
        let header = |name| {
            res.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE);
        let etag = header(ETAG);
        let last_modified = header(LAST_MODIFIED);
        let too_large = || Fetched::Failed {
            status: None,
            reason: format!("larger than the limit of {max} bytes"),
        };
        if header(CONTENT_LENGTH)
            .and_then(|l| l.parse::<u64>().ok())
            .is_some_and(|l| l > max)
        {
            return too_large();
        }
        let mut body = Vec::new();
        loop {
            match res.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > max {
                        return too_large();
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Fetched::Failed {
                        status: None,
                        reason: if e.is_timeout() {
                            format!("timed out after {} s", self.settings.timeout_secs)
                        } else {
                            format!("reading the body failed: {}", error_chain(&e))
                        },
                    };
                }
            }
        }
        Fetched::Ok {
            final_url: res.url().clone(),
            body,
            content_type,
            etag,
            last_modified,
        }
    }
}

enum Hop {
    Redirect(Url),
    Done(Fetched),
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = time::OffsetDateTime::parse(v.trim(), &time::format_description::well_known::Rfc2822)
        .ok()?;
    let secs = (at - time::OffsetDateTime::now_utc()).whole_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

/// Addresses a crawler must not reach: loopback, private, link-local,
/// shared (carrier-grade NAT), benchmarking, documentation, multicast,
/// reserved, unspecified and broadcast addresses of IPv4, and of IPv6 the
/// same plus unique- and site-local ones and every form that embeds an
/// IPv4 address (mapped, compatible, NAT64, 6to4), judged by the embedded
/// address.
pub fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(*v4),
        IpAddr::V6(v6) => private_v6(*v6),
    }
}

fn private_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || a == 0 // "this network"
        || a >= 240 // reserved
        || (a == 100 && (b & 0xc0) == 64) // shared, 100.64.0.0/10
        || (a == 198 && (b & 0xfe) == 18) // benchmarking, 198.18.0.0/15
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
}

fn private_v6(v6: Ipv6Addr) -> bool {
    let s = v6.segments();
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        private_v4(Ipv4Addr::new(a, b, c, d))
    };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return private_v4(v4);
    }
    v6.is_loopback()
        || v6.is_unspecified()
        || v6.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link local
        || (s[0] & 0xffc0) == 0xfec0 // site local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard
        || (s[0] == 0x2001 && s[1] < 0x0200) // IETF protocols, Teredo, benchmarking
        // IPv4-compatible (deprecated): ::a.b.c.d
        || (s[..6] == [0; 6] && embedded(s[6], s[7]))
        // NAT64: 64:ff9b::/96 and the local-use 64:ff9b:1::/48
        || (s[0] == 0x64 && s[1] == 0xff9b)
        // 6to4: 2002:a.b.c.d::/48
        || (s[0] == 0x2002 && embedded(s[1], s[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.20.0.1",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "100.64.0.1",
            "::ffff:127.0.0.1",
            // Found reaching a local server through the crawler:
            "::7f00:1",
            "64:ff9b::7f00:1",
            "fec0::1",
            "198.18.0.1",
            "198.19.255.1",
            "0.1.2.3",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "ff02::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "2001:db8::1",
            "64:ff9b:1::a00:1",
        ] {
            assert!(is_private(&ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "193.10.1.1",
            "2a00:1450::1",
            "8.8.8.8",
            "198.20.0.1",
            "2002:c10a:101::1",
            "::ffff:193.10.1.1",
        ] {
            assert!(!is_private(&ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn the_resolver_drops_private_addresses_on_every_resolution() {
        use reqwest::dns::Resolve;
        let name = |s: &str| s.parse::<reqwest::dns::Name>().unwrap();
        let refused = PublicResolver.resolve(name("localhost")).await;
        let message = refused.err().expect("localhost refused").to_string();
        assert!(message.contains(PRIVATE_REFUSAL), "{message}");
        // An IPv4-mapped address written as a name is judged as the address.
        assert!(PublicResolver.resolve(name("127.0.0.1")).await.is_err());
    }

    #[tokio::test]
    async fn a_client_without_allow_private_does_not_connect_to_a_local_name() {
        // A server on loopback, reached by a name that resolves to it: the
        // fetcher's public client refuses at connection time.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = tokio::spawn(async move {
            tokio::time::timeout(Duration::from_secs(3), listener.accept())
                .await
                .is_ok()
        });
        let settings: Settings = toml::from_str("contact = \"test@example.org\"").unwrap();
        let fetcher = Fetcher::new(&settings).unwrap();
        let url = format!("http://localhost:{port}/");
        let r = fetcher.client.get(&url).send().await;
        let e = r.expect_err("refused");
        assert!(error_chain(&e).contains(PRIVATE_REFUSAL), "{e}");
        assert!(!accepted.await.unwrap(), "a connection was made");
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }
}
