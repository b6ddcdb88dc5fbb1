//! The HTTP API (axum) and the static web interface.
//!
//! [`app`] builds the router over an [`Archive`]; [`serve`] binds it. This
//! crate alone knows the JSON wire format: it converts domain types into
//! its own response types. Every error is JSON `{error: {code, message}}`
//! with a 4xx status for bad input; 5xx bodies stay generic and the detail
//! goes to the log. Store and index work runs on the blocking pool.

mod commitments;
mod error;
mod extract;
mod meetings;
mod openapi;
mod search_feed;
mod wire;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Json;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use extract::{IdPath, Params};
use kedja_pipeline::{Archive, SearchRequest};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;

pub use error::ApiError;
pub use openapi::{ROUTES, openapi};
pub use wire::{BriefResponse, TraceResponse};

/// Shared state: handles on the archive for the blocking pool.
///
/// An archive on disk gets a pool of reading handles
/// ([`Archive::reader`]: each its own SQLite connection and index
/// reader), so searches and document reads run in parallel, and see what
/// any process commits. The archive given to [`AppState::new`] is the one
/// writer, behind a mutex; an archive in memory (tests) serves reads from
/// it too, one at a time.
#[derive(Debug, Clone)]
pub struct AppState {
    writer: Arc<Mutex<Archive>>,
    readers: Option<Arc<Readers>>,
    /// The lane of costly searches ([`SearchRequest::is_costly`]): they
    /// run one at a time, so that a few clients sending them cannot take
    /// every reading handle while ordinary searches wait behind them.
    costly: Arc<tokio::sync::Semaphore>,
}

/// Reading handles, and a permit per handle.
#[derive(Debug)]
struct Readers {
    /// Each handle with the generation of the archive it last reloaded at.
    handles: Mutex<Vec<(Archive, u64)>>,
    permits: tokio::sync::Semaphore,
    /// Raised each time the archive is replaced: a handle that was busy
    /// then reloads before its next read.
    generation: std::sync::atomic::AtomicU64,
}

/// Reload a reading handle's index to see the archive of generation `now`.
fn reload(handle: &Archive, seen: &mut u64, now: u64) {
    match handle.index().reload() {
        Ok(()) => *seen = now,
        Err(e) => tracing::warn!(error = %e, "a reading handle did not reload"),
    }
}

impl AppState {
    /// Serve `archive`, with as many reading handles as there are cores,
    /// twice over (at least two).
    pub fn new(archive: Archive) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState::with_readers(archive, (2 * cores).clamp(2, 16))
    }

    /// Serve `archive` with `n` reading handles (none for an archive in
    /// memory, or when they cannot be opened: then reads share the writer).
    pub fn with_readers(archive: Archive, n: usize) -> AppState {
        // An archive in memory gives no handles: its reads share the writer.
        let handles: Result<Vec<Archive>, _> = (0..n).filter_map(|_| archive.reader()).collect();
        let readers = match handles {
            Ok(handles) if !handles.is_empty() => Some(Arc::new(Readers {
                permits: tokio::sync::Semaphore::new(handles.len()),
                handles: Mutex::new(handles.into_iter().map(|h| (h, 0)).collect()),
                generation: std::sync::atomic::AtomicU64::new(0),
            })),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "cannot open reading handles; reads share the writer");
                None
            }
        };
        AppState {
            writer: Arc::new(Mutex::new(archive)),
            readers,
            costly: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    /// Run a search `f` with a reading handle: a costly one
    /// ([`SearchRequest::is_costly`]) first waits for its turn in the lane
    /// of costly searches.
    pub(crate) async fn with_search<T: Send + 'static>(
        &self,
        costly: bool,
        f: impl FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _turn = if costly {
            Some(
                self.costly
                    .acquire()
                    .await
                    .map_err(|e| ApiError::internal(format!("costly lane closed: {e}")))?,
            )
        } else {
            None
        };
        self.with_archive(f).await
    }

    /// Serve `archive` from now on (after a crawl elsewhere has changed the
    /// data directory): it becomes the writing handle; the reading handles
    /// follow its commits by themselves. The old one is dropped outside the
    /// lock.
    pub fn replace_archive(&self, archive: Archive) {
        let old = {
            let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::replace(&mut *guard, archive)
        };
        drop(old);
        // The reading handles would see the crawl's commits within a
        // moment; searches right after it should see them now. Those busy
        // with a request reload when they are next taken.
        if let Some(readers) = &self.readers {
            let now = readers
                .generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                + 1;
            for (handle, seen) in readers
                .handles
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter_mut()
            {
                reload(handle, seen, now);
            }
        }
    }

    /// Run `f` with a reading handle on the blocking pool: in parallel with
    /// other reads when the archive has reading handles.
    async fn with_archive<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let Some(readers) = self.readers.clone() else {
            return self.with_writer(f).await;
        };
        let _permit = readers
            .permits
            .acquire()
            .await
            .map_err(|e| ApiError::internal(format!("reader pool closed: {e}")))?;
        let pool = readers.clone();
        tokio::task::spawn_blocking(move || {
            let (handle, mut seen) = pool
                .handles
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop()
                .ok_or_else(|| ApiError::internal("no reading handle free"))?;
            let now = pool.generation.load(std::sync::atomic::Ordering::SeqCst);
            if seen < now {
                reload(&handle, &mut seen, now);
            }
            // A panic must not lose the handle: the archive is consistent
            // (reads only), so it goes back to the pool either way.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&handle)));
            pool.handles
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((handle, seen));
            result.unwrap_or_else(|_| Err(ApiError::internal("handler panicked")))
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }

    /// Run `f` with the one writing handle on the blocking pool, one call
    /// at a time.
    async fn with_writer<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let archive = self.writer.clone();
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
        .route("/api/meetings", get(meetings::meetings))
        .route("/api/meetings/{id}", get(meetings::meeting))
        .route("/api/feeds/overdue.atom", get(commitments::overdue_feed))
        .route("/api/feeds/reports.atom", get(commitments::reports_feed))
        .route("/api/feeds/search.atom", get(search_feed::search_feed))
        .route("/api/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api", get(not_found))
        .route("/api/", get(not_found))
        .route("/api/{*rest}", get(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    let router = match &opts.web_dir {
        Some(dir) => api.fallback_service(ServeDir::new(dir)),
        None => api.fallback(not_found),
    };
    router
        .layer(axum::middleware::from_fn(refuse_long_paths))
        .layer(CatchPanicLayer::custom(error::panic_response))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::status(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "only GET is served",
    )
}

/// Longest path served, in bytes; no route or file comes near it.
const MAX_PATH_BYTES: usize = 2048;
/// Longest segment of a path (a file name) served, in bytes.
const MAX_SEGMENT_BYTES: usize = 255;

/// Paths longer than any route or file name are answered at once, in
/// JSON, rather than reaching the file system (which fails on them).
async fn refuse_long_paths(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.len() > MAX_PATH_BYTES {
        return ApiError::status(
            axum::http::StatusCode::URI_TOO_LONG,
            "path_too_long",
            format!(
                "the path is {} bytes; the limit is {MAX_PATH_BYTES}",
                path.len()
            ),
        )
        .into_response();
    }
    if path.split('/').any(|s| s.len() > MAX_SEGMENT_BYTES) {
        return ApiError::not_found("no such endpoint or file").into_response();
    }
    next.run(request).await
}

/// Serve on a bound listener until Ctrl-C.
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
    Params(params): Params,
) -> Result<Json<wire::SearchResponse>, ApiError> {
    let req = wire::search_request(&params)?;
    let SearchRequest { limit, offset, .. } = req;
    let results = state
        .with_search(req.is_costly(), move |a| Ok(a.search(&req)?))
        .await?;
    Ok(Json(wire::SearchResponse::from_results(
        results, limit, offset,
    )))
}

async fn trace(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Params(params): Params,
) -> Result<Json<wire::TraceResponse>, ApiError> {
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
    IdPath(id): IdPath,
) -> Result<Json<wire::BriefResponse>, ApiError> {
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
    IdPath(id): IdPath,
) -> Result<Json<wire::DocumentResponse>, ApiError> {
    state
        .with_archive(move |a| {
            let today = time::OffsetDateTime::now_utc().date();
            let view = a
                .document_view(&id, today)?
                .ok_or_else(|| ApiError::not_found(format!("no document {id}")))?;
            let response = wire::DocumentResponse::from_view(view, today);
            Ok(Json(response))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// How many closures of each lane ran at once, at most.
    #[derive(Default)]
    struct Overlap {
        running: [AtomicUsize; 2],
        most: [AtomicUsize; 2],
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn costly_searches_take_turns_while_ordinary_ones_run_beside_them() {
        let dir = tempfile::tempdir().unwrap();
        let archive =
            Archive::open(dir.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
        let state = AppState::with_readers(archive, 4);
        let overlap = Arc::new(Overlap::default());
        let mut tasks = Vec::new();
        for i in 0..6 {
            let costly = i % 2 == 0;
            let (state, overlap) = (state.clone(), overlap.clone());
            tasks.push(tokio::spawn(async move {
                state
                    .with_search(costly, move |_| {
                        let lane = usize::from(!costly);
                        let now = overlap.running[lane].fetch_add(1, Ordering::SeqCst) + 1;
                        overlap.most[lane].fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        overlap.running[lane].fetch_sub(1, Ordering::SeqCst);
                        Ok(())
                    })
                    .await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(
            overlap.most[0].load(Ordering::SeqCst),
            1,
            "costly: one at a time"
        );
        assert!(
            overlap.most[1].load(Ordering::SeqCst) >= 2,
            "ordinary searches ran beside each other and the costly one"
        );
    }
}
