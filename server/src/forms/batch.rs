//! The batch forms of the 客户管理 and 商机管理 lists (`POST /customers/batch?<conditions>`,
//! `/opportunities/batch?…`) and a job's error report (`GET /jobs/{id}/report`). The form's
//! address carries the list's conditions: 「全选」 reads them, and a refused form comes back on
//! the list as it was, its boxes still ticked.

use super::export::csv_lines;
use super::{refused, refused_again, Posted};
use crate::db::batch::BatchOf;
use crate::services::batch::BatchStart;
use crate::state::AppState;
use app::i18n::{tr, Locale};
use app::model::batch::BatchForm;
use app::model::CurrentUser;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use futures::StreamExt;

/// `POST /customers/batch`.
pub async fn post_customer_batch(State(state): State<AppState>, posted: Posted) -> Response {
    batch(state, posted, BatchOf::Customers).await
}

/// `POST /opportunities/batch`.
pub async fn post_opportunity_batch(State(state): State<AppState>, posted: Posted) -> Response {
    batch(state, posted, BatchOf::Opportunities).await
}

async fn batch(state: AppState, posted: Posted, of: BatchOf) -> Response {
    let mut form: BatchForm = posted.form();
    form.query = posted.parts.uri.query().unwrap_or_default().to_owned();
    match state.services.start_batch(&posted.viewer, of, &form).await {
        Ok(BatchStart::Job(id)) => Redirect::to(&app::paths::JOB.of(id)).into_response(),
        Ok(BatchStart::Export(href)) => Redirect::to(&href).into_response(),
        Err(submitted) => refused_again(state, posted.parts, submitted).await,
    }
}

/// A message in the report's language (the reports, like the exports, are in Chinese).
fn zh(key: &str) -> String {
    tr(Locale::Zh, key).to_owned()
}

/// One line of the report: 行号, 记录, 字段, 原因.
fn report_row(e: crate::db::jobs::JobError) -> Vec<String> {
    let e = crate::services::jobs::error_view(e);
    vec![
        e.row_no.map(|n| n.to_string()).unwrap_or_default(),
        e.label,
        if e.field_key.is_empty() {
            String::new()
        } else {
            zh(&e.field_key)
        },
        zh(&e.reason_key),
    ]
}

/// Rows of the report read at a time.
const REPORT_PAGE: i64 = 1000;

/// `GET /jobs/{id}/report`: every row the job refused (行号, 记录, 字段, 原因) as CSV with a
/// UTF-8 BOM, streamed a page at a time, for the user who started it.
pub async fn job_report(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Response {
    if let Err(e) = state.services.own_job(&viewer, id).await {
        return refused(e);
    }
    let head = format!(
        "\u{feff}{}",
        csv_lines(&[["job.row", "job.label", "job.field", "job.reason"]
            .iter()
            .map(|key| zh(key))
            .collect()])
    );
    let store = state.services.store.clone();
    // A page of refused rows at a time, so a report of any size is never held whole.
    let pages = futures::stream::unfold(Some(0i64), move |offset| {
        let store = store.clone();
        async move {
            let offset = offset?;
            match store.job_errors(id, offset, REPORT_PAGE).await {
                Ok(errors) => {
                    let next = (errors.len() as i64 == REPORT_PAGE).then_some(offset + REPORT_PAGE);
                    let rows: Vec<Vec<String>> = errors.into_iter().map(report_row).collect();
                    Some((Ok(Bytes::from(csv_lines(&rows))), next))
                }
                // Cut the download short rather than hand over a report that looks whole.
                Err(e) => {
                    tracing::error!(error = ?e, job = id, "error report failed");
                    Some((Err(std::io::Error::other("report failed")), None))
                }
            }
        }
    });
    let first = futures::stream::once(async move { Ok(Bytes::from(head)) });
    let out = Body::from_stream(first.chain(pages));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"errors.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}
