//! The form posts of 共享, one pair for customers and opportunities: the record comes from the
//! route (`Customers` or `Opportunities` below), the user and the access from the form. A share
//! whose text names nobody in particular comes back on the record's page, the panel holding
//! what was typed and whom it found (status 422).

use super::{done, on_page, refused, refused_again, Posted};
use crate::db::shares::Shared;
use crate::state::AppState;
use app::model::lookup::PersonLookup;
use app::model::share::{ShareKind, SubmittedShare};
use app::model::{AppError, CurrentUser};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
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

#[derive(Deserialize, Default)]
pub struct ShareForm {
    /// The user chosen (among several the text found), or a link's.
    #[serde(default)]
    user_id: String,
    /// 共享给 as typed: a name or login.
    #[serde(default)]
    user: String,
    /// The kind's editable value (`edit` 可编辑, `collaborate` 协作); anything else is 只读.
    #[serde(default)]
    access: String,
}

/// `POST …/{id}/share` (共享).
pub async fn post_share<R: ShareRoute>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form = posted.form::<ShareForm>();
    let of = Shared::of(R::KIND, id);
    let editable = form.access == R::KIND.editable_value();
    let services = &state.services;
    let found = services
        .share_target(
            &posted.viewer,
            of,
            form.user_id.trim().parse().ok(),
            &form.user,
        )
        .await;
    let mut found = match found {
        Ok(found) => found,
        Err(e) => return refused(e),
    };
    if let Some(user_id) = found.chosen {
        match services.share(&posted.viewer, of, user_id, editable).await {
            Ok(()) => return Redirect::to(&R::KIND.page(id)).into_response(),
            Err(AppError::Field { message, .. }) => {
                found = PersonLookup {
                    error: Some(message),
                    chosen: None,
                    ..found
                }
            }
            Err(e) => return refused(e),
        }
    }
    let submitted = SubmittedShare {
        user: found,
        editable,
    };
    // The record's page, where the panel is, rendered as a GET of it would be.
    let parts = on_page(posted.parts, &R::KIND.page(id));
    refused_again(state, parts, submitted).await
}

/// `POST …/{id}/unshare` (撤回).
pub async fn post_unshare<R: ShareRoute>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
    Form(form): Form<ShareForm>,
) -> Response {
    let Ok(user_id) = form.user_id.trim().parse() else {
        return refused(AppError::BadRequest);
    };
    let result = state
        .services
        .unshare(&viewer, Shared::of(R::KIND, id), user_id)
        .await;
    done(result.map(|()| R::KIND.page(id)))
}
