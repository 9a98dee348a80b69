//! The server binary as its own process (as in production), and a tiny round-robin proxy in
//! front of several: for the crash harness and the several-instances tests.

use crate::helpers::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The server as its own process, on `database_url`.
pub struct Process {
    pub child: tokio::process::Child,
    pub app: TestApp,
}

pub async fn start(database_url: &str) -> Process {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", database_url)
        .env("BIZOPP_DEMO_DATA", "false")
        .env("LEPTOS_OUTPUT_NAME", "bizopp")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let mut app = client_for(database_url).await;
    app.address = format!("http://127.0.0.1:{port}");
    for _ in 0..600 {
        if let Ok(r) = app
            .client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
        {
            if r.status() == 200 {
                return Process { child, app };
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up on {database_url}");
}

/// A client for a server started elsewhere (the store opened on the same database).
pub async fn client_for(database_url: &str) -> TestApp {
    let template = TestApp {
        address: String::new(),
        client: reqwest::Client::new(),
        store: open_store(database_url).await,
        database_url: database_url.to_owned(),
    };
    another_client(&template)
}

/// A TCP proxy on a free port handing each new connection to the next of `backends`
/// (`host:port`) in turn, as a load balancer would; how many each got.
pub async fn round_robin(backends: Vec<String>) -> (String, Arc<Vec<AtomicUsize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("proxy port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let counts = Arc::new(
        backends
            .iter()
            .map(|_| AtomicUsize::new(0))
            .collect::<Vec<_>>(),
    );
    let counted = counts.clone();
    tokio::spawn(async move {
        let mut next = 0;
        while let Ok((mut inbound, _)) = listener.accept().await {
            let backend = backends[next % backends.len()].clone();
            counted[next % backends.len()].fetch_add(1, Ordering::SeqCst);
            next += 1;
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(&backend).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (address, counts)
}
