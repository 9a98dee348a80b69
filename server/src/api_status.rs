//! Leptos answers every server function's error with status 500. The answer gets the status
//! of the error it carries (`AppError::status`): a refusal is 403, a missing record 404, a
//! refused field 422, arguments that cannot be read 400 (the body is the plain
//! `AppError::BadRequest`, never the decoder's text). The browser's side reads any 4xx or 5xx
//! as the error it carries.

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
    if let Some(status) = serde_json::from_slice::<AppError>(&bytes)
        .ok()
        .and_then(|e| StatusCode::from_u16(e.status()).ok())
    {
        head.status = status;
    }
    Response::from_parts(head, Body::from(bytes))
}
