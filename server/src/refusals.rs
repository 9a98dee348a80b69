//! A refusal with no page to show (a post someone may not make, no session, a failure):
//! handlers and guards answer [`refused`] with the error, and one layer ([`in_language`])
//! gives it its text in the user's language. The status comes from `AppError::status`, the one
//! mapping of an error to HTTP (server functions use it too).

use app::i18n::{tr, Locale};
use app::model::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The error a response refuses with, until [`in_language`] writes its text.
#[derive(Clone)]
struct Refusal(AppError);

/// The answer to a refused request: its status now, its text from [`in_language`].
pub fn refused(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = status.into_response();
    response.extensions_mut().insert(Refusal(e));
    response
}

/// Writes each refusal's text in the language of the request (its `lang` cookie).
pub async fn in_language(req: Request, next: Next) -> Response {
    let locale = Locale::from_headers(req.headers());
    let mut response = next.run(req).await;
    if let Some(Refusal(e)) = response.extensions_mut().remove::<Refusal>() {
        let key = match &e {
            AppError::Field { message, .. } => message.as_str(),
            AppError::Invalid(errors) => errors.first().map_or("error.field", |f| f.key.as_str()),
            e => e.message_key(),
        };
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        *response.body_mut() = Body::from(tr(locale, key));
    }
    response
}
