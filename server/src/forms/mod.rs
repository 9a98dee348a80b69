//! Form posts of record pages. A post that succeeds redirects (post/redirect/get); one that is
//! refused is answered with the same page rendered by the server, holding everything typed and
//! a message beside each refused field, with status 422. The same path works with and without
//! JavaScript.

mod activities;
mod admin;
pub(crate) mod analysis;
mod announcements;
mod attachments;
mod audit;
mod batch;
mod cell;
mod customers;
mod evaluations;
mod export;
mod import;
mod merge;
mod milestones;
mod opportunities;
mod outreach;
mod prefs;
mod profile;
mod quotes;
mod rankings;
mod record_files;
mod relations;
pub mod shares;
mod warnings;

pub use activities::*;
pub use admin::*;
pub use analysis::*;
pub use announcements::*;
pub use attachments::*;
pub use audit::*;
pub use batch::*;
pub use customers::*;
pub use evaluations::*;
pub use export::*;
pub use import::*;
pub use merge::*;
pub use milestones::*;
pub use opportunities::*;
pub use outreach::*;
pub use prefs::*;
pub use profile::*;
pub use quotes::*;
pub use rankings::*;
pub use record_files::*;
pub use relations::*;
pub use warnings::*;

pub(crate) use crate::refusals::refused;
use crate::services::attachments::{Upload, MAX_ATTACHMENT_BYTES};
use crate::state::AppState;
use app::model::customer::FieldError;
use app::model::posted::FormBody;
use app::model::{AppError, CurrentUser};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;
use serde::de::DeserializeOwned;

/// Forms are small; anything larger is refused before it is read. In a form with files, the
/// text fields together get the same budget.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// More fields than this (a checkbox list, repeated ids) is not a form a page sends.
const MAX_FORM_FIELDS: usize = 1000;

/// A form with files (`multipart/form-data`) may be larger; a file over the attachment limit
/// inside it is refused beside its field, a body over this is refused whole.
const MAX_MULTIPART_BYTES: u64 = 25 * 1024 * 1024;

/// The file inputs a form may have.
const MAX_FILES: usize = 10;

/// A posted form (urlencoded), taken as a handler argument: who posted it, the request head
/// (to render the page again), its fields and any files. A `multipart/form-data` post is
/// refused: only the forms with a file input take one ([`PostedWithFiles`]).
pub struct Posted {
    parts: Parts,
    viewer: CurrentUser,
    body: FormBody,
    uploads: Vec<Upload>,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let viewer = viewer_of(&parts).map_err(|r| *r)?;
        if boundary_of(&parts).is_some() {
            return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
        }
        read_urlencoded(parts, viewer, body).await
    }
}

/// A form with a file input, not yet read: its handler checks the viewer's right to post
/// there first ([`read`](Self::read)), so nobody's file is stored on a post that is refused.
pub struct PostedWithFiles {
    parts: Parts,
    viewer: CurrentUser,
    body: Body,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for PostedWithFiles {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let viewer = viewer_of(&parts).map_err(|r| *r)?;
        Ok(Self {
            parts,
            viewer,
            body,
        })
    }
}

impl PostedWithFiles {
    pub fn viewer(&self) -> &CurrentUser {
        &self.viewer
    }

    /// The form, read only once `allowed` says the viewer may post it (its refusal answers
    /// otherwise, with the body unread).
    async fn read(self, allowed: Result<(), AppError>) -> Result<Posted, Response> {
        allowed.map_err(refused)?;
        match boundary_of(&self.parts) {
            Some(boundary) => {
                let (body, uploads) = read_multipart(self.body, boundary).await?;
                Ok(Posted {
                    parts: self.parts,
                    viewer: self.viewer,
                    body,
                    uploads,
                })
            }
            None => read_urlencoded(self.parts, self.viewer, self.body).await,
        }
    }
}

/// The logged-in poster, or the refusal to answer with.
fn viewer_of(parts: &Parts) -> Result<CurrentUser, Box<Response>> {
    parts
        .extensions
        .get::<CurrentUser>()
        .cloned()
        .ok_or_else(|| Box::new(refused(AppError::Unauthenticated)))
}

fn boundary_of(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
}

async fn read_urlencoded(
    parts: Parts,
    viewer: CurrentUser,
    body: Body,
) -> Result<Posted, Response> {
    let body = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    if body.iter().filter(|b| **b == b'&').count() >= MAX_FORM_FIELDS {
        return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    }
    let body =
        String::from_utf8(body.to_vec()).map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
    Ok(Posted {
        parts,
        viewer,
        body: FormBody::new(body),
        uploads: Vec::new(),
    })
}

/// A `multipart/form-data` body: its text fields as an urlencoded body (so every handler
/// reads fields one way) and its files, each within its limits.
async fn read_multipart(body: Body, boundary: String) -> Result<(FormBody, Vec<Upload>), Response> {
    let too_large = || StatusCode::PAYLOAD_TOO_LARGE.into_response();
    let bad = |e: multer::Error| match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            too_large()
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    };
    let limits = multer::SizeLimit::new().whole_stream(MAX_MULTIPART_BYTES);
    let mut multipart = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut text_budget = MAX_FORM_BYTES;
    let mut uploads = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        if pairs.len() + uploads.len() >= MAX_FORM_FIELDS {
            return Err(too_large());
        }
        let name = field.name().unwrap_or_default().to_owned();
        let Some(file_name) = field.file_name().map(str::to_owned) else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if chunk.len() > text_budget {
                    return Err(too_large());
                }
                text_budget -= chunk.len();
                text.extend_from_slice(&chunk);
            }
            let text =
                String::from_utf8(text).map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
            // As `input::normalized` does for the other forms.
            pairs.push((name, text.replace('\0', "")));
            continue;
        };
        if uploads.len() >= MAX_FILES {
            return Err(too_large());
        }
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
    Ok((FormBody::from_pairs(&pairs), uploads))
}

impl Posted {
    /// The form as `T` (see [`FormBody::read`]).
    fn form<T: DeserializeOwned + Default>(&self) -> T {
        self.body.read()
    }

    /// The file chosen in the file input `field`, if any.
    fn upload(&self, field: &str) -> Option<&Upload> {
        self.uploads
            .iter()
            .find(|u| u.field == field && u.is_chosen())
    }
}

/// The outcome of a form's action: where to go next, or the refusals of its fields (or of the
/// request as a whole).
type Outcome = Result<String, AppError>;

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
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Field { field, message }) => vec![FieldError::new(&field, &message)],
        Err(e @ AppError::Forbidden) => return refused(e),
        // Logged by the service; the form keeps what was typed and says to try again.
        Err(_) => vec![FieldError::new("", "error.internal")],
    };
    refused_again(state, parts, submitted(errors)).await
}

/// The page of `parts` again with `submitted` (what was typed, and why it was refused) in its
/// context, status 422.
async fn refused_again<S>(state: AppState, parts: Parts, submitted: S) -> Response
where
    S: Clone + Send + Sync + 'static,
{
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

/// The request head made to address `path` (the page a refused post is shown on).
fn on_page(mut parts: Parts, path: &str) -> Parts {
    if let Ok(uri) = path.parse() {
        parts.uri = uri;
    }
    parts
}

/// 303 to `next` when the action went through, the refusal otherwise.
fn done(result: Result<String, AppError>) -> Response {
    match result {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(e) => refused(e),
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
    // The page shown again carries the menu's counts like any page (a post did not read them).
    crate::badges::insert(&state, &mut parts.extensions).await;
    let services = state.services.clone();
    let context = move || {
        services.provide();
        extra();
    };
    let options = state.leptos_options.clone();
    let render =
        leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}
