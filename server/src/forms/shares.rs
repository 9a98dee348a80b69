//! The form posts of 共享, one pair for customers and opportunities: the record comes from the
//! route (`Customers` or `Opportunities` below), the user and the access from the form.

use super::done;
use crate::db::shares::Shared;
use crate::state::AppState;
use app::model::share::ShareKind;
use app::model::CurrentUser;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;

/// The records a share route is for.
pub trait ShareRoute {
    const KIND: ShareKind;
}

/// `/customers/{id}/share`, `/customers/{id}/unshare`.
pub struct Customers;
/// `/opportunities/{id}/share`, `/opportunities/{id}/unshare`.
pub struct Opportunities;

impl ShareRoute for Customers {
    const KIND: ShareKind = ShareKind::Customer;
}

impl ShareRoute for Opportunities {
    const KIND: ShareKind = ShareKind::Opportunity;
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    user_id: i64,
    /// The kind's editable value (`edit` 可编辑, `collaborate` 协作); anything else is 只读.
    #[serde(default)]
    access: String,
}

/// `POST …/{id}/share` (共享).
pub async fn post_share<R: ShareRoute>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
    Form(form): Form<ShareForm>,
) -> Response {
    let editable = form.access == R::KIND.editable_value();
    let result = state
        .services
        .share(&viewer, Shared::of(R::KIND, id), form.user_id, editable)
        .await;
    done(result.map(|()| R::KIND.page(id)))
}

/// `POST …/{id}/unshare` (撤回).
pub async fn post_unshare<R: ShareRoute>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
    Form(form): Form<ShareForm>,
) -> Response {
    let result = state
        .services
        .unshare(&viewer, Shared::of(R::KIND, id), form.user_id)
        .await;
    done(result.map(|()| R::KIND.page(id)))
}
