//! `GET /admin/audit/export`: 审计日志's query as an XLSX workbook (系统管理员 only, at most
//! `EXPORT_MAX` entries, newest first).

use super::cell::defused;
use super::refused;
use crate::services::audit_log_export_max;
use crate::state::AppState;
use app::api::admin::AuditPage;
use app::i18n::{tr, Locale};
use app::model::audit::{label_of, AuditQuery, ACTIONS, ENTITIES};
use app::model::{AppError, CurrentUser};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

fn workbook(page: &AuditPage) -> Result<Vec<u8>, XlsxError> {
    let zh = |key: &str| tr(Locale::Zh, key);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(zh("admin.audit"))?;
    let bold = Format::new().set_bold();
    let heads = [
        "audit.at",
        "audit.actor",
        "audit.action",
        "audit.entity",
        "audit.entity_id",
        "audit.client_addr",
        "audit.changes",
    ];
    for (c, head) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, zh(head), &bold)?;
    }
    for (i, r) in page.rows.iter().enumerate() {
        let row = i as u32 + 1;
        let changes: Vec<String> = r
            .changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
            .collect();
        let named =
            |list, code: &str| label_of(list, code).map_or(code.to_owned(), |k| zh(k).to_owned());
        sheet.write_string(row, 0, &r.at)?;
        sheet.write_string(row, 1, defused(&r.actor))?;
        sheet.write_string(row, 2, named(ACTIONS, &r.action))?;
        sheet.write_string(row, 3, named(ENTITIES, &r.entity))?;
        sheet.write_string(row, 4, defused(&r.entity_id))?;
        sheet.write_string(row, 5, defused(&r.client_addr))?;
        sheet.write_string(row, 6, defused(&changes.join("\n")))?;
    }
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(6, 60)?;
    book.save_to_buffer()
}

pub async fn export_audit(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    Query(query): Query<AuditQuery>,
) -> Response {
    let page = match state
        .services
        .audit_page(&viewer, &query, audit_log_export_max())
        .await
    {
        Ok(page) if page.errors.is_empty() => page,
        Ok(_) => return refused(AppError::Invalid(Vec::new())),
        Err(e) => return refused(e),
    };
    match workbook(&page) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"audit-log.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "audit workbook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
