//! Jobs: a batch action or an import running in the background. Its progress and the rows it
//! could not take are written in the same transaction as each chunk's changes, so what the job
//! page says is what the database holds, even after a crash.

use super::dialect::RowsAffected;
use super::sql::{SqlStore, Value};
use super::StoreResult;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// A job as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub target: String,
    pub status: String,
    pub total: i64,
    pub processed: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One row a job could not take, and why.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobError {
    /// An import's row in its file (the header is row 1); `None` for a batch.
    pub row_no: Option<i64>,
    pub label: String,
    /// The field refused (`""`: the row as a whole).
    pub field: String,
    /// Why: a message key.
    pub reason: String,
}

impl JobError {
    /// A batch row refused as a whole.
    pub fn row(label: impl Into<String>, reason: &str) -> Self {
        Self {
            row_no: None,
            label: label.into(),
            field: String::new(),
            reason: reason.to_owned(),
        }
    }
}

/// A job's status.
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

#[async_trait::async_trait]
pub trait JobStore: Send + Sync {
    /// Starts a job of `user_id` that will go through `total` rows (`0`: not yet known).
    async fn create_job(
        &self,
        user_id: i64,
        kind: &str,
        target: &str,
        total: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;

    /// Sets how many rows the job goes through, once known.
    async fn set_job_total(&self, id: i64, total: i64) -> StoreResult<()>;

    /// Ends the job as `status` ([`DONE`] or [`FAILED`]).
    async fn finish_job(&self, id: i64, status: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// The job, if it is `user_id`'s.
    async fn job(&self, user_id: i64, id: i64) -> StoreResult<Option<Job>>;

    /// The job's refused rows in order, `limit` from the `offset`th.
    async fn job_errors(&self, id: i64, offset: i64, limit: i64) -> StoreResult<Vec<JobError>>;

    /// Marks every job still running as failed: called at start, when none can be.
    async fn fail_running_jobs(&self, at: DateTime<Utc>) -> StoreResult<u64>;
}

#[async_trait::async_trait]
impl<D> JobStore for SqlStore<D>
where
    D: super::dialect::Dialect,
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
    async fn create_job(
        &self,
        user_id: i64,
        kind: &str,
        target: &str,
        total: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jobs (user_id, kind, target, total, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(kind.to_owned())
        .bind(target.to_owned())
        .bind(total)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn set_job_total(&self, id: i64, total: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE jobs SET total = $1 WHERE id = $2")
            .bind(total)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn finish_job(&self, id: i64, status: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE jobs SET status = $1, finished_at = $2 WHERE id = $3")
            .bind(status.to_owned())
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn job(&self, user_id: i64, id: i64) -> StoreResult<Option<Job>> {
        Ok(sqlx::query_as(
            "SELECT id, user_id, kind, target, status, total, processed, succeeded, failed,
                    created_at, finished_at
             FROM jobs WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn job_errors(&self, id: i64, offset: i64, limit: i64) -> StoreResult<Vec<JobError>> {
        Ok(sqlx::query_as(
            "SELECT row_no, label, field, reason FROM job_errors WHERE job_id = $1
             ORDER BY id LIMIT $2 OFFSET $3",
        )
        .bind(id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn fail_running_jobs(&self, at: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE jobs SET status = 'failed', finished_at = $1 WHERE status = 'running'",
        )
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}

impl<D> SqlStore<D>
where
    D: super::dialect::Dialect,
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
    /// Records a chunk's outcome inside its transaction: `processed` rows gone through, `failed`
    /// of them refused (an imported row may be refused for several fields: `errors`).
    pub(super) async fn job_chunk_done(
        conn: &mut D::Connection,
        job_id: i64,
        processed: i64,
        failed: i64,
        errors: &[JobError],
    ) -> Result<(), sqlx::Error> {
        for e in errors {
            sqlx::query(
                "INSERT INTO job_errors (job_id, row_no, label, field, reason)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(job_id)
            .bind(e.row_no)
            .bind(e.label.clone())
            .bind(e.field.clone())
            .bind(e.reason.clone())
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(
            "UPDATE jobs SET processed = processed + $1, succeeded = succeeded + $2,
                             failed = failed + $3
             WHERE id = $4",
        )
        .bind(processed)
        .bind(processed - failed)
        .bind(failed)
        .bind(job_id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
