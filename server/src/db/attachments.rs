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
    /// A file of this customer's (附件).
    Customer(i64),
    /// A file of this opportunity's (附件).
    Opportunity(i64),
}

/// A file of a customer's or an opportunity's, as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordFile {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub uploaded_by: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// The files no record holds (uploads of refused forms), by the alias `a`.
const UNHELD_FILE: &str = "a.customer_id IS NULL AND a.opportunity_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM signings s WHERE s.attachment_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM announcements n WHERE n.attachment_id = a.id)";

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

    /// Keeps a file for a customer or an opportunity (`of`); audited without the bytes.
    async fn insert_record_file(
        &self,
        actor: &Actor,
        new: &NewAttachment<'_>,
        of: AttachmentOwner,
    ) -> StoreResult<i64>;

    /// The files of a customer or an opportunity, oldest first.
    async fn record_files(&self, of: AttachmentOwner) -> StoreResult<Vec<RecordFile>>;

    /// Deletes a file of a record; audited with its name.
    async fn delete_record_file(&self, actor: &Actor, id: i64) -> StoreResult<()>;
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
        let held: i64 = sqlx::query_scalar(&format!(
            "SELECT CAST(COALESCE(SUM(a.size_bytes), 0) AS BIGINT) FROM attachments a
                 WHERE a.uploaded_by = $1 AND {UNHELD_FILE}"
        ))
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
        type Row = (i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
        let row: Option<Row> = sqlx::query_as(
                    "SELECT a.uploaded_by,
                            (SELECT s.opportunity_id FROM signings s WHERE s.attachment_id = a.id LIMIT 1),
                            (SELECT n.id FROM announcements n WHERE n.attachment_id = a.id LIMIT 1),
                            a.customer_id, a.opportunity_id
                     FROM attachments a WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(
            row.map(|(uploader, signing, announcement, customer, opportunity)| {
                match (signing, announcement, customer, opportunity) {
                    (Some(o), ..) => AttachmentOwner::Signing(o),
                    (_, Some(n), ..) => AttachmentOwner::Announcement(n),
                    (_, _, Some(c), _) => AttachmentOwner::Customer(c),
                    (_, _, _, Some(o)) => AttachmentOwner::Opportunity(o),
                    _ => AttachmentOwner::Uploader(uploader),
                }
            }),
        )
    }

    async fn purge_unattached(&self, actor: &Actor, before: DateTime<Utc>) -> StoreResult<u64> {
        let unheld = format!("a.uploaded_at < $1 AND {UNHELD_FILE}");
        let mut tx = self.begin_write().await?;
        let ids: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT a.id FROM attachments a WHERE {unheld}"))
                .bind(before)
                .fetch_all(&mut *tx)
                .await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let removed = sqlx::query(&format!(
            "DELETE FROM attachments WHERE id IN (SELECT a.id FROM attachments a WHERE {unheld})"
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

    #[tracing::instrument(skip(self, actor, new), fields(name = new.file_name, size = new.data.len()))]
    async fn insert_record_file(
        &self,
        actor: &Actor,
        new: &NewAttachment<'_>,
        of: AttachmentOwner,
    ) -> StoreResult<i64> {
        let (customer, opportunity) = match of {
            AttachmentOwner::Customer(c) => (Some(c), None),
            AttachmentOwner::Opportunity(o) => (None, Some(o)),
            _ => return Err(StoreError::NotFound),
        };
        let uploader = actor.user_id.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (file_name, content_type, size_bytes, sha256, data, uploaded_by,
                                      uploaded_at, customer_id, opportunity_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.file_name)
        .bind(new.content_type)
        .bind(new.data.len() as i64)
        .bind(&new.sha256)
        .bind(new.data)
        .bind(uploader)
        .bind(actor.at)
        .bind(customer)
        .bind(opportunity)
        .fetch_one(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "upload", "attachment", id).after(&serde_json::json!({
                "file_name": new.file_name,
                "size_bytes": new.data.len(),
                "sha256": new.sha256,
                "customer_id": customer,
                "opportunity_id": opportunity,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn record_files(&self, of: AttachmentOwner) -> StoreResult<Vec<RecordFile>> {
        let (column, id) = match of {
            AttachmentOwner::Customer(c) => ("customer_id", c),
            AttachmentOwner::Opportunity(o) => ("opportunity_id", o),
            _ => return Ok(Vec::new()),
        };
        Ok(sqlx::query_as(&format!(
            "SELECT id, file_name, size_bytes, uploaded_by, uploaded_at FROM attachments
             WHERE {column} = $1 ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn delete_record_file(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT file_name, customer_id, opportunity_id FROM attachments
             WHERE id = $1 AND (customer_id IS NOT NULL OR opportunity_id IS NOT NULL)",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let (name, customer, opportunity) = before.ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM attachments WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "delete", "attachment", id).before(&serde_json::json!({
                "file_name": name,
                "customer_id": customer,
                "opportunity_id": opportunity,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
