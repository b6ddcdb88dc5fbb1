//! Web servers on 127.0.0.1 for tests and benchmarks: the fixture sites,
//! the fixture portal and the generated sites of the crawl benchmarks all
//! start the same way.

use std::net::{SocketAddr, TcpListener};

use axum::Router;

/// `n` free ports of 127.0.0.1, bound now, so that their addresses are
/// known before the apps that name them are built.
pub fn bind(n: usize) -> std::io::Result<Vec<(TcpListener, SocketAddr)>> {
    (0..n)
        .map(|_| {
            let listener = TcpListener::bind("127.0.0.1:0")?;
            listener.set_nonblocking(true)?;
            let addr = listener.local_addr()?;
            Ok((listener, addr))
        })
        .collect()
}

/// Serve each app on its listener from one background thread with a
/// runtime of `workers` threads of its own, for the life of the process:
/// the caller's runtime (or lack of one) is never involved.
pub fn serve(apps: Vec<(TcpListener, Router)>, workers: usize) {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .enable_all()
            .build()
            .expect("a runtime for the loopback servers");
        rt.block_on(async move {
            let mut servers = Vec::new();
            for (listener, app) in apps {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a bound listener");
                servers.push(tokio::spawn(
                    async move { axum::serve(listener, app).await },
                ));
            }
            for s in servers {
                let _ = s.await;
            }
        });
    });
}
