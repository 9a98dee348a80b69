//! Batch actions on the 客户管理 and 商机管理 lists (分配, 共享, 转交易客户, 删除): one chunk of
//! up to 1,000 rows per transaction, each row done the way its single action does it (the same
//! in-transaction helpers, so audited and told alike), and the job's progress and refused rows
//! written in the same transaction. Who may act on which row is the service's.

use super::jobs::JobError;
use super::sql::{SqlStore, Value};
use super::transfer::{HeldRecord, APPROVER_OWNS, OTHER_CITY};
use super::{Actor, StoreError, StoreResult};
use crate::db::shares::Shared;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// The records a batch acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOf {
    Customers,
    Opportunities,
}

impl BatchOf {
    fn table(self) -> &'static str {
        match self {
            BatchOf::Customers => "customers",
            BatchOf::Opportunities => "opportunities",
        }
    }
}

/// What a batch does to each row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchOp {
    /// 分配: a new 负责人 (and their unit as 负责部门 / 归属), who must work in the record's
    /// city (`None`: the province's own records).
    Assign {
        to: i64,
        to_unit: i64,
        city_id: Option<i64>,
    },
    /// 共享 with a user, read-only or editable.
    Share { user_id: i64, editable: bool },
    /// 转交易客户 (customers).
    Convert,
    /// 删除 (customers without opportunities).
    Delete,
}

/// One row of a chunk: its id, what the job page calls it, and the service's refusal, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    pub id: i64,
    pub label: String,
    pub refused: Option<&'static str>,
}

/// Why a row was not done.
pub const GONE: &str = "batch.gone";
pub const SHARE_OWNER: &str = "batch.share_owner";

#[async_trait::async_trait]
pub trait BatchStore: Send + Sync {
    /// Applies `op` to the rows of one chunk in one transaction, with job `job_id`'s progress
    /// and refused rows; returns the ids done.
    async fn apply_batch(
        &self,
        actor: &Actor,
        job_id: i64,
        of: BatchOf,
        op: &BatchOp,
        rows: &[BatchRow],
    ) -> StoreResult<Vec<i64>>;
}

#[async_trait::async_trait]
impl<D> BatchStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, rows), fields(rows = rows.len()))]
    async fn apply_batch(
        &self,
        actor: &Actor,
        job_id: i64,
        of: BatchOf,
        op: &BatchOp,
        rows: &[BatchRow],
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut done = Vec::with_capacity(rows.len());
        let mut refused = Vec::new();
        for row in rows {
            let outcome = match row.refused {
                Some(why) => Err(why),
                None => Self::apply_one(&mut tx, actor, of, op, row.id).await?,
            };
            match outcome {
                Ok(()) => done.push(row.id),
                Err(why) => refused.push(JobError::row(row.label.clone(), why)),
            }
        }
        let failed = refused.len() as i64;
        Self::job_chunk_done(&mut tx, job_id, rows.len() as i64, failed, &refused).await?;
        tx.commit().await?;
        Ok(done)
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
    /// One row: done, or why not (a message key). A refusal is found before the row is
    /// written, so the chunk's transaction goes on.
    async fn apply_one(
        conn: &mut D::Connection,
        actor: &Actor,
        of: BatchOf,
        op: &BatchOp,
        id: i64,
    ) -> StoreResult<Result<(), &'static str>> {
        let sql = format!(
            "SELECT id, name, city_id, owner_id FROM {} WHERE id = $1",
            of.table()
        );
        let found: Option<(i64, String, Option<i64>, i64)> = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some((id, name, city_id, owner_id)) = found else {
            return Ok(Err(GONE));
        };
        let record = HeldRecord { id, name, city_id };
        let outcome = match (op, of) {
            (BatchOp::Assign { to, .. }, _) if *to == owner_id => Ok(()),
            (BatchOp::Assign { city_id: city, .. }, _) if *city != record.city_id => {
                return Ok(Err(OTHER_CITY));
            }
            (BatchOp::Assign { to, to_unit, .. }, BatchOf::Customers) => {
                Self::move_customer_in(conn, actor, &record, owner_id, *to, *to_unit).await
            }
            (BatchOp::Assign { to, to_unit, .. }, BatchOf::Opportunities) => {
                Self::move_opportunity_in(conn, actor, &record, owner_id, *to, *to_unit).await
            }
            (BatchOp::Share { user_id, .. }, _) if *user_id == owner_id => {
                return Ok(Err(SHARE_OWNER));
            }
            (BatchOp::Share { user_id, editable }, _) => {
                let of = match of {
                    BatchOf::Customers => Shared::Customer(id),
                    BatchOf::Opportunities => Shared::Opportunity(id),
                };
                Self::share_in(conn, actor, of, *user_id, *editable).await
            }
            (BatchOp::Convert, BatchOf::Customers) => {
                Self::convert_in(conn, actor, id).await.map(|_| ())
            }
            (BatchOp::Delete, BatchOf::Customers) => Self::delete_in(conn, actor, id).await,
            (BatchOp::Convert | BatchOp::Delete, BatchOf::Opportunities) => {
                return Ok(Err(GONE));
            }
        };
        match outcome {
            Ok(()) => Ok(Ok(())),
            Err(StoreError::Conflict(why)) if why == APPROVER_OWNS => Ok(Err(APPROVER_OWNS)),
            Err(StoreError::CustomerHasOpportunities) => Ok(Err("customer.has_opportunities")),
            Err(e) => Err(e),
        }
    }
}
