//! `GET /analysis/export`: a 统计分析 table as an XLSX workbook (the pyramid's listed tier: all
//! its customers), with the same choices and the same checks as the page.

use super::refused;
use crate::state::AppState;
use app::api::analysis::{AnalysisAddress, Figure, Table, Value};
use app::i18n::{tr, Locale};
use app::model::{AppError, CurrentUser};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ExportAddress {
    #[serde(default)]
    figure: String,
    #[serde(flatten)]
    address: AnalysisAddress,
}

/// A header row, then the rows: counts and amounts (元, two decimals) as numbers, so they sum
/// in a spreadsheet; shares as percentages.
fn workbook(title: &str, table: &Table) -> Result<Vec<u8>, XlsxError> {
    let zh = |key: &str| tr(Locale::Zh, key);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(title)?;
    let bold = Format::new().set_bold();
    let yuan = Format::new().set_num_format("#,##0.00");
    let share = Format::new().set_num_format("0.0%");
    for (c, head) in table.heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, zh(head), &bold)?;
        sheet.set_column_width(c as u16, if c == 0 { 24 } else { 16 })?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match value {
                Value::Text(s) | Value::Link(s, _) => {
                    sheet.write_string(r, c, super::cell::defused(s))?
                }
                Value::Key(k) | Value::KeyLink(k, _) => sheet.write_string(r, c, zh(k))?,
                Value::Count(n) => sheet.write_number(r, c, *n as f64)?,
                Value::Fen(f) => sheet.write_number_with_format(r, c, *f as f64 / 100.0, &yuan)?,
                Value::Share(Some(p)) => {
                    sheet.write_number_with_format(r, c, *p as f64 / 1000.0, &share)?
                }
                Value::Share(None) => sheet.write_string(r, c, "")?,
            };
        }
    }
    book.save_to_buffer()
}

pub async fn export_analysis(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    Query(q): Query<ExportAddress>,
) -> Response {
    let Some(figure) = Figure::from_code(&q.figure) else {
        return refused(AppError::NotFound);
    };
    let table = match state
        .services
        .analysis_export(&viewer, figure, &q.address)
        .await
    {
        Ok(table) => table,
        Err(e) => return refused(e),
    };
    xlsx_response(
        tr(Locale::Zh, figure.label_key()),
        &table,
        &format!("analysis-{}", figure.code()),
    )
}

/// `table` as a workbook download named `file`.xlsx, its sheet named `title`.
pub(super) fn xlsx_response(title: &str, table: &Table, file: &str) -> Response {
    match workbook(title, table) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "workbook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
