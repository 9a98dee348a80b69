//! 附件 of customers and opportunities: several files at once (each at most 10 MB, of a type
//! on the allow-list), listed on the record's page, downloaded by whoever may see the record,
//! deleted by their uploader or the record's editors.

use super::attachments::Upload;
use super::Services;
use crate::db::attachments::{AttachmentOwner, NewAttachment};
use crate::db::Actor;
use crate::policy::rights::is_manager;
use crate::policy::scope::Scope;
use app::model::attachment::{RecordFileView, RecordFiles};
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};
use sha2::{Digest, Sha256};

/// The form field the files come in.
pub const FILES_FIELD: &str = "files";

/// The kinds of file a record keeps: office documents, text, images and archives (a program
/// or a script is refused).
const ALLOWED: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "txt", "csv", "rtf",
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "zip", "rar", "7z",
];

/// Whether a file named `name` is of an allowed type (by its extension).
pub fn allowed_type(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ALLOWED.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether `viewer`, who can see an opportunity owned by `owner_id`, may add and delete its
/// files: its 负责人, 协作 users and managers.
pub(crate) fn edits_opportunity_files(
    viewer: &CurrentUser,
    owner_id: i64,
    collaborates: bool,
) -> bool {
    owner_id == viewer.id || is_manager(viewer) || collaborates
}

impl Services {
    /// Whether `viewer`, who can see the record, may add and delete its files: a customer's
    /// editors; an opportunity's 负责人, 协作 users and managers.
    async fn edits_files_of(
        &self,
        viewer: &CurrentUser,
        of: AttachmentOwner,
    ) -> Result<bool, AppError> {
        let scope = Scope::of(viewer);
        match of {
            AttachmentOwner::Customer(id) => {
                let c = self
                    .store
                    .customer(&scope, id)
                    .await?
                    .ok_or(AppError::Forbidden)?;
                self.may_edit_customer(viewer, &c).await
            }
            AttachmentOwner::Opportunity(id) => {
                let o = self
                    .store
                    .opportunity(&scope, id)
                    .await?
                    .ok_or(AppError::Forbidden)?;
                let collaborates = self.collaborates(viewer, id).await?;
                Ok(edits_opportunity_files(viewer, o.owner_id, collaborates))
            }
            _ => Err(AppError::Forbidden),
        }
    }

    /// Whether `viewer` may add files to `of` (so a refused post's files are never read).
    pub async fn may_upload_files(
        &self,
        viewer: &CurrentUser,
        of: AttachmentOwner,
    ) -> Result<(), AppError> {
        match self.edits_files_of(viewer, of).await? {
            true => Ok(()),
            false => Err(AppError::Forbidden),
        }
    }

    /// Keeps the files chosen in the form for the record `of`; all or none: a file too large
    /// or of a refused type refuses the post, saying which.
    pub async fn upload_record_files(
        &self,
        viewer: &CurrentUser,
        of: AttachmentOwner,
        uploads: &[&Upload],
    ) -> Result<usize, AppError> {
        if !self.edits_files_of(viewer, of).await? {
            return Err(AppError::Forbidden);
        }
        let chosen: Vec<&&Upload> = uploads.iter().filter(|u| u.is_chosen()).collect();
        if chosen.is_empty() {
            return Err(AppError::Invalid(vec![FieldError::new(
                FILES_FIELD,
                "attachment.choose",
            )]));
        }
        for u in &chosen {
            let key = if u.too_large {
                "attachment.too_large"
            } else if !allowed_type(&u.file_name) {
                "attachment.type"
            } else {
                continue;
            };
            return Err(AppError::Invalid(vec![FieldError::new(FILES_FIELD, key)]));
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        for u in &chosen {
            let name = super::attachments::clean_name(&u.file_name);
            let content_type = match u.content_type.trim() {
                "" => "application/octet-stream",
                t => t,
            };
            let new = NewAttachment {
                file_name: &name,
                content_type,
                data: &u.data,
                sha256: crate::auth::session::hex(&Sha256::digest(&u.data)),
            };
            self.store.insert_record_file(&actor, &new, of).await?;
        }
        Ok(chosen.len())
    }

    /// The record's files as its page lists them, for a viewer who can see it; `edits`: the
    /// page already knows whether they may change them (no second read of the record).
    pub(crate) async fn record_file_views(
        &self,
        viewer: &CurrentUser,
        of: AttachmentOwner,
        edits: bool,
    ) -> Result<RecordFiles, AppError> {
        let files = self.store.record_files(of).await?;
        let mut ids: Vec<i64> = files.iter().map(|f| f.uploaded_by).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = self.store.user_names(&ids).await?;
        let cst = chrono::FixedOffset::east_opt(8 * 3600).ok_or(AppError::Internal)?;
        Ok(RecordFiles {
            files: files
                .into_iter()
                .map(|f| RecordFileView {
                    id: f.id,
                    name: f.file_name,
                    size_bytes: f.size_bytes,
                    uploader: names.get(&f.uploaded_by).cloned().unwrap_or_default(),
                    uploaded_at: f
                        .uploaded_at
                        .with_timezone(&cst)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    can_delete: edits || f.uploaded_by == viewer.id,
                })
                .collect(),
            can_upload: edits,
        })
    }

    /// Deletes a record's file: its uploader (who can still see the record) or the record's
    /// editors. Returns the record, to go back to.
    pub async fn delete_record_file(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<AttachmentOwner, AppError> {
        let of = match self.store.attachment_owner(id).await? {
            Some(of @ (AttachmentOwner::Customer(_) | AttachmentOwner::Opportunity(_))) => of,
            // No such file answers as one the viewer may not touch (#19).
            _ => return Err(AppError::Forbidden),
        };
        // Seeing the record is checked first (edits_files_of refuses otherwise).
        let edits = self.edits_files_of(viewer, of).await?;
        let uploader = self
            .store
            .attachment_meta(id)
            .await?
            .is_some_and(|m| m.uploaded_by == viewer.id);
        if !(edits || uploader) {
            return Err(AppError::Forbidden);
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store.delete_record_file(&actor, id).await?;
        Ok(of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_images_pass_programs_do_not() {
        for ok in ["合同.PDF", "报价.xlsx", "现场.jpg", "资料.tar.7z"] {
            assert!(allowed_type(ok), "{ok}");
        }
        for refused in ["setup.exe", "run.sh", "page.html", "无扩展名", "x.docx.js"] {
            assert!(!allowed_type(refused), "{refused}");
        }
    }
}
