//! 转交: what a user holds (their open approval tasks, customers and opportunities) and moving
//! it to someone else, one kind per transaction: each item audited and its new holder sent a
//! 待阅消息. Who may move what to whom is the service's; the store keeps the records' city.

use super::audit::AuditEntry;
use super::opportunities::NewMessage;
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use crate::workflow::MessageKind;
use app::model::opportunity::Flow;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// A customer or an opportunity someone holds.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HeldRecord {
    pub id: i64,
    pub name: String,
    pub city_id: Option<i64>,
}

/// An open approval task someone holds, with its opportunity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTask {
    pub id: i64,
    pub opportunity_id: i64,
    pub name: String,
    pub flow: Flow,
}

/// Customers or opportunities to move: from whom, to whom (and their org unit, which becomes
/// the 负责部门), which ones (`None`: all). Every record moved must lie in `city_id` (`None`:
/// the province's own records), the new holder's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordTransfer {
    pub from: i64,
    pub to: i64,
    pub to_unit: i64,
    pub city_id: Option<i64>,
    pub ids: Option<Vec<i64>>,
}

/// Why a transfer was refused as a whole (nothing moved).
pub const OTHER_CITY: &str = "transfer.other_city";
pub const APPROVER_OWNS: &str = "transfer.approver_owns";

#[async_trait::async_trait]
pub trait TransferStore: Send + Sync {
    /// The first `limit` open approval tasks waiting for `user_id`, oldest first.
    async fn held_tasks(&self, user_id: i64, limit: u32) -> StoreResult<Vec<HeldTask>>;

    /// The first `limit` customers `user_id` owns, by id.
    async fn held_customers(&self, user_id: i64, limit: u32) -> StoreResult<Vec<HeldRecord>>;

    /// The first `limit` opportunities `user_id` is 负责人 of, by id.
    async fn held_opportunities(&self, user_id: i64, limit: u32) -> StoreResult<Vec<HeldRecord>>;

    /// Moves customers; returns the ids moved. Refused as a whole
    /// ([`StoreError::Conflict`] with [`OTHER_CITY`]) when one lies outside `t.city_id`.
    async fn transfer_customers(&self, actor: &Actor, t: &RecordTransfer) -> StoreResult<Vec<i64>>;

    /// Moves opportunities with any returned step waiting for their 负责人; returns the ids
    /// moved. Refused as a whole when one lies outside `t.city_id`, or waits for the new holder's
    /// own decision ([`APPROVER_OWNS`]: nobody approves what they hold).
    async fn transfer_opportunities(
        &self,
        actor: &Actor,
        t: &RecordTransfer,
    ) -> StoreResult<Vec<i64>>;

    /// Hands the open approval tasks `task_ids` of `from` to `to` (the service has asked the
    /// engine that `to` may decide each); returns the ids moved. One already decided is not
    /// moved.
    async fn transfer_tasks(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        task_ids: &[i64],
    ) -> StoreResult<Vec<i64>>;
}

#[async_trait::async_trait]
impl<D> TransferStore for SqlStore<D>
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
    async fn held_tasks(&self, user_id: i64, limit: u32) -> StoreResult<Vec<HeldTask>> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT t.id, t.opportunity_id, o.name, t.flow
             FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id
             WHERE t.assignee_id = $1 AND t.open = TRUE AND t.kind = 'approve'
             ORDER BY t.id LIMIT $2",
        )
        .bind(user_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, opportunity_id, name, flow)| {
                Some(HeldTask {
                    id,
                    opportunity_id,
                    name,
                    flow: Flow::from_code(&flow)?,
                })
            })
            .collect())
    }

    async fn held_customers(&self, user_id: i64, limit: u32) -> StoreResult<Vec<HeldRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, name, city_id FROM customers WHERE owner_id = $1 ORDER BY id LIMIT $2",
        )
        .bind(user_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn held_opportunities(&self, user_id: i64, limit: u32) -> StoreResult<Vec<HeldRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, name, city_id FROM opportunities WHERE owner_id = $1 ORDER BY id LIMIT $2",
        )
        .bind(user_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn transfer_customers(&self, actor: &Actor, t: &RecordTransfer) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        // Held until the end: one merged away or deleted meanwhile is not moved.
        let sql = format!(
            "SELECT id, name, city_id FROM customers WHERE owner_id = $1 ORDER BY id{}",
            D::ROW_LOCK
        );
        let held: Vec<HeldRecord> = sqlx::query_as(&sql)
            .bind(t.from)
            .fetch_all(&mut *tx)
            .await?;
        let moving = chosen(held, t)?;
        for c in &moving {
            Self::move_customer_in(&mut tx, actor, c, t.from, t.to, t.to_unit).await?;
        }
        tx.commit().await?;
        Ok(moving.iter().map(|c| c.id).collect())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn transfer_opportunities(
        &self,
        actor: &Actor,
        t: &RecordTransfer,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let held: Vec<HeldRecord> = sqlx::query_as(
            "SELECT id, name, city_id FROM opportunities WHERE owner_id = $1 ORDER BY id",
        )
        .bind(t.from)
        .fetch_all(&mut *tx)
        .await?;
        let moving = chosen(held, t)?;
        for o in &moving {
            Self::move_opportunity_in(&mut tx, actor, o, t.from, t.to, t.to_unit).await?;
        }
        tx.commit().await?;
        Ok(moving.iter().map(|o| o.id).collect())
    }

    #[tracing::instrument(skip(self, actor, task_ids))]
    async fn transfer_tasks(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        task_ids: &[i64],
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut done = Vec::with_capacity(task_ids.len());
        for &id in task_ids {
            let task: Option<(i64, String)> = sqlx::query_as(
                "SELECT t.opportunity_id, o.name
                 FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id
                 WHERE t.id = $1 AND t.assignee_id = $2 AND t.open = TRUE
                   AND t.kind = 'approve'",
            )
            .bind(id)
            .bind(from)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((opportunity_id, name)) = task else {
                continue;
            };
            sqlx::query("UPDATE tasks SET assignee_id = $1 WHERE id = $2")
                .bind(to)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let message = NewMessage {
                user_id: to,
                kind: MessageKind::Transferred,
                opportunity_id: Some(opportunity_id),
                customer_id: None,
                title: name,
            };
            Self::insert_message(&mut tx, &message, actor.at).await?;
            let entry = AuditEntry::new(actor, "transfer", "task", id)
                .before(&serde_json::json!({ "assignee_id": from }))
                .after(&serde_json::json!({ "assignee_id": to }));
            Self::append_audit(&mut tx, &entry).await?;
            done.push(id);
        }
        tx.commit().await?;
        Ok(done)
    }
}

/// Moves between holders inside the caller's transaction, for 转交 and the lists' 分配.
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
    /// Gives customer `c` of `from` to `to` (负责部门 `to_unit`): audited, `to` told, their own
    /// share of it dropped.
    pub(in crate::db) async fn move_customer_in(
        conn: &mut D::Connection,
        actor: &Actor,
        c: &HeldRecord,
        from: i64,
        to: i64,
        to_unit: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE customers SET owner_id = $1, dept_id = $2, version = version + 1,
                                  updated_at = $3
             WHERE id = $4 AND owner_id = $5",
        )
        .bind(to)
        .bind(to_unit)
        .bind(actor.at)
        .bind(c.id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
        // The new owner needs no share of what they own.
        sqlx::query("DELETE FROM customer_shares WHERE customer_id = $1 AND user_id = $2")
            .bind(c.id)
            .bind(to)
            .execute(&mut *conn)
            .await?;
        let message = NewMessage {
            user_id: to,
            kind: MessageKind::Transferred,
            opportunity_id: None,
            customer_id: Some(c.id),
            title: c.name.clone(),
        };
        Self::insert_message(conn, &message, actor.at).await?;
        Self::append_audit(conn, &moved(actor, "customer", c.id, from, to, to_unit)).await?;
        Ok(())
    }

    /// Gives opportunity `o` of `from` to `to`, with a returned step waiting for its 负责人:
    /// audited, `to` told. Refused ([`APPROVER_OWNS`], before anything is written) when it
    /// waits for `to`'s own decision: nobody approves what they hold.
    pub(in crate::db) async fn move_opportunity_in(
        conn: &mut D::Connection,
        actor: &Actor,
        o: &HeldRecord,
        from: i64,
        to: i64,
        to_unit: i64,
    ) -> StoreResult<()> {
        let (deciding,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM tasks
             WHERE opportunity_id = $1 AND open = TRUE AND kind = 'approve' AND assignee_id = $2",
        )
        .bind(o.id)
        .bind(to)
        .fetch_one(&mut *conn)
        .await?;
        if deciding > 0 {
            return Err(StoreError::Conflict(APPROVER_OWNS.into()));
        }
        sqlx::query(
            "UPDATE opportunities SET owner_id = $1, org_unit_id = $2, version = version + 1,
                                      updated_at = $3
             WHERE id = $4 AND owner_id = $5",
        )
        .bind(to)
        .bind(to_unit)
        .bind(actor.at)
        .bind(o.id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
        // A returned step waits for the 负责人: it is the new one's now.
        sqlx::query(
            "UPDATE tasks SET assignee_id = $1
             WHERE opportunity_id = $2 AND open = TRUE AND kind = 'returned' AND assignee_id = $3",
        )
        .bind(to)
        .bind(o.id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM opportunity_shares WHERE opportunity_id = $1 AND user_id = $2")
            .bind(o.id)
            .bind(to)
            .execute(&mut *conn)
            .await?;
        let message = NewMessage {
            user_id: to,
            kind: MessageKind::Transferred,
            opportunity_id: Some(o.id),
            customer_id: None,
            title: o.name.clone(),
        };
        Self::insert_message(conn, &message, actor.at).await?;
        Self::append_audit(conn, &moved(actor, "opportunity", o.id, from, to, to_unit)).await?;
        Ok(())
    }
}

/// The held records `t` names (all when it names none), refused when one lies outside its city.
fn chosen(held: Vec<HeldRecord>, t: &RecordTransfer) -> StoreResult<Vec<HeldRecord>> {
    let moving: Vec<HeldRecord> = match &t.ids {
        None => held,
        Some(ids) => held.into_iter().filter(|r| ids.contains(&r.id)).collect(),
    };
    if moving.iter().any(|r| r.city_id != t.city_id) {
        return Err(StoreError::Conflict(OTHER_CITY.into()));
    }
    Ok(moving)
}

/// The audit entry of one record changing hands.
fn moved(
    actor: &Actor,
    entity: &'static str,
    id: i64,
    from: i64,
    to: i64,
    to_unit: i64,
) -> AuditEntry {
    AuditEntry::new(actor, "transfer", entity, id)
        .before(&serde_json::json!({ "owner_id": from }))
        .after(&serde_json::json!({ "owner_id": to, "dept_id": to_unit }))
}
