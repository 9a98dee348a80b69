//! 附件: keeping an uploaded file for its uploader, attaching it to a record, and reading it
//! back for those who may see that record.

use super::Services;
use crate::db::attachments::{AttachmentMeta, AttachmentOwner, NewAttachment};
use crate::db::Actor;
use crate::policy::scope::Scope;
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};
use axum::body::Bytes;
use sha2::{Digest, Sha256};

/// The largest file kept.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// How much one user may hold in uploads no record holds yet (files of refused forms).
pub const UNATTACHED_QUOTA_BYTES: i64 = 50 * 1024 * 1024;

/// How long an upload no record holds is kept (a refused form holds its file for the next
/// post; one abandoned for a day is dropped).
pub const UNATTACHED_GRACE: chrono::Duration = chrono::Duration::days(1);

/// A file posted with a form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    /// Empty when the file was over [`MAX_ATTACHMENT_BYTES`] (see `too_large`).
    pub data: Bytes,
    pub too_large: bool,
}

impl Upload {
    /// Whether a file was chosen at all (a form posts an empty part for an empty file input).
    pub fn is_chosen(&self) -> bool {
        !self.file_name.is_empty() && (self.too_large || !self.data.is_empty())
    }
}

/// The name to keep: the last path segment (old browsers post a full path), without control
/// characters, at most 200 characters.
pub(crate) fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    match name.trim() {
        "" => "附件".to_owned(),
        n => n.to_owned(),
    }
}

impl Services {
    /// Keeps `upload` for `viewer`: (id, name), or the refusal to show beside its field
    /// (`AppError::Invalid`).
    pub async fn keep_upload(
        &self,
        viewer: &CurrentUser,
        upload: &Upload,
    ) -> Result<(i64, String), AppError> {
        if upload.too_large {
            return Err(AppError::Invalid(vec![FieldError::new(
                &upload.field,
                "attachment.too_large",
            )]));
        }
        let name = clean_name(&upload.file_name);
        let content_type = match upload.content_type.trim() {
            "" => "application/octet-stream",
            t => t,
        };
        let new = NewAttachment {
            file_name: &name,
            content_type,
            data: &upload.data,
            sha256: crate::auth::session::hex(&Sha256::digest(&upload.data)),
        };
        let id = self
            .store
            .insert_attachment(
                &Actor::user(viewer.id, self.clock.now()),
                &new,
                UNATTACHED_QUOTA_BYTES,
            )
            .await?
            .ok_or_else(|| {
                AppError::Invalid(vec![FieldError::new(&upload.field, "attachment.quota")])
            })?;
        Ok((id, name))
    }

    /// Drops the uploads no record came to hold within [`UNATTACHED_GRACE`]; logged.
    pub async fn purge_unattached_uploads(&self) {
        let now = self.clock.now();
        match self
            .store
            .purge_unattached(&Actor::system(now), now - UNATTACHED_GRACE)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "unattached uploads purged"),
            Err(e) => tracing::warn!(error = %e, "purging unattached uploads failed"),
        }
    }

    /// Whether `viewer` may let file `id` go with a record: they uploaded it and no record
    /// holds it yet, or `holder` (the record being saved, if it exists) already holds it.
    pub(crate) async fn may_attach(
        &self,
        viewer: &CurrentUser,
        id: i64,
        holder: Option<AttachmentOwner>,
    ) -> Result<bool, AppError> {
        Ok(match self.store.attachment_owner(id).await? {
            Some(AttachmentOwner::Uploader(uploader)) => uploader == viewer.id,
            Some(owner) => Some(owner) == holder,
            None => false,
        })
    }

    /// The file's name, for showing it beside the form field that holds it.
    pub(crate) async fn attachment_name(&self, id: i64) -> Result<Option<String>, AppError> {
        let meta = self.store.attachment_meta(id).await?;
        Ok(meta.map(|m| m.file_name))
    }

    /// A download: the file and its bytes, if `viewer` may see the record it belongs to
    /// (its uploader, until a record holds it).
    pub async fn download(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>), AppError> {
        let allowed = match self.store.attachment_owner(id).await? {
            Some(AttachmentOwner::Uploader(uploader)) => uploader == viewer.id,
            Some(AttachmentOwner::Signing(o)) => self
                .store
                .opportunity(&Scope::of(viewer), o)
                .await?
                .is_some(),
            Some(AttachmentOwner::Customer(c)) => {
                self.store.customer(&Scope::of(viewer), c).await?.is_some()
            }
            Some(AttachmentOwner::Opportunity(o)) => self
                .store
                .opportunity(&Scope::of(viewer), o)
                .await?
                .is_some(),
            Some(AttachmentOwner::Announcement(a)) => self
                .store
                .announcement(a)
                .await?
                .is_some_and(|a| crate::policy::rights::may_see_announcement(viewer, &a)),
            // As a file one may not open: its absence is no answer either (#19).
            None => false,
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let meta = self.store.attachment_meta(id).await?;
        let data = self.store.attachment_data(id).await?;
        match (meta, data) {
            (Some(meta), Some(data)) => Ok((meta, data)),
            _ => Err(AppError::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_only_its_last_segment_without_control_characters() {
        assert_eq!(clean_name("C:\\合同\\签约合同.pdf"), "签约合同.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(clean_name("  "), "附件");
        assert_eq!(clean_name(&"长".repeat(300)).chars().count(), 200);
    }
}
