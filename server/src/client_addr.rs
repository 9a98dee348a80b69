//! The address a request came from, for the audit trail: set around each request (the
//! connection's peer address; a reverse proxy's own address when there is one in front), read
//! by every audit entry the request writes, so none has to pass it along.

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

tokio::task_local! {
    static CLIENT_ADDR: String;
}

/// The address of the request being served, if any (none for the system's own work).
pub fn current() -> Option<String> {
    CLIENT_ADDR.try_with(Clone::clone).ok()
}

/// Middleware: serves the request with its peer address remembered.
pub async fn remember(request: Request, next: Next) -> Response {
    match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => {
            let ip = addr.ip().to_canonical().to_string();
            CLIENT_ADDR.scope(ip, next.run(request)).await
        }
        None => next.run(request).await,
    }
}
