//! `GET /rankings/export`: 「更多排名」's table as an XLSX workbook, with the same choices and
//! the same scope checks as the page.

use super::refused;
use crate::state::AppState;
use app::api::rankings::{RankingAddress, RankingService, RankingView};
use app::i18n::{tr, Locale};
use app::model::ranking::{Dimension, Metric};
use app::model::CurrentUser;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook of a ranking: a header row, then one row per group (amounts in 元 as numbers
/// with two decimals, so they sum in a spreadsheet).
fn workbook(v: &RankingView) -> Result<Vec<u8>, XlsxError> {
    let metric = Metric::from_code(&v.metric).unwrap_or(Metric::Filed);
    let dimension = Dimension::from_code(&v.dimension).unwrap_or(Dimension::Person);
    let person = dimension == Dimension::Person;
    let zh = |key: &str| tr(Locale::Zh, key);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{} {}", zh("ranking.title"), v.month))?;
    let bold = Format::new().set_bold();
    let yuan = Format::new().set_num_format("#,##0.00");
    let mut heads = vec![zh("ranking.rank"), zh(dimension.label_key())];
    if person {
        heads.push(zh("ranking.city"));
    }
    heads.push(zh(metric.label_key()));
    for (c, head) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *head, &bold)?;
    }
    for (i, r) in v.rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, r.rank)?;
        sheet.write_string(row, 1, super::cell::defused(&r.label))?;
        let mut col = 2;
        if person {
            sheet.write_string(
                row,
                col,
                super::cell::defused(r.city.as_deref().unwrap_or_default()),
            )?;
            col += 1;
        }
        match metric {
            Metric::Filed => sheet.write_number(row, col, r.value as f64)?,
            Metric::Signed => {
                sheet.write_number_with_format(row, col, r.value as f64 / 100.0, &yuan)?
            }
        };
    }
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(heads.len() as u16 - 1, 18)?;
    book.save_to_buffer()
}

pub async fn export_ranking(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    Query(address): Query<RankingAddress>,
) -> Response {
    let view = match state.services.ranking(&viewer, &address).await {
        Ok(view) => view,
        Err(e) => return refused(e),
    };
    match workbook(&view) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"ranking-{}-{}-{}.xlsx\"",
                        view.month, view.dimension, view.metric
                    ),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "ranking workbook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
