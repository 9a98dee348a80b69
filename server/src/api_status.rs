//! A server function whose arguments cannot be read never runs: leptos answers its error with
//! status 500. Such a call is the caller's mistake, so it gets 400 (the body is the plain
//! `AppError::BadRequest`, never the decoder's text).

use app::model::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// The largest error body looked into (an error is a few bytes).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub async fn garbled_arguments_are_bad_requests(req: Request, next: Next) -> Response {
    let server_fn = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    if !server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut head, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    if serde_json::from_slice::<AppError>(&bytes).is_ok_and(|e| e == AppError::BadRequest) {
        head.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(head, Body::from(bytes))
}
