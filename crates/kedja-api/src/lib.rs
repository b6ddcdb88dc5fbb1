//! The HTTP API (axum) and the static web interface.
//!
//! [`app`] builds the router over an [`Archive`]; [`serve`] binds it. This
//! crate alone knows the JSON wire format: it converts domain types into
//! its own response types. Every error is JSON `{error: {code, message}}`
//! with a 4xx status for bad input; 5xx bodies stay generic and the detail
//! goes to the log. Store and index work runs on the blocking pool.

mod commitments;
mod error;
mod openapi;
mod search_feed;
mod wire;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Json;
use axum::routing::get;
use kedja_model::DocId;
use kedja_pipeline::{Archive, SearchRequest};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;

pub use error::ApiError;
pub use openapi::{ROUTES, openapi};
pub use wire::{BriefResponse, TraceResponse};

/// Shared state: the archive behind a mutex (SQLite connections are not
/// shared between threads), used from the blocking pool.
#[derive(Debug, Clone)]
pub struct AppState {
    archive: Arc<Mutex<Archive>>,
}

impl AppState {
    pub fn new(archive: Archive) -> AppState {
        AppState {
            archive: Arc::new(Mutex::new(archive)),
        }
    }

    /// Serve `archive` from now on (after a crawl elsewhere has changed the
    /// data directory). Requests under way finish with the old one; the
    /// old one is dropped outside the lock.
    pub fn replace_archive(&self, archive: Archive) {
        let old = {
            let mut guard = self.archive.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::replace(&mut *guard, archive)
        };
        drop(old);
    }

    /// Run `f` with the archive on the blocking pool.
    async fn with_archive<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let archive = self.archive.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it; the archive itself
            // is still consistent (SQLite transactions), so go on.
            let guard = archive.lock().unwrap_or_else(|p| p.into_inner());
            f(&guard)
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }
}

/// Options for serving.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Directory of the web interface; `None` serves the API only.
    pub web_dir: Option<PathBuf>,
}

/// The router: `/api/…` and, when configured, the web interface at `/`.
pub fn app(state: AppState, opts: &ServeOptions) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .route("/api/search", get(search))
        .route("/api/documents/{id}", get(document))
        .route("/api/documents/{id}/trace", get(trace))
        .route("/api/documents/{id}/brief", get(brief))
        .route("/api/commitments", get(commitments::commitments))
        .route("/api/feeds/overdue.atom", get(commitments::overdue_feed))
        .route("/api/feeds/reports.atom", get(commitments::reports_feed))
        .route("/api/feeds/search.atom", get(search_feed::search_feed))
        .route("/api/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api/{*rest}", get(not_found))
        .with_state(state);
    let router = match &opts.web_dir {
        Some(dir) => api.fallback_service(ServeDir::new(dir)),
        None => api.fallback(not_found),
    };
    router.layer(CatchPanicLayer::custom(error::panic_response))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}

/// Serve on a bound listener until Ctrl-C (SIGINT) or SIGTERM (what
/// systemd sends to stop a service); requests under way are finished.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    opts: &ServeOptions,
) -> std::io::Result<()> {
    axum::serve(listener, app(state, opts))
        .with_graceful_shutdown(shutdown_requested())
        .await
}

async fn shutdown_requested() {
    // Without a handler the server runs until it is killed; it must not
    // take a failed registration for a shutdown request.
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C ({e}); stop the server with a signal");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM ({e})");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}

async fn health(State(state): State<AppState>) -> Result<Json<wire::Health>, ApiError> {
    let stats = state.with_archive(|a| Ok(a.store().stats()?)).await?;
    Ok(Json(wire::Health {
        status: "ok",
        documents: stats.documents,
        versions: stats.versions,
        references: stats.references,
        links: stats.links,
        version: env!("CARGO_PKG_VERSION"),
    }))
}

async fn search(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<wire::SearchResponse>, ApiError> {
    let req = wire::search_request(&params)?;
    let SearchRequest { limit, offset, .. } = req;
    let results = state.with_archive(move |a| Ok(a.search(&req)?)).await?;
    Ok(Json(wire::SearchResponse::from_results(
        results, limit, offset,
    )))
}

fn doc_id(id: String) -> Result<DocId, ApiError> {
    if wire::valid_id(&id) {
        Ok(DocId(id))
    } else {
        Err(ApiError::bad_request(
            "bad_id",
            format!("{id:?} is not a document id (d followed by 16 hex digits)"),
        ))
    }
}

async fn trace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<wire::TraceResponse>, ApiError> {
    let id = doc_id(id)?;
    let (depth, direction) = wire::trace_params(&params)?;
    state
        .with_archive(move |a| {
            let t = a
                .trace(&id, depth, direction)?
                .ok_or_else(|| ApiError::not_found(format!("no document {id}")))?;
            Ok(Json(wire::TraceResponse::from(t)))
        })
        .await
}

async fn brief(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<wire::BriefResponse>, ApiError> {
    let id = doc_id(id)?;
    state
        .with_archive(move |a| {
            let b = a
                .brief(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no document {id}")))?;
            if b.items.is_empty() {
                return Err(ApiError::bad_request(
                    "no_questions",
                    format!("document {id} has no questions or proposals to brief on"),
                ));
            }
            let today = time::OffsetDateTime::now_utc().date();
            Ok(Json(wire::BriefResponse::new(b, today)))
        })
        .await
}

async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<wire::DocumentResponse>, ApiError> {
    let id = doc_id(id)?;
    state
        .with_archive(move |a| {
            let store = a.store();
            let doc = store
                .get(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no document {id}")))?;
            let references = store.references(&id)?;
            let links_out = store.links_from(&id)?;
            let links_in = store.links_to(&id)?;
            let versions = store.versions(&id)?;
            let same_topic = a.same_topic(&id, 5)?;
            let today = time::OffsetDateTime::now_utc().date();
            let mut q = kedja_pipeline::CommitmentQuery::new(today);
            q.document = Some(id.clone());
            let commitments = a
                .find_commitments(&q)?
                .into_iter()
                .map(|c| commitments::CommitmentJson::new(c, today))
                .collect();
            let mut response = wire::DocumentResponse::new(
                doc, references, links_out, links_in, versions, same_topic,
            );
            response.commitments = commitments;
            for (l, outgoing) in response
                .links_out
                .iter_mut()
                .map(|l| (l, true))
                .chain(response.links_in.iter_mut().map(|l| (l, false)))
            {
                let other = if outgoing { &l.to } else { &l.from };
                if let Some(d) = store.get(&DocId(other.clone()))? {
                    l.other_title = Some(d.record.title);
                    l.other_date = d.record.date.map(|d| d.to_string());
                }
            }
            response.no_longer_at_source = store.crawl_gone(&id.0)?;
            Ok(Json(response))
        })
        .await
}
