//! What every request's text goes through before the application reads it.
//!
//! NUL never reaches the application: PostgreSQL refuses it in text, SQLite's full-text
//! search ends its query there, and nobody types one (a paste can carry it). It is dropped
//! from the address's query and from form-encoded bodies, where it can only be `%00` or a raw
//! byte; the forms' multipart fields drop it where they are read ([`crate::forms`]).
//!
//! A body the handler leaves unread is read and dropped after its answer ([`lingering`]).
//!
//! A server function's form-encoded body must be UTF-8 (400 otherwise, as leptos would answer
//! 500) and is bounded here too: leptos reads it whole, with no limit of its
//! own, and an argument is a few fields.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest server-function body (the largest form is as large).
pub const MAX_ARGUMENT_BYTES: usize = 64 * 1024;

pub async fn normalized(req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    if let Some(query) = parts.uri.query().filter(|q| q.contains("%00")) {
        let path_and_query = format!("{}?{}", parts.uri.path(), query.replace("%00", ""));
        let mut uri = parts.uri.clone().into_parts();
        match path_and_query.parse() {
            Ok(pq) => uri.path_and_query = Some(pq),
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        }
        match Uri::from_parts(uri) {
            Ok(clean) => parts.uri = clean,
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        }
    }
    let content_type = parts.headers.get(header::CONTENT_TYPE);
    let form = content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let server_fn = parts.uri.path().starts_with("/api/");
    if !form && !server_fn {
        use axum::body::HttpBody;
        let req = Request::from_parts(parts, body);
        if req.body().size_hint().exact() == Some(0) {
            return next.run(req).await;
        }
        return lingering(req, next).await;
    }
    // Every server function of ours takes its arguments form-encoded (leptos' default); a
    // body declared as something else would reach its decoder and come back a 500.
    if server_fn && content_type.is_some() && !form {
        drain(body.into_data_stream()).await;
        return bad_request(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    // Own forms read at most as much (`forms::MAX_FORM_BYTES`); a larger body is refused
    // the same way there.
    let Some(bytes) = read_whole(body, MAX_ARGUMENT_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    // A form's text is UTF-8 (escapes may say otherwise, and are read leniently): leptos
    // would answer other bytes with a 500. Own forms refuse them the same way.
    if server_fn && std::str::from_utf8(&bytes).is_err() {
        return bad_request(StatusCode::BAD_REQUEST);
    }
    let body = if form {
        Body::from(strip_nul(&bytes))
    } else {
        Body::from(bytes)
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    next.run(Request::from_parts(parts, body)).await
}

/// The largest body read and dropped after an answer (the largest form with files).
const MAX_DRAINED_BYTES: usize = 25 * 1024 * 1024;

/// Runs the request with its body passed on through a channel, and reads and drops what the
/// handler left unread once it has answered. A handler that refuses before reading (a
/// refused upload, an id that is no number) closes the connection on a client still sending,
/// and the client never sees the answer (the server does not linger): a browser would show a
/// reset connection instead of the refusal.
async fn lingering(req: Request, next: Next) -> Response {
    use futures::StreamExt;
    let (parts, body) = req.into_parts();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, axum::Error>>(1);
    let mut source = body.into_data_stream();
    let forward = async move {
        while let Some(chunk) = source.next().await {
            if tx.send(chunk).await.is_err() {
                // The handler let go of the body: the rest is drained below.
                return Some(source);
            }
        }
        None
    };
    let passed = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let handler = next.run(Request::from_parts(parts, Body::from_stream(passed)));
    let (response, rest) = tokio::join!(handler, forward);
    if let Some(rest) = rest {
        drain(rest).await;
    }
    response
}

/// The body whole, or `None` when it is over `limit` (then read and dropped, so the refusal
/// reaches the client) or breaks off.
async fn read_whole(body: Body, limit: usize) -> Option<Vec<u8>> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        if bytes.len() + chunk.len() > limit {
            drain(stream).await;
            return None;
        }
        bytes.extend_from_slice(&chunk);
    }
    Some(bytes)
}

/// The longest a body is read for nothing: this layer is outside the request timeout, and a
/// client sending slowly must not hold its answer (and a task) for longer than a request may
/// take.
const MAX_DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(30);

/// Reads and drops a body (up to [`MAX_DRAINED_BYTES`], for [`MAX_DRAIN_TIME`] at most).
async fn drain(mut body: axum::body::BodyDataStream) {
    use futures::StreamExt;
    let read_all = async {
        let mut read = 0;
        while let Some(Ok(chunk)) = body.next().await {
            read += chunk.len();
            if read > MAX_DRAINED_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(MAX_DRAIN_TIME, read_all).await;
}

/// A server function's refusal of its arguments: the error its callers read.
fn bad_request(status: StatusCode) -> Response {
    let body = serde_json::to_string(&app::model::AppError::BadRequest).unwrap_or_default();
    (status, body).into_response()
}

/// A form-encoded body without its NULs, escaped or raw.
fn strip_nul(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == 0 {
            i += 1;
        } else if body[i..].starts_with(b"%00") {
            i += 3;
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_nul;

    #[test]
    fn nul_goes_escaped_or_raw_and_nothing_else_does() {
        assert_eq!(strip_nul(b"q=a%00b&n=\0c"), b"q=ab&n=c");
        // `%25` is a percent sign: what follows it is text.
        assert_eq!(strip_nul(b"q=%2500"), b"q=%2500");
        assert_eq!(strip_nul(b"q=%0A%00%0"), b"q=%0A%0");
    }
}
