//! The form posts of 客户管理: customers, their contacts and shares.

use super::{answer, done, Posted};
use crate::state::AppState;
use app::api::customers::{SubmittedContact, SubmittedCustomer};
use app::model::customer::{ContactForm, CustomerForm};
use app::model::lookup::PersonLookup;
use app::model::posted::Versioned;
use app::model::{AppError, CurrentUser};
use app::paths;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

/// `POST /customers/new` (添加客户 → 提交).
pub async fn post_new_customer(State(state): State<AppState>, posted: Posted) -> Response {
    let form: CustomerForm = posted.form();
    let outcome = state
        .services
        .create_customer(&posted.viewer, &form)
        .await
        .map(|id| paths::CUSTOMER.of(id));
    let owner = owner_again(&state, &posted.viewer, &form, &outcome, None).await;
    answer(state, posted.parts, outcome, |errors| SubmittedCustomer {
        form,
        errors,
        owner,
    })
    .await
}

/// `POST /customers/{id}/edit` (客户信息编辑 → 提交): a compare-and-set on the version read.
pub async fn post_edit_customer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form: CustomerForm = posted.form();
    let version = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .update_customer(&posted.viewer, id, version, &form)
        .await
        .map(|()| paths::CUSTOMER.of(id));
    let owner = owner_again(&state, &posted.viewer, &form, &outcome, Some(id)).await;
    answer(state, posted.parts, outcome, |errors| SubmittedCustomer {
        form,
        errors,
        owner,
    })
    .await
}

/// A refused customer form's 负责人 as the page shows it again: whom the text found, or the
/// several to choose from (nothing when the form went through). `customer`: the one edited.
async fn owner_again<T>(
    state: &AppState,
    viewer: &CurrentUser,
    form: &CustomerForm,
    outcome: &Result<T, AppError>,
    customer: Option<i64>,
) -> Option<PersonLookup> {
    outcome.as_ref().err()?;
    let current = match customer {
        Some(id) => Some(state.services.editable(viewer, id).await.ok()?.owner_id),
        None => None,
    };
    let id = form.owner_id.trim().parse().ok();
    state
        .services
        .owner_field(viewer, id, &form.owner, current)
        .await
        .ok()
}

/// `POST /customers/{id}/convert` (转交易客户).
pub async fn post_convert_customer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.convert_customer(&viewer, id).await;
    done(result.map(|()| paths::CUSTOMER.of(id)))
}

/// `POST /customers/{id}/delete` (删除 → 确定).
pub async fn post_delete_customer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.delete_customer(&viewer, id).await;
    done(result.map(|()| paths::CUSTOMERS.path().to_owned()))
}

/// `POST /customers/{id}/contacts/new` (新建联系人 → 提交).
pub async fn post_new_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form: ContactForm = posted.form();
    let outcome = state
        .services
        .create_contact(&posted.viewer, id, &form)
        .await
        .map(|()| paths::CUSTOMER.of(id));
    answer(state, posted.parts, outcome, |errors| SubmittedContact {
        form,
        errors,
    })
    .await
}

/// `POST /contacts/{id}/edit` (联系人 → 编辑 → 提交).
pub async fn post_edit_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form: ContactForm = posted.form();
    let outcome = state
        .services
        .update_contact(&posted.viewer, id, &form)
        .await
        .map(|customer_id| paths::CUSTOMER.of(customer_id));
    answer(state, posted.parts, outcome, |errors| SubmittedContact {
        form,
        errors,
    })
    .await
}

/// `POST /contacts/{id}/delete` (联系人 → 删除).
pub async fn post_delete_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.delete_contact(&viewer, id).await;
    done(result.map(|customer_id| paths::CUSTOMER.of(customer_id)))
}
