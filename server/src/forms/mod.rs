//! Form posts of record pages. A post that succeeds redirects (post/redirect/get); one that is
//! refused is answered with the same page rendered by the server, holding everything typed and
//! a message beside each refused field, with status 422. The same path works with and without
//! JavaScript.

mod activities;
mod announcements;
mod attachments;
mod customers;
mod opportunities;
mod prefs;
mod rankings;

pub use activities::*;
pub use announcements::*;
pub use attachments::*;
pub use customers::*;
pub use opportunities::*;
pub use prefs::*;
pub use rankings::*;

use crate::services::attachments::{Upload, MAX_ATTACHMENT_BYTES};
use crate::startup::AppState;
use app::i18n::{tr, Locale};
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;
use serde::de::DeserializeOwned;

/// Forms are small; anything larger is refused before it is read.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A form with files (`multipart/form-data`) may be larger; a file over the attachment limit
/// inside it is refused beside its field, a body over this is refused whole.
const MAX_MULTIPART_BYTES: u64 = 25 * 1024 * 1024;

/// A posted form, taken as a handler argument: who posted it, the request head (to render
/// the page again), its fields (as an urlencoded body) and any files.
pub struct Posted {
    parts: Parts,
    viewer: CurrentUser,
    body: Bytes,
    uploads: Vec<Upload>,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let Some(viewer) = parts.extensions.get::<CurrentUser>().cloned() else {
            return Err((StatusCode::UNAUTHORIZED, "请先登录").into_response());
        };
        let boundary = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok());
        let (body, uploads) = match boundary {
            Some(boundary) => read_multipart(body, boundary).await?,
            None => {
                let body = axum::body::to_bytes(body, MAX_FORM_BYTES)
                    .await
                    .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
                (body, Vec::new())
            }
        };
        Ok(Self {
            parts,
            viewer,
            body,
            uploads,
        })
    }
}

/// A `multipart/form-data` body: its text fields as an urlencoded body (so every handler
/// reads fields one way) and its files.
async fn read_multipart(body: Body, boundary: String) -> Result<(Bytes, Vec<Upload>), Response> {
    let too_large = || (StatusCode::PAYLOAD_TOO_LARGE, "文件过大").into_response();
    let bad = |e: multer::Error| match e {
        multer::Error::StreamSizeExceeded { .. } => too_large(),
        _ => StatusCode::BAD_REQUEST.into_response(),
    };
    let limits = multer::SizeLimit::new().whole_stream(MAX_MULTIPART_BYTES);
    let mut multipart = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut uploads = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let Some(file_name) = field.file_name().map(str::to_owned) else {
            pairs.push((name, field.text().await.map_err(bad)?));
            continue;
        };
        let content_type = field
            .content_type()
            .map(|m| m.to_string())
            .unwrap_or_default();
        let mut data = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if over || data.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
                over = true;
                data = Vec::new();
            } else {
                data.extend_from_slice(&chunk);
            }
        }
        uploads.push(Upload {
            field: name,
            file_name,
            content_type,
            data: Bytes::from(data),
            too_large: over,
        });
    }
    let body =
        serde_urlencoded::to_string(&pairs).map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
    Ok((Bytes::from(body), uploads))
}

impl Posted {
    /// The body as `T`; fields it lacks keep their defaults, so nothing typed is refused
    /// for being absent before the checks say why.
    fn form<T: DeserializeOwned + Default>(&self) -> T {
        serde_urlencoded::from_bytes(&self.body).unwrap_or_default()
    }

    /// The body as its name/value pairs, repeated names included (checkbox groups).
    fn form_pairs(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_bytes(&self.body).unwrap_or_default()
    }

    /// The file chosen in the file input `field`, if any.
    fn upload(&self, field: &str) -> Option<&Upload> {
        self.uploads
            .iter()
            .find(|u| u.field == field && u.is_chosen())
    }
}

/// The value of the first field called `name`.
pub(crate) fn value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `back` if it is a path on this site, `/` otherwise (never an open redirect).
pub(crate) fn local_path(back: &str) -> String {
    if back.starts_with('/') && !back.starts_with("//") && !back.starts_with("/\\") {
        back.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The outcome of a form's action: where to go next, or the refusals of its fields (or of the
/// request as a whole).
type Outcome = Result<String, Result<Vec<FieldError>, AppError>>;

/// Answers a form post: 303 to the next page, or the same page again with what was typed
/// (`submitted` makes the page's context value from the refusals).
async fn answer<S>(
    state: AppState,
    parts: Parts,
    outcome: Outcome,
    submitted: impl FnOnce(Vec<FieldError>) -> S,
) -> Response
where
    S: Clone + Send + Sync + 'static,
{
    let errors = match outcome {
        Ok(next) => return Redirect::to(&next).into_response(),
        Err(Ok(errors)) => errors,
        Err(Err(e @ AppError::Forbidden)) => return refusal(e),
        // Logged by the service; the form keeps what was typed and says to try again.
        Err(Err(_)) => vec![FieldError::new("", "error.internal")],
    };
    let submitted = submitted(errors);
    render_again(
        state,
        parts,
        move || provide_context(submitted.clone()),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The same page again with `submitted` in its context and status 200: a step of a form that
/// is not its submission (the customer search of 报备商机).
async fn show_again<S>(state: AppState, parts: Parts, submitted: S) -> Response
where
    S: Clone + Send + Sync + 'static,
{
    render_again(
        state,
        parts,
        move || provide_context(submitted.clone()),
        StatusCode::OK,
    )
    .await
}

/// The answer to a refused action that has no form to show again.
fn refusal(e: AppError) -> Response {
    match e {
        AppError::Forbidden => (StatusCode::FORBIDDEN, "无权访问").into_response(),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "请先登录").into_response(),
        AppError::NotFound => (StatusCode::NOT_FOUND, "记录不存在").into_response(),
        AppError::Field { message, .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, tr(Locale::Zh, &message)).into_response()
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "系统繁忙，请稍后再试").into_response(),
    }
}

/// 303 to `next` when the action went through, the refusal otherwise.
fn done(result: Result<String, AppError>) -> Response {
    match result {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(e) => refusal(e),
    }
}

/// Renders the page of `parts`' path again, as a GET would, with `extra` in its context, and
/// answers with `status`.
async fn render_again(
    state: AppState,
    mut parts: Parts,
    extra: impl Fn() + Clone + Send + Sync + 'static,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    let services = state.services.clone();
    let context = move || {
        services.provide();
        extra();
    };
    let options = state.leptos_options.clone();
    let render =
        leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    let path = parts.uri.path().to_owned();
    // Rendering changes nothing (the post's action is done), so a stalled render may run again.
    let mut response = crate::stall::render_patiently(&path, || {
        render(Request::from_parts(parts.clone(), Body::empty()))
    })
    .await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}
