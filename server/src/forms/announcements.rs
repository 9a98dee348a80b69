//! The form posts of 公告通知: publish (with an optional 附件), edit, withdraw (撤回).

use super::{answer, done, hold_attachment, PostedWithFiles};
use crate::state::AppState;
use app::api::announcements::SubmittedAnnouncement;
use app::model::announcement::AnnouncementForm;
use app::model::posted::Versioned;
use app::model::CurrentUser;
use app::paths;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

/// `POST /announcements/new`.
pub async fn post_new_announcement(
    State(state): State<AppState>,
    posted: PostedWithFiles,
) -> Response {
    let allowed = state
        .services
        .may_post_announcement(posted.viewer(), None)
        .await;
    let posted = match posted.read(allowed).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let held = hold_attachment(&state, &posted).await;
    let mut form: AnnouncementForm = posted.form();
    let outcome = async {
        held?.apply(&mut form.attachment_id, &mut form.attachment_name);
        state
            .services
            .publish(&posted.viewer, &form)
            .await
            .map(|id| paths::ANNOUNCEMENT.of(id))
    }
    .await;
    answer(state, posted.parts, outcome, |errors| {
        SubmittedAnnouncement {
            form,
            version: 0,
            errors,
        }
    })
    .await
}

/// `POST /announcements/{id}/edit`: a compare-and-set on the version read.
pub async fn post_edit_announcement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: PostedWithFiles,
) -> Response {
    let allowed = state
        .services
        .may_post_announcement(posted.viewer(), Some(id))
        .await;
    let posted = match posted.read(allowed).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let held = hold_attachment(&state, &posted).await;
    let mut form: AnnouncementForm = posted.form();
    let version = posted.form::<Versioned>().version;
    let outcome = async {
        held?.apply(&mut form.attachment_id, &mut form.attachment_name);
        state
            .services
            .update_announcement(&posted.viewer, id, version, &form)
            .await
            .map(|()| paths::ANNOUNCEMENT.of(id))
    }
    .await;
    answer(state, posted.parts, outcome, |errors| {
        SubmittedAnnouncement {
            form,
            version,
            errors,
        }
    })
    .await
}

/// `POST /announcements/{id}/withdraw` (撤回).
pub async fn post_withdraw_announcement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.withdraw_announcement(&viewer, id).await;
    done(result.map(|()| paths::ANNOUNCEMENTS.path().to_owned()))
}
