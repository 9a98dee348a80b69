//! `POST /customers/{id}/relations`: 联系人关系图's 添加 and 删除, back to the customer's graph.

use super::{answer, Posted};
use crate::state::AppState;
use app::model::relation::{RelationForm, SubmittedRelation};
use app::paths;
use axum::extract::{Path, State};
use axum::response::Response;

pub async fn post_relation(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form: RelationForm = posted.form();
    let outcome = state
        .services
        .change_relation(&posted.viewer, id, &form)
        .await
        .map(|()| format!("{}#relations", paths::CUSTOMER.of(id)));
    answer(state, posted.parts, outcome, |errors| SubmittedRelation {
        form: form.clone(),
        errors,
    })
    .await
}
