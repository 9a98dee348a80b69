//! 附件 of customers and opportunities: `POST /customers/{id}/files` and
//! `POST /opportunities/{id}/files` (several files in the input `files`), and
//! `POST /attachments/{id}/delete`. Each goes back to the record's page.

use super::{answer, done, Posted, PostedWithFiles};
use crate::db::attachments::AttachmentOwner;
use crate::services::record_files::FILES_FIELD;
use crate::state::AppState;
use app::model::attachment::SubmittedFiles;
use app::paths;
use axum::extract::{Path, State};
use axum::response::Response;

pub async fn post_customer_files(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: PostedWithFiles,
) -> Response {
    upload(state, AttachmentOwner::Customer(id), posted).await
}

pub async fn post_opportunity_files(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: PostedWithFiles,
) -> Response {
    upload(state, AttachmentOwner::Opportunity(id), posted).await
}

/// The page a record's file list is on.
fn page_of(of: AttachmentOwner) -> String {
    match of {
        AttachmentOwner::Customer(id) => paths::CUSTOMER.of(id),
        AttachmentOwner::Opportunity(id) => paths::OPPORTUNITY.of(id),
        _ => "/".to_owned(),
    }
}

async fn upload(state: AppState, of: AttachmentOwner, posted: PostedWithFiles) -> Response {
    let allowed = state.services.may_upload_files(posted.viewer(), of).await;
    let posted = match posted.read(allowed).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let files: Vec<_> = posted
        .uploads
        .iter()
        .filter(|u| u.field == FILES_FIELD)
        .collect();
    let outcome = state
        .services
        .upload_record_files(&posted.viewer, of, &files)
        .await
        .map(|n| format!("{}?uploaded={n}#files", page_of(of)));
    answer(state, posted.parts, outcome, |errors| SubmittedFiles {
        errors,
    })
    .await
}

/// `POST /attachments/{id}/delete`: a record's file, by its uploader or the record's editors.
pub async fn post_delete_record_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    done(
        state
            .services
            .delete_record_file(&posted.viewer, id)
            .await
            .map(|of| format!("{}#files", page_of(of))),
    )
}
