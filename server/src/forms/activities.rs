//! The form posts of 销售活动: 添加活动 on a customer or an opportunity, and 完成.

use super::{answer, done, Posted};
use crate::state::AppState;
use app::api::activities::{ActivityTarget, SubmittedActivity};
use app::model::activity::ActivityForm;
use app::model::posted::Versioned;
use app::model::CurrentUser;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

async fn post_activity(state: AppState, target: ActivityTarget, posted: Posted) -> Response {
    let form = posted.form::<ActivityForm>();
    let outcome = state
        .services
        .add_activity(&posted.viewer, target, &form)
        .await;
    answer(state, posted.parts, outcome, |errors| SubmittedActivity {
        form,
        errors,
    })
    .await
}

/// `POST /customers/{id}/activities/new`.
pub async fn post_customer_activity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    post_activity(state, ActivityTarget::Customer(id), posted).await
}

/// `POST /opportunities/{id}/activities/new`.
pub async fn post_opportunity_activity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    post_activity(state, ActivityTarget::Opportunity(id), posted).await
}

/// Where 完成 was clicked, when not on the activity's own page (待办, the home page).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Back {
    back: String,
}

/// `POST /activities/{id}/complete` (完成): back to where it was clicked, or to the activity's
/// page.
pub async fn post_complete_activity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let back = posted.form::<Back>().back;
    let outcome = state.services.complete_activity(&posted.viewer, id).await;
    done(outcome.map(|page| match back.as_str() {
        "" => page,
        back => app::model::redirect::local_path(back).to_owned(),
    }))
}

/// `POST /activities/{id}/edit` (编辑, on the version read).
pub async fn post_edit_activity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form = posted.form::<ActivityForm>();
    let version = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .update_activity(&posted.viewer, id, version, &form)
        .await;
    answer(state, posted.parts, outcome, |errors| SubmittedActivity {
        form,
        errors,
    })
    .await
}

/// `POST /activities/{id}/delete` (删除).
pub async fn post_delete_activity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    done(state.services.delete_activity(&viewer, id).await)
}
