//! `POST /warnings`: the days that make 客户业务预警 (系统管理员 only). A refusal shows the page
//! again with what was typed, each message beside its field.

use super::{answer, Posted};
use crate::state::AppState;
use app::api::warnings::{SubmittedWarningDays, WarningDays};
use app::model::AppError;
use axum::extract::State;
use axum::response::Response;
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
    let outcome = match WarningDays::parse(&typed.idle, &typed.approval, &typed.customer) {
        Ok(days) => state
            .services
            .set_warning_days(&posted.viewer, &days)
            .await
            .map(|()| format!("{}?saved=1", app::paths::WARNINGS.path())),
        Err(errors) => Err(AppError::Invalid(errors)),
    };
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
