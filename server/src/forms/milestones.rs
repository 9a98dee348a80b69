//! The form posts of 订单后续执行跟踪: 添加里程碑, 编辑 (on the revision read), 删除.

use super::{answer, done, Posted};
use crate::state::AppState;
use app::api::milestones::SubmittedMilestone;
use app::model::milestone::MilestoneForm;
use app::model::posted::Versioned;
use axum::extract::{Path, State};
use axum::response::Response;

/// `POST /opportunities/{id}/milestones/new`.
pub async fn post_new_milestone(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form = posted.form::<MilestoneForm>();
    let outcome = state
        .services
        .add_milestone(&posted.viewer, id, &form)
        .await;
    answer(state, posted.parts, outcome, |errors| SubmittedMilestone {
        form,
        errors,
    })
    .await
}

/// `POST /milestones/{id}/edit`.
pub async fn post_edit_milestone(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form = posted.form::<MilestoneForm>();
    let revision = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .update_milestone(&posted.viewer, id, revision, &form)
        .await;
    answer(state, posted.parts, outcome, |errors| SubmittedMilestone {
        form,
        errors,
    })
    .await
}

/// `POST /milestones/{id}/delete`.
pub async fn post_delete_milestone(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    done(state.services.delete_milestone(&posted.viewer, id).await)
}
