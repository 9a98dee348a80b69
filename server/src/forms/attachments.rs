//! 附件 on forms: a file chosen in a form is kept before the form is checked, so a refused
//! form still holds it (a file input cannot be refilled); and `GET /attachments/{id}`.

use super::{refused, Posted};
use crate::state::AppState;
use app::model::{AppError, CurrentUser};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

/// What a post did to a form's 附件 (its file input `attachment`, the held `attachment_id` /
/// `attachment_name` and the box `remove_attachment`).
pub(crate) enum HeldFile {
    /// The form keeps the file it held, if any.
    Unchanged,
    /// 删除 was ticked.
    Removed,
    /// A file was chosen and kept.
    Replaced { id: i64, name: String },
}

impl HeldFile {
    /// The form's held file after the post.
    pub(crate) fn apply(&self, id: &mut String, name: &mut String) {
        match self {
            Self::Unchanged => {}
            Self::Removed => {
                id.clear();
                name.clear();
            }
            Self::Replaced {
                id: new,
                name: new_name,
            } => {
                *id = new.to_string();
                name.clone_from(new_name);
            }
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RemoveFile {
    remove_attachment: String,
}

/// Keeps a file chosen in the post's 附件 input before the form is checked, so a refused
/// form still holds it. A refused file is the form's refusal (shown beside the field).
pub(crate) async fn hold_attachment(
    state: &AppState,
    posted: &Posted,
) -> Result<HeldFile, AppError> {
    if let Some(upload) = posted.upload("attachment") {
        let (id, name) = state.services.keep_upload(&posted.viewer, upload).await?;
        return Ok(HeldFile::Replaced { id, name });
    }
    Ok(
        match posted.form::<RemoveFile>().remove_attachment.is_empty() {
            true => HeldFile::Unchanged,
            false => HeldFile::Removed,
        },
    )
}

/// `filename*` of a Content-Disposition (RFC 6266 / 5987): UTF-8, percent-encoded.
fn disposition(name: &str) -> String {
    let encoded: String =
        name.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|'
                | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// `GET /attachments/{id}`: the file, always as a download (never shown in the page's
/// origin), to whoever may see the record it belongs to.
pub async fn download_attachment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    match state.services.download(&viewer, id).await {
        Ok((meta, data)) => (
            [
                (header::CONTENT_TYPE, meta.content_type),
                (header::CONTENT_DISPOSITION, disposition(&meta.file_name)),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            data,
        )
            .into_response(),
        Err(e) => refused(e),
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn a_chinese_file_name_is_percent_encoded_with_an_ascii_fallback() {
        assert_eq!(
            disposition("合同 v1.pdf"),
            "attachment; filename=\"__ v1.pdf\"; filename*=UTF-8''%E5%90%88%E5%90%8C%20v1.pdf"
        );
        assert!(!disposition("a\"b.txt").contains("a\"b"));
    }
}
