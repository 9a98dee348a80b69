//! Form posts of record pages. A post that succeeds redirects (post/redirect/get); one that is
//! refused is answered with the same page rendered by the server, holding everything typed and
//! a message beside each refused field, with status 422. The same path works with and without
//! JavaScript.

use crate::startup::AppState;
use app::api::customers::{CustomerService, SubmittedContact, SubmittedCustomer};
use app::model::customer::{ContactForm, CustomerForm, FieldError};
use app::model::{AppError, CurrentUser};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;

/// Forms are small; anything larger is refused before it is read.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// `POST /customers/new` (添加客户 → 提交).
pub async fn post_new_customer(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Some(viewer) = parts.extensions.get::<CurrentUser>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form: CustomerForm = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let errors = match state.services.create_customer(&viewer, &form).await {
        Ok(id) => return Redirect::to(&format!("/customers/{id}")).into_response(),
        Err(Ok(errors)) => errors,
        Err(Err(AppError::Forbidden)) => {
            return (StatusCode::FORBIDDEN, "无权访问").into_response();
        }
        // Logged by the service; the form keeps what was typed and says to try again.
        Err(Err(_)) => vec![FieldError::new("", "error.internal")],
    };
    let submitted = SubmittedCustomer { form, errors };
    render_again(state, parts, move || provide_context(submitted.clone())).await
}

#[derive(serde::Deserialize)]
struct Versioned {
    #[serde(default)]
    version: i64,
}

/// `POST /customers/{id}/edit` (客户信息编辑 → 提交): a compare-and-set on the version read.
pub async fn post_edit_customer(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let Some(viewer) = parts.extensions.get::<CurrentUser>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form: CustomerForm = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let version = serde_urlencoded::from_bytes::<Versioned>(&bytes)
        .map(|v| v.version)
        .unwrap_or(0);
    let errors = match state
        .services
        .update_customer(&viewer, id, version, &form)
        .await
    {
        Ok(()) => return Redirect::to(&format!("/customers/{id}")).into_response(),
        Err(Ok(errors)) => errors,
        Err(Err(AppError::Forbidden)) => {
            return (StatusCode::FORBIDDEN, "无权访问").into_response();
        }
        Err(Err(_)) => vec![FieldError::new("", "error.internal")],
    };
    let submitted = SubmittedCustomer { form, errors };
    render_again(state, parts, move || provide_context(submitted.clone())).await
}

/// `POST /customers/{id}/contacts/new` (新建联系人 → 提交).
pub async fn post_new_contact(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let Some(viewer) = parts.extensions.get::<CurrentUser>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form: ContactForm = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let errors = match state.services.create_contact(&viewer, id, &form).await {
        Ok(()) => return Redirect::to(&format!("/customers/{id}")).into_response(),
        Err(Ok(errors)) => errors,
        Err(Err(AppError::Forbidden)) => {
            return (StatusCode::FORBIDDEN, "无权访问").into_response();
        }
        Err(Err(_)) => vec![FieldError::new("", "error.internal")],
    };
    let submitted = SubmittedContact { form, errors };
    render_again(state, parts, move || provide_context(submitted.clone())).await
}

#[derive(serde::Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    user_id: i64,
    /// `edit` for 可编辑; anything else is 只读.
    #[serde(default)]
    access: String,
}

/// `POST /customers/{id}/share` (共享).
pub async fn post_share_customer(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Extension(viewer): axum::Extension<CurrentUser>,
    axum::Form(form): axum::Form<ShareForm>,
) -> Response {
    let can_edit = form.access == "edit";
    match state
        .services
        .share_customer(&viewer, id, form.user_id, can_edit)
        .await
    {
        Ok(()) => Redirect::to(&format!("/customers/{id}")).into_response(),
        Err(AppError::Field { .. }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "选项无效").into_response()
        }
        Err(e) => refusal(e),
    }
}

/// `POST /customers/{id}/unshare` (撤回).
pub async fn post_unshare_customer(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Extension(viewer): axum::Extension<CurrentUser>,
    axum::Form(form): axum::Form<ShareForm>,
) -> Response {
    match state
        .services
        .unshare_customer(&viewer, id, form.user_id)
        .await
    {
        Ok(()) => Redirect::to(&format!("/customers/{id}")).into_response(),
        Err(e) => refusal(e),
    }
}

/// `POST /contacts/{id}/edit` (联系人 → 编辑 → 提交).
pub async fn post_edit_contact(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let Some(viewer) = parts.extensions.get::<CurrentUser>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form: ContactForm = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let errors = match state.services.update_contact(&viewer, id, &form).await {
        Ok(customer_id) => {
            return Redirect::to(&format!("/customers/{customer_id}")).into_response()
        }
        Err(Ok(errors)) => errors,
        Err(Err(AppError::Forbidden)) => {
            return (StatusCode::FORBIDDEN, "无权访问").into_response();
        }
        Err(Err(_)) => vec![FieldError::new("", "error.internal")],
    };
    let submitted = SubmittedContact { form, errors };
    render_again(state, parts, move || provide_context(submitted.clone())).await
}

/// `POST /contacts/{id}/delete` (联系人 → 删除).
pub async fn post_delete_contact(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Extension(viewer): axum::Extension<CurrentUser>,
) -> Response {
    match state.services.delete_contact(&viewer, id).await {
        Ok(customer_id) => Redirect::to(&format!("/customers/{customer_id}")).into_response(),
        Err(e) => refusal(e),
    }
}

/// `POST /customers/{id}/convert` (转交易客户).
pub async fn post_convert_customer(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    req: Request,
) -> Response {
    let Some(viewer) = req.extensions().get::<CurrentUser>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    };
    match state.services.convert_customer(&viewer, id).await {
        Ok(()) => Redirect::to(&format!("/customers/{id}")).into_response(),
        Err(e) => refusal(e),
    }
}

/// `POST /customers/{id}/delete` (删除 → 确定).
pub async fn post_delete_customer(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    req: Request,
) -> Response {
    let Some(viewer) = req.extensions().get::<CurrentUser>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "请先登录").into_response();
    };
    match state.services.delete_customer(&viewer, id).await {
        Ok(()) => Redirect::to("/customers").into_response(),
        Err(e) => refusal(e),
    }
}

/// The answer to a refused action that has no form to show again.
fn refusal(e: AppError) -> Response {
    match e {
        AppError::Forbidden => (StatusCode::FORBIDDEN, "无权访问").into_response(),
        AppError::Field { .. } => {
            (StatusCode::CONFLICT, "该客户已有商机，不能删除，只能合并").into_response()
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "系统繁忙，请稍后再试").into_response(),
    }
}

/// Renders the page of `parts`' path again, as a GET would, with `extra` in its context.
async fn render_again(
    state: AppState,
    mut parts: axum::http::request::Parts,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    parts.method = Method::GET;
    let services = state.services.clone();
    let context = move || {
        services.provide();
        extra();
    };
    let options = state.leptos_options.clone();
    let render =
        leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}
