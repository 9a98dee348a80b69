//! 导入's posts: `POST /customers/import` takes the file (multipart, streamed to disk, never
//! held in memory) and answers with its preview; `POST /customers/import/start` takes the
//! mapping and starts the job. Both work without JavaScript.

use super::{refused, refused_again, show_again, viewer_of, Posted};
use crate::auth::session::new_token;
use crate::services::import::{upload_dir, upload_path};
use crate::state::AppState;
use app::model::customer::FieldError;
use app::model::import::{ImportKind, ImportPreview, ImportStart};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tokio::io::AsyncWriteExt;

/// The largest file an import takes (a province's 200,000 customers fit well within it).
const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// `POST /customers/import`: keeps the upload and shows its preview.
pub async fn post_import_file(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let viewer = match viewer_of(&parts) {
        Ok(viewer) => viewer,
        Err(refusal) => return *refusal,
    };
    if let Err(e) = state.services.may_import(&viewer) {
        return refused(e);
    }
    let Some(boundary) = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
    else {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    };
    let limits = multer::SizeLimit::new().whole_stream(MAX_IMPORT_BYTES);
    let mut multipart = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut kind = ImportKind::Customers;
    let mut file = None;
    let token = new_token();
    let Some(path) = upload_path(viewer.id, &token) else {
        return refused(app::model::AppError::Internal);
    };
    let too_large = || StatusCode::PAYLOAD_TOO_LARGE.into_response();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(multer::Error::StreamSizeExceeded { .. }) => {
                let _ = tokio::fs::remove_file(&path).await;
                return too_large();
            }
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        };
        match (field.name(), field.file_name().map(str::to_owned)) {
            (Some("kind"), None) => {
                let text = field.text().await.unwrap_or_default();
                kind = ImportKind::from_code(&text).unwrap_or(ImportKind::Customers);
            }
            (Some("file"), Some(name)) if !name.is_empty() => match save(field, &path).await {
                Ok(true) => file = Some(name),
                Ok(false) => {}
                Err(response) => {
                    let _ = tokio::fs::remove_file(&path).await;
                    return response;
                }
            },
            _ => {}
        }
    }
    let preview = match file {
        Some(name) => {
            state
                .services
                .preview_import(&viewer, kind, &name, &token)
                .await
        }
        None => ImportPreview {
            kind: kind.code().to_owned(),
            errors: vec![FieldError::new("file", "import.choose_file")],
            ..ImportPreview::default()
        },
    };
    if preview.errors.is_empty() {
        show_again(state, parts, preview).await
    } else {
        let _ = tokio::fs::remove_file(&path).await;
        refused_again(state, parts, preview).await
    }
}

/// Writes the file field to `path`; whether it held anything.
async fn save(mut field: multer::Field<'_>, path: &std::path::Path) -> Result<bool, Response> {
    let failed = |e: std::io::Error| {
        tracing::error!(error = %e, "import upload could not be kept");
        refused(app::model::AppError::Internal)
    };
    tokio::fs::create_dir_all(upload_dir())
        .await
        .map_err(failed)?;
    let mut out = tokio::fs::File::create(path).await.map_err(failed)?;
    let mut written = 0;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                written += chunk.len();
                out.write_all(&chunk).await.map_err(failed)?;
            }
            Ok(None) => break,
            Err(multer::Error::StreamSizeExceeded { .. }) => {
                return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response());
            }
            Err(_) => return Err(StatusCode::BAD_REQUEST.into_response()),
        }
    }
    out.flush().await.map_err(failed)?;
    Ok(written > 0)
}

/// `POST /customers/import/start`: the job, or the preview again with why not.
pub async fn post_import_start(State(state): State<AppState>, posted: Posted) -> Response {
    if let Err(e) = state.services.may_import(&posted.viewer) {
        return refused(e);
    }
    let form: ImportStart = posted.form();
    match state.services.start_import(&posted.viewer, &form).await {
        Ok(job) => Redirect::to(&app::paths::JOB.of(job)).into_response(),
        Err(preview) => refused_again(state, posted.parts, preview).await,
    }
}
