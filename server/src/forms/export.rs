//! 导出: `GET /customers/export?format=csv|xlsx&…`, `/opportunities/export?…` and
//! `/contacts/export?…` — every
//! row the list's query finds in the viewer's scope (not only the page shown), in the columns
//! they see. CSV is streamed as it is read (UTF-8 with a BOM, so Excel on Chinese Windows opens
//! it right); XLSX is written row by row to a temporary file in constant memory, then streamed
//! from it.

use super::refused;
use crate::state::AppState;
use app::api::contacts::ContactListQuery;
use app::api::customers::CustomerListQuery;
use app::api::opportunities::OpportunityListQuery;
use app::i18n::{tr, Locale};
use app::model::posted::FormBody;
use app::model::{AppError, CurrentUser};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;

/// Pages read ahead of the writer.
const AHEAD: usize = 4;

type Rows = Result<Vec<Vec<String>>, AppError>;

#[derive(Default, Deserialize)]
#[serde(default)]
struct Format {
    format: String,
    /// Rows ticked on the list (a batch's 导出): only those of the query's rows.
    #[serde(rename = "id", deserialize_with = "app::model::posted::distinct_ids")]
    ids: Vec<String>,
}

/// One CSV field: quoted when it must be, and a leading `= + - @` (a formula to a
/// spreadsheet) defused with a `'`.
fn csv_field(raw: &str, out: &mut String) {
    let value = super::cell::defused(raw);
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&value);
    }
}

/// Rows as CSV lines (CRLF, as RFC 4180 and Excel have them).
pub(crate) fn csv_lines(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(cell, &mut out);
        }
        out.push_str("\r\n");
    }
    out
}

/// What a list exports.
#[derive(Debug, Clone, Copy)]
enum List {
    Customers,
    Opportunities,
    Contacts,
}

impl List {
    fn file_name(self) -> &'static str {
        match self {
            List::Customers => "customers",
            List::Opportunities => "opportunities",
            List::Contacts => "contacts",
        }
    }
}

/// `GET /customers/export`.
pub async fn export_customers(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> Response {
    export(state, viewer, raw.unwrap_or_default(), List::Customers).await
}

/// `GET /opportunities/export`.
pub async fn export_opportunities(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> Response {
    export(state, viewer, raw.unwrap_or_default(), List::Opportunities).await
}

/// `GET /contacts/export`.
pub async fn export_contacts(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> Response {
    export(state, viewer, raw.unwrap_or_default(), List::Contacts).await
}

async fn export(state: AppState, viewer: CurrentUser, raw: String, list: List) -> Response {
    let format = FormBody::new(&raw).read::<Format>();
    let xlsx = format.format == "xlsx";
    let only: Option<HashSet<i64>> = (!format.ids.is_empty())
        .then(|| format.ids.iter().filter_map(|id| id.parse().ok()).collect());
    let columns = match list {
        List::Customers => state.services.customer_export_columns(&viewer).await,
        List::Opportunities => state.services.opportunity_export_columns(&viewer).await,
        List::Contacts => state.services.contact_export_columns(&viewer).await,
    };
    let columns = match columns {
        Ok(columns) => columns,
        Err(e) => return refused(e),
    };
    let header_row: Vec<String> = columns
        .iter()
        .map(|(_, key)| tr(Locale::Zh, key).to_owned())
        .collect();
    let codes: Vec<String> = columns.into_iter().map(|(code, _)| code).collect();
    let (tx, rx) = mpsc::channel::<Rows>(AHEAD);
    let services = state.services.clone();
    tokio::spawn(async move {
        let body = FormBody::new(&raw);
        let done = match list {
            List::Customers => {
                let query: CustomerListQuery = body.read();
                services
                    .export_customers(&viewer, &query, only.as_ref(), &codes, &tx)
                    .await
            }
            List::Opportunities => {
                let query: OpportunityListQuery = body.read();
                services
                    .export_opportunities(&viewer, &query, only.as_ref(), &codes, &tx)
                    .await
            }
            List::Contacts => {
                let query: ContactListQuery = body.read();
                services.export_contacts(&viewer, &query, &codes, &tx).await
            }
        };
        if let Err(e) = done {
            let _ = tx.send(Err(e)).await;
        }
    });
    let name = list.file_name();
    if xlsx {
        xlsx_response(header_row, rx, name).await
    } else {
        csv_response(header_row, rx, name)
    }
}

fn csv_response(header_row: Vec<String>, rx: mpsc::Receiver<Rows>, name: &str) -> Response {
    let head = format!("\u{feff}{}", csv_lines(&[header_row]));
    let first =
        futures::stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(head)) });
    let rest = futures::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await? {
            Ok(rows) => Some((Ok(Bytes::from(csv_lines(&rows))), rx)),
            // Cut the download short rather than hand over a file that looks whole.
            Err(e) => {
                tracing::error!(error = ?e, "export failed");
                Some((Err(std::io::Error::other("export failed")), rx))
            }
        }
    });
    use futures::StreamExt;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\"").as_str(),
            ),
        ],
        Body::from_stream(first.chain(rest)),
    )
        .into_response()
}

/// A temporary file's path no other export uses.
fn temp_path() -> std::path::PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("bizopp-export-{}-{n}.xlsx", std::process::id()))
}

async fn xlsx_response(
    header_row: Vec<String>,
    mut rx: mpsc::Receiver<Rows>,
    name: &str,
) -> Response {
    let path = temp_path();
    let target = path.clone();
    let written = tokio::task::spawn_blocking(move || -> Result<(), String> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(|e| e.to_string())?;
        let bold = Format::new().set_bold();
        for (c, head) in header_row.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, head, &bold)
                .map_err(|e| e.to_string())?;
        }
        let mut row = 1u32;
        while let Some(page) = rx.blocking_recv() {
            for cells in page.map_err(|e| format!("{e:?}"))? {
                for (c, cell) in cells.iter().enumerate() {
                    sheet
                        .write_string(row, c as u16, super::cell::defused(cell))
                        .map_err(|e| e.to_string())?;
                }
                row += 1;
            }
        }
        book.save(&target).map_err(|e| e.to_string())
    })
    .await;
    let file = match written {
        Ok(Ok(())) => tokio::fs::File::open(&path).await,
        failed => {
            tracing::error!(error = ?failed, "export failed");
            let _ = tokio::fs::remove_file(&path).await;
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Unlinked once open: the open file streams on, and nothing is left behind.
    let _ = tokio::fs::remove_file(&path).await;
    let Ok(file) = file else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let stream = futures::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buffer = vec![0u8; 64 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buffer)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\"").as_str(),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must_and_defuses_formulas() {
        let rows = vec![vec![
            "石家庄客户".to_owned(),
            "a,b".to_owned(),
            "say \"hi\"".to_owned(),
            "=HYPERLINK(\"x\")".to_owned(),
            "-1".to_owned(),
        ]];
        assert_eq!(
            csv_lines(&rows),
            "石家庄客户,\"a,b\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",'-1\r\n"
        );
    }
}
