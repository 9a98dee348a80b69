//! Security headers on every response: pages set their own Content-Security-Policy (with the
//! nonce of their inline scripts, see `app::csp`); every other answer gets the same policy
//! without one. And how long the bundle's files may be cached.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(policy) = HeaderValue::from_str(&app::csp::content_security_policy(None)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    response
}

/// The bundle's files (`/pkg/…`): kept for a year, never asked for again, when their names
/// carry a hash of their content (a new build has new names); asked for again each time
/// otherwise (a development build keeps its names).
pub async fn bundle_caching(hashed: bool, req: Request, next: Next) -> Response {
    let bundle = req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    if bundle && response.status().is_success() {
        let policy = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
