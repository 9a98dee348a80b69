//! 附件 on forms: a file chosen in a form is kept before the form is checked, so a refused
//! form still holds it (a file input cannot be refilled); and `GET /attachments/{id}`.

use super::{refused, Posted};
use crate::state::AppState;
use app::model::{AppError, CurrentUser};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

/// Applies the file input `field` to `pairs`: a chosen file is kept and replaces the one the
/// form held (`{field}_id` / `{field}_name`); a ticked `remove_{field}` drops it. A refused
/// file is the form's refused (shown beside the field).
pub(crate) async fn hold_attachment(
    state: &AppState,
    posted: &Posted,
    field: &str,
    pairs: &mut Vec<(String, String)>,
) -> Result<(), AppError> {
    let (id_key, name_key) = (format!("{field}_id"), format!("{field}_name"));
    let remove = pairs.iter().any(|(k, _)| *k == format!("remove_{field}"));
    let chosen = match posted.upload(field) {
        Some(upload) => Some(state.services.keep_upload(&posted.viewer, upload).await?),
        None => None,
    };
    if remove || chosen.is_some() {
        pairs.retain(|(k, _)| *k != id_key && *k != name_key);
    }
    if let Some((id, name)) = chosen {
        pairs.push((id_key, id.to_string()));
        pairs.push((name_key, name));
    }
    Ok(())
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
