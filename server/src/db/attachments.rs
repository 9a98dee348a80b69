//! Uploaded files (附件), kept in the database so every instance on it serves them. A file
//! belongs to its uploader until a record refers to it (a 签约信息, an announcement); then
//! whoever may see that record may download it (the service decides, from
//! [`AttachmentStore::attachment_owner`]).

use super::audit::AuditEntry;
use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// A file to keep.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    /// Hex SHA-256 of `data`, kept for the audit trail and for checking a download.
    pub sha256: String,
}

/// A kept file without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttachmentMeta {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

/// The record a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentOwner {
    /// Nothing refers to it yet: only its uploader may read it.
    Uploader(i64),
    /// The 签约信息 of this opportunity.
    Signing(i64),
    /// This announcement.
    Announcement(i64),
}

#[async_trait]
pub trait AttachmentStore {
    /// Keeps a file; audited (name, size and hash, never the bytes). `None` (nothing kept)
    /// when the uploader's files that no record holds would come to more than `quota` bytes
    /// with it.
    async fn insert_attachment(
        &self,
        actor: &Actor,
        new: &NewAttachment<'_>,
        quota: i64,
    ) -> StoreResult<Option<i64>>;

    async fn attachment_meta(&self, id: i64) -> StoreResult<Option<AttachmentMeta>>;

    /// The file's bytes.
    async fn attachment_data(&self, id: i64) -> StoreResult<Option<Vec<u8>>>;

    /// Which record the file belongs to (`None`: no such file).
    async fn attachment_owner(&self, id: i64) -> StoreResult<Option<AttachmentOwner>>;

    /// Deletes the files uploaded before `before` that no record holds (kept for a form that
    /// was refused and then abandoned); audited with their ids. Returns how many.
    async fn purge_unattached(&self, actor: &Actor, before: DateTime<Utc>) -> StoreResult<u64>;
}

#[async_trait]
impl<D> AttachmentStore for SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    for<'q> D::Arguments<'q>: IntoArguments<'q, D>,
    for<'n> &'n str: ColumnIndex<D::Row> + Encode<'n, D> + Type<D>,
    usize: ColumnIndex<D::Row>,
    i64: Value<D>,
    Option<i64>: Value<D>,
    bool: Value<D>,
    String: Value<D>,
    Option<String>: Value<D>,
    DateTime<Utc>: Value<D>,
    Option<DateTime<Utc>>: Value<D>,
    Vec<u8>: Value<D>,
    for<'b> &'b [u8]: Encode<'b, D> + Type<D>,
{
    #[tracing::instrument(skip(self, actor, new), fields(name = new.file_name, size = new.data.len()))]
    async fn insert_attachment(
        &self,
        actor: &Actor,
        new: &NewAttachment<'_>,
        quota: i64,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let uploader = actor.user_id.ok_or(StoreError::NotFound)?;
        // Summed inside the write transaction, so parallel uploads cannot pass it together.
        let held: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(a.size_bytes), 0) AS BIGINT) FROM attachments a
                     WHERE a.uploaded_by = $1
                       AND NOT EXISTS (SELECT 1 FROM signings s WHERE s.attachment_id = a.id)
                       AND NOT EXISTS (SELECT 1 FROM announcements n WHERE n.attachment_id = a.id)",
        )
        .bind(uploader)
        .fetch_one(&mut *tx)
        .await?;
        if held + new.data.len() as i64 > quota {
            return Ok(None);
        }
        let id: i64 = sqlx::query_scalar(
                    "INSERT INTO attachments (file_name, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(new.file_name)
                .bind(new.content_type)
                .bind(new.data.len() as i64)
                .bind(&new.sha256)
                .bind(new.data)
                .bind(uploader)
                .bind(actor.at)
                .fetch_one(&mut *tx)
                .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "upload", "attachment", id).after(&serde_json::json!({
                "file_name": new.file_name,
                "size_bytes": new.data.len(),
                "sha256": new.sha256,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    async fn attachment_meta(&self, id: i64) -> StoreResult<Option<AttachmentMeta>> {
        Ok(sqlx::query_as(
                    "SELECT id, file_name, content_type, size_bytes, uploaded_by FROM attachments WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
    }

    async fn attachment_data(&self, id: i64) -> StoreResult<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT data FROM attachments WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn attachment_owner(&self, id: i64) -> StoreResult<Option<AttachmentOwner>> {
        let row: Option<(i64, Option<i64>, Option<i64>)> = sqlx::query_as(
                    "SELECT a.uploaded_by,
                            (SELECT s.opportunity_id FROM signings s WHERE s.attachment_id = a.id LIMIT 1),
                            (SELECT n.id FROM announcements n WHERE n.attachment_id = a.id LIMIT 1)
                     FROM attachments a WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(
            |(uploader, signing, announcement)| match (signing, announcement) {
                (Some(o), _) => AttachmentOwner::Signing(o),
                (None, Some(n)) => AttachmentOwner::Announcement(n),
                (None, None) => AttachmentOwner::Uploader(uploader),
            },
        ))
    }

    async fn purge_unattached(&self, actor: &Actor, before: DateTime<Utc>) -> StoreResult<u64> {
        const UNHELD: &str = "a.uploaded_at < $1
                    AND NOT EXISTS (SELECT 1 FROM signings s WHERE s.attachment_id = a.id)
                    AND NOT EXISTS (SELECT 1 FROM announcements n WHERE n.attachment_id = a.id)";
        let mut tx = self.begin_write().await?;
        let ids: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT a.id FROM attachments a WHERE {UNHELD}"))
                .bind(before)
                .fetch_all(&mut *tx)
                .await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let removed = sqlx::query(&format!(
            "DELETE FROM attachments WHERE id IN (SELECT a.id FROM attachments a WHERE {UNHELD})"
        ))
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "purge", "attachment", 0)
                .before(&serde_json::json!({ "unattached_ids": ids })),
        )
        .await?;
        tx.commit().await?;
        Ok(removed)
    }
}
