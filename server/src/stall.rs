//! A guard against a known Leptos 0.8 fault: under thread contention a server-rendered page
//! whose `<Suspense>` futures finish at just the wrong moment can stall forever (upstream
//! leptos-rs/leptos #4851 and #4673; the fixes in 0.8.21+ made it rare, not impossible). A GET
//! has no body and changes nothing, so a page that has not rendered in a few seconds is
//! rendered again, and the stall is logged. A refused form's page is rendered the same way.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// How long a page may take before it is taken for stalled.
const PATIENCE: Duration = Duration::from_secs(8);
const ATTEMPTS: usize = 3;

pub async fn rerender_stalled_pages(req: Request, next: Next) -> Response {
    // The event stream never ends by design: it is not a page.
    let is_page = req.method() == Method::GET
        && !req.uri().path().starts_with("/pkg/")
        && !req.uri().path().starts_with("/api/")
        && req.uri().path() != "/events";
    if !is_page {
        return next.run(req).await;
    }
    let (parts, _) = req.into_parts();
    let path = parts.uri.path().to_owned();
    render_patiently(&path, || {
        next.clone()
            .run(Request::from_parts(parts.clone(), Body::empty()))
    })
    .await
}

/// Runs `render` (which must change nothing, so it may run again) until it finishes within
/// [`PATIENCE`], at most [`ATTEMPTS`] times. The body is read within the same patience (a
/// render can also stall after its head is out), then sent whole.
pub async fn render_patiently<F>(path: &str, render: impl Fn() -> F) -> Response
where
    F: std::future::Future<Output = Response>,
{
    for attempt in 1..=ATTEMPTS {
        let whole = async {
            let (head, body) = render().await.into_parts();
            axum::body::to_bytes(body, usize::MAX)
                .await
                .map(|bytes| Response::from_parts(head, Body::from(bytes)))
        };
        match tokio::time::timeout(PATIENCE, whole).await {
            Ok(Ok(response)) => return response,
            Ok(Err(e)) => {
                tracing::error!(path, error = %e, "page body failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            Err(_) => tracing::warn!(path, attempt, "page render stalled; rendering again"),
        }
    }
    (StatusCode::SERVICE_UNAVAILABLE, "系统繁忙，请稍后再试").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tower::ServiceExt;

    /// A page whose first `stalls` renders never finish.
    fn app(stalls: usize) -> (Router, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let router = Router::new()
            .route(
                "/",
                get(move || {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    async move {
                        if n < stalls {
                            std::future::pending::<()>().await;
                        }
                        "rendered"
                    }
                }),
            )
            .layer(axum::middleware::from_fn(rerender_stalled_pages));
        (router, calls)
    }

    async fn get_root(router: Router) -> Response {
        router
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_page_is_rendered_again() {
        let (router, calls) = app(1);
        let response = get_root(router).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_page_that_never_renders_gives_up_with_503() {
        let (router, calls) = app(usize::MAX);
        let response = get_root(router).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
    }
}
