//! The form posts of 个人资料: 基本信息, 修改密码 (also on its own page, for a password that
//! must be changed first) and 「退出其他会话」.

use super::{answer, done, Posted};
use crate::state::AppState;
use app::api::profile::{SubmittedPassword, SubmittedProfile};
use app::model::posted::Versioned;
use app::model::profile::{PasswordForm, ProfileForm};
use app::model::CurrentUser;
use app::paths;
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

/// `POST /profile`: 姓名, 手机, 邮箱.
pub async fn post_profile(State(state): State<AppState>, posted: Posted) -> Response {
    let form: ProfileForm = posted.form();
    let version = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .save_profile(&posted.viewer, version, &form)
        .await
        .map(|()| format!("{}?saved=1", paths::PROFILE.path()));
    answer(state, posted.parts, outcome, |errors| SubmittedProfile {
        form,
        version,
        errors,
    })
    .await
}

/// `POST /profile/password`, and `POST /password` when it must be changed before anything
/// else (then on to 首页).
pub async fn post_password(State(state): State<AppState>, posted: Posted) -> Response {
    let form: PasswordForm = posted.form();
    let next = if posted.parts.uri.path() == paths::PASSWORD.path() {
        "/".to_owned()
    } else {
        format!("{}?password=changed", paths::PROFILE.path())
    };
    let outcome = state
        .services
        .change_password(&posted.viewer, &form)
        .await
        .map(|()| next);
    answer(state, posted.parts, outcome, |errors| SubmittedPassword {
        errors,
    })
    .await
}

/// `POST /profile/sessions/end`: 「退出其他会话」.
pub async fn post_end_other_sessions(
    State(state): State<AppState>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.end_other_sessions(&viewer).await;
    done(result.map(|_| format!("{}?sessions=ended", paths::PROFILE.path())))
}
