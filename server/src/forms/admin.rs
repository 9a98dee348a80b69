//! The form posts of 用户管理 (系统管理员 only; the services refuse anyone else): 添加用户,
//! editing a user, 停用 / 启用 and 重置密码; 数据字典's changes.

use super::{answer, Posted};
use crate::state::AppState;
use app::api::admin::{
    SubmittedDict, SubmittedOrg, SubmittedRouting, SubmittedTransfer, SubmittedUser,
    SubmittedUserAction,
};
use app::model::admin_user::UserForm;
use app::model::dictionary::DictForm;
use app::model::org_admin::OrgForm;
use app::model::posted::Versioned;
use app::model::routing::RoutingForm;
use app::model::transfer::TransferForm;
use app::model::AppError;
use app::paths;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

/// `POST /transfer` (转交): back to the holder's 转交 page, saying how many items moved.
pub async fn post_transfer(State(state): State<AppState>, posted: Posted) -> Response {
    let form: TransferForm = posted.form();
    let outcome = state
        .services
        .transfer(&posted.viewer, &form)
        .await
        .map(|moved| {
            format!(
                "{}?from={}&moved={moved}",
                paths::TRANSFER.path(),
                form.from.trim()
            )
        });
    answer(state, posted.parts, outcome, |errors| SubmittedTransfer {
        form: form.clone(),
        errors,
    })
    .await
}

/// `POST /admin/org` (组织管理: 添加, 重命名, 移动, 停用 / 启用).
pub async fn post_org(State(state): State<AppState>, posted: Posted) -> Response {
    let form: OrgForm = posted.form();
    let outcome = state
        .services
        .change_org(&posted.viewer, &form)
        .await
        .map(|()| format!("{}?saved=1", paths::ADMIN_ORG.path()));
    answer(state, posted.parts, outcome, |errors| SubmittedOrg {
        form: form.clone(),
        errors,
    })
    .await
}

/// `POST /admin/routing` (审批配置: 任命 / 免去).
pub async fn post_routing(State(state): State<AppState>, posted: Posted) -> Response {
    let form: RoutingForm = posted.form();
    let outcome = state
        .services
        .change_routing(&posted.viewer, &form)
        .await
        .map(|()| format!("{}?saved=1", paths::ADMIN_ROUTING.path()));
    // A refused name offers whom it found; nothing is looked up for anyone refused outright.
    let lookup = match &outcome {
        Err(AppError::Invalid(_)) => state
            .services
            .routing_lookup(&form)
            .await
            .unwrap_or_default(),
        _ => Default::default(),
    };
    answer(state, posted.parts, outcome, |errors| SubmittedRouting {
        form: form.clone(),
        errors,
        lookup,
    })
    .await
}

/// `POST /admin/users/new`.
pub async fn post_new_user(State(state): State<AppState>, posted: Posted) -> Response {
    let form: UserForm = posted.form();
    let outcome = state
        .services
        .create_user(&posted.viewer, &form)
        .await
        .map(|id| format!("{}?created=1", paths::ADMIN_USER.of(id)));
    answer(state, posted.parts, outcome, |errors| SubmittedUser {
        // The initial password is not sent back to the page.
        form: UserForm {
            password: String::new(),
            ..form
        },
        version: 0,
        errors,
    })
    .await
}

/// `POST /admin/users/{id}`: a compare-and-set on the version read.
pub async fn post_edit_user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form: UserForm = posted.form();
    let version = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .update_user(&posted.viewer, id, version, &form)
        .await
        .map(|()| format!("{}?saved=1", paths::ADMIN_USER.of(id)));
    answer(state, posted.parts, outcome, |errors| SubmittedUser {
        form,
        version,
        errors,
    })
    .await
}

/// `POST /admin/users/{id}/disable` (停用).
pub async fn post_disable_user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    set_disabled(state, id, posted, true).await
}

/// `POST /admin/users/{id}/enable` (启用).
pub async fn post_enable_user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    set_disabled(state, id, posted, false).await
}

async fn set_disabled(state: AppState, id: i64, posted: Posted, disabled: bool) -> Response {
    let outcome = state
        .services
        .set_user_disabled(&posted.viewer, id, disabled)
        .await
        .map(|()| paths::ADMIN_USER.of(id));
    answer(state, posted.parts, outcome, |errors| SubmittedUserAction {
        errors,
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetForm {
    password: String,
}

/// `POST /admin/users/{id}/password` (重置密码).
pub async fn post_reset_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form: ResetForm = posted.form();
    let outcome = state
        .services
        .reset_user_password(&posted.viewer, id, &form.password)
        .await
        .map(|()| format!("{}?reset=1", paths::ADMIN_USER.of(id)));
    answer(state, posted.parts, outcome, |errors| SubmittedUserAction {
        errors,
    })
    .await
}

/// `POST /admin/dictionaries`: one change of one item (添加, 保存, 停用, 启用).
pub async fn post_dictionary(State(state): State<AppState>, posted: Posted) -> Response {
    let form: DictForm = posted.form();
    let outcome = state
        .services
        .change_dictionary(&posted.viewer, &form)
        .await
        .map(|()| {
            let kind =
                serde_urlencoded::to_string([("kind", form.kind.as_str())]).unwrap_or_default();
            format!("{}?{kind}&saved=1", paths::ADMIN_DICTIONARIES.path())
        });
    answer(state, posted.parts, outcome, |errors| SubmittedDict {
        form,
        errors,
    })
    .await
}
