//! `POST /warnings`: the days that make 客户业务预警 (系统管理员 only); a refusal shows the page
//! again with what was typed, each message beside its field. `GET /warnings/export`: a kind's
//! warnings as XLSX.

use super::{answer, Posted};
use crate::state::AppState;
use app::api::analysis::{Table, Value};
use app::api::warnings::{SubmittedWarningDays, WarningKind};
use app::i18n::{tr, Locale};
use app::model::CurrentUser;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DaysForm {
    idle: String,
    approval: String,
    customer: String,
}

pub async fn post_warning_days(State(state): State<AppState>, posted: Posted) -> Response {
    let typed = posted.form::<DaysForm>();
    let outcome = state
        .services
        .set_warning_days(
            &posted.viewer,
            &typed.idle,
            &typed.approval,
            &typed.customer,
        )
        .await
        .map(|()| format!("{}?saved=1", app::paths::WARNINGS.path()));
    answer(state, posted.parts, outcome, |errors| {
        SubmittedWarningDays {
            idle: typed.idle,
            approval: typed.approval,
            customer: typed.customer,
            errors,
        }
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportKind {
    kind: String,
}

/// `GET /warnings/export?kind=…`: one kind's warnings in the viewer's scope as XLSX.
pub async fn export_warnings(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
    Query(q): Query<ExportKind>,
) -> Response {
    let (kind, rows) = match state.services.warning_export(&viewer, &q.kind).await {
        Ok(found) => found,
        Err(e) => return super::refused(e),
    };
    let record = if kind.of_opportunities() {
        "warning.opportunity"
    } else {
        "warning.customer"
    };
    let day = format!("warning.day_{}", kind.code());
    let mut heads = vec![record.to_owned(), "warning.owner".to_owned(), day];
    let approval = kind == WarningKind::SlowApproval;
    if approval {
        heads.push("warning.assignee".to_owned());
    }
    let table = Table {
        heads,
        rows: rows
            .into_iter()
            .map(|r| {
                let mut row = vec![
                    Value::Text(r.name),
                    Value::Text(r.owner),
                    Value::Text(r.day),
                ];
                if approval {
                    row.push(Value::Text(r.assignee.unwrap_or_default()));
                }
                row
            })
            .collect(),
    };
    super::analysis::xlsx_response(
        tr(Locale::Zh, &kind.label_key()),
        &table,
        &format!("warnings-{}", kind.code()),
    )
}
