//! The form post of 商机评估.

use super::{answer, Posted};
use crate::state::AppState;
use app::api::evaluations::SubmittedEvaluation;
use axum::extract::{Path, State};
use axum::response::Response;

/// `POST /opportunities/{id}/evaluation` (保存, on the revision read): refused, the page comes
/// back with every answer and note as posted.
pub async fn post_evaluation(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let pairs = posted.form::<Vec<(String, String)>>();
    let outcome = state
        .services
        .save_evaluation(&posted.viewer, id, &pairs)
        .await;
    answer(state, posted.parts, outcome, |errors| SubmittedEvaluation {
        pairs,
        errors,
    })
    .await
}
