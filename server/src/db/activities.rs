//! 销售活动 as stored: each against a customer and optionally one of its opportunities, with
//! the contacts met. Who may log or see them is the service's to check.

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreResult};
use crate::db::audit::AuditEntry;
use crate::db::StoreError;
use app::model::activity::ActivityKind;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// An activity to log.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub date: NaiveDate,
    pub customer_id: i64,
    pub opportunity_id: Option<i64>,
    pub contact_ids: Vec<i64>,
    pub notes: String,
    pub done: bool,
}

/// An activity as listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub kind: ActivityKind,
    pub activity_date: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub opportunity_id: Option<i64>,
    pub opportunity_name: Option<String>,
    pub notes: String,
    pub done: bool,
    pub created_by: i64,
    pub creator_name: String,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// Which activities to list.
#[derive(Debug, Clone, Copy)]
pub enum ActivitiesOf {
    Customer(i64),
    Opportunity(i64),
}

#[async_trait]
pub trait ActivityStore {
    /// Logs an activity with its contacts; audited.
    async fn create_activity(&self, actor: &Actor, new: &NewActivity) -> StoreResult<i64>;

    /// The newest `limit` activities of a customer or an opportunity (by date, then entry).
    async fn activities(&self, of: ActivitiesOf, limit: u32) -> StoreResult<Vec<ActivityRow>>;

    async fn activity(&self, id: i64) -> StoreResult<Option<ActivityRow>>;

    /// (activity, contact name) of the given activities, by name.
    async fn activity_contacts(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>>;

    /// Marks an activity 已完成; audited. `false` when it already was.
    async fn complete_activity(&self, actor: &Actor, id: i64) -> StoreResult<bool>;

    /// The contacts ticked on an activity.
    async fn activity_contact_ids(&self, id: i64) -> StoreResult<Vec<i64>>;

    /// Replaces a planned activity's fields (its contacts too) if it is still at `version` and
    /// not 已完成: `Stale` otherwise. Audited with its values before and after.
    async fn update_activity(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        new: &NewActivity,
    ) -> StoreResult<()>;

    /// Deletes a planned activity with its contacts; `Stale` when it is 已完成 or gone.
    /// Audited with its values.
    async fn delete_activity(&self, actor: &Actor, id: i64) -> StoreResult<()>;
}

/// The columns of [`ActivityRow`], for `FROM activities a`.
pub(crate) const ACTIVITY_SELECT: &str = "SELECT a.id, a.kind, a.activity_date, a.customer_id,
        c.name AS customer_name, a.opportunity_id, o.name AS opportunity_name, a.notes, a.done,
        a.created_by, u.name AS creator_name, a.created_at, a.version
     FROM activities a
     JOIN customers c ON c.id = a.customer_id
     LEFT JOIN opportunities o ON o.id = a.opportunity_id
     JOIN users u ON u.id = a.created_by";

#[async_trait::async_trait]
impl<D> ActivityStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, new))]
    async fn create_activity(&self, actor: &Actor, new: &NewActivity) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let creator = actor.user_id.ok_or(StoreError::NotFound)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO activities (kind, activity_date, customer_id, opportunity_id, notes, done, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.kind.code())
        .bind(new.date.format("%Y-%m-%d").to_string())
        .bind(new.customer_id)
        .bind(new.opportunity_id)
        .bind(&new.notes)
        .bind(new.done)
        .bind(creator)
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        for contact in &new.contact_ids {
            sqlx::query("INSERT INTO activity_contacts (activity_id, contact_id) VALUES ($1, $2)")
                .bind(id)
                .bind(contact)
                .execute(&mut *tx)
                .await?;
        }
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "create", "activity", id).after(&serde_json::json!({
                "kind": new.kind.code(),
                "date": new.date,
                "customer_id": new.customer_id,
                "opportunity_id": new.opportunity_id,
                "contact_ids": new.contact_ids,
                "notes": new.notes,
                "done": new.done,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn activities(&self, of: ActivitiesOf, limit: u32) -> StoreResult<Vec<ActivityRow>> {
        use crate::db::activities::{ActivitiesOf, ACTIVITY_SELECT};
        let (column, id) = match of {
            ActivitiesOf::Customer(id) => ("a.customer_id", id),
            ActivitiesOf::Opportunity(id) => ("a.opportunity_id", id),
        };
        let sql = format!(
            "{ACTIVITY_SELECT} WHERE {column} = $1 ORDER BY a.activity_date DESC, a.id DESC LIMIT $2"
        );
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn activity(&self, id: i64) -> StoreResult<Option<ActivityRow>> {
        let sql = format!("{} WHERE a.id = $1", ACTIVITY_SELECT);
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn activity_contacts(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::QueryBuilder::new(
            "SELECT ac.activity_id, c.name FROM activity_contacts ac
             JOIN contacts c ON c.id = ac.contact_id WHERE ac.activity_id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(") ORDER BY c.name, c.id");
        Ok(D::built_as(&mut q).fetch_all(&self.pool).await?)
    }

    async fn activity_contact_ids(&self, id: i64) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT contact_id FROM activity_contacts WHERE activity_id = $1 ORDER BY contact_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor, new))]
    async fn update_activity(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        new: &NewActivity,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::activity_snapshot(&mut tx, id).await?;
        let changed = sqlx::query(
            "UPDATE activities SET kind = $1, activity_date = $2, customer_id = $3, notes = $4,
                                   done = $5, version = version + 1
             WHERE id = $6 AND version = $7 AND done = FALSE",
        )
        .bind(new.kind.code())
        .bind(new.date.format("%Y-%m-%d").to_string())
        .bind(new.customer_id)
        .bind(&new.notes)
        .bind(new.done)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        sqlx::query("DELETE FROM activity_contacts WHERE activity_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for contact in &new.contact_ids {
            sqlx::query("INSERT INTO activity_contacts (activity_id, contact_id) VALUES ($1, $2)")
                .bind(id)
                .bind(contact)
                .execute(&mut *tx)
                .await?;
        }
        let after = Self::activity_snapshot(&mut tx, id).await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "activity", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn delete_activity(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::activity_snapshot(&mut tx, id).await?;
        sqlx::query("DELETE FROM activity_contacts WHERE activity_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let removed = sqlx::query("DELETE FROM activities WHERE id = $1 AND done = FALSE")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Err(StoreError::Stale);
        }
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "delete", "activity", id).before(&before),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn complete_activity(&self, actor: &Actor, id: i64) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed =
            sqlx::query("UPDATE activities SET done = TRUE WHERE id = $1 AND done = FALSE")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
        if changed {
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(actor, "complete", "activity", id)
                    .before(&serde_json::json!({ "done": false }))
                    .after(&serde_json::json!({ "done": true })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

/// The audit trail's picture of an activity, inside the caller's transaction.
impl<D> SqlStore<D>
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
    async fn activity_snapshot(
        conn: &mut D::Connection,
        id: i64,
    ) -> StoreResult<serde_json::Value> {
        let (kind, date, customer_id, notes, done, version): (
            String,
            String,
            i64,
            String,
            bool,
            i64,
        ) = sqlx::query_as(
            "SELECT kind, activity_date, customer_id, notes, done, version
                 FROM activities WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::Stale)?;
        let contacts: Vec<i64> = sqlx::query_scalar(
            "SELECT contact_id FROM activity_contacts WHERE activity_id = $1 ORDER BY contact_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(serde_json::json!({
            "kind": kind, "date": date, "customer_id": customer_id, "notes": notes,
            "done": done, "version": version, "contact_ids": contacts,
        }))
    }
}
