//! 共享: a customer or an opportunity shared with a user, read-only or editable (客户的可编辑,
//! 商机的协作), one table per kind and the same rules for both. The user is sent a 待阅消息 in
//! the same transaction; every change is audited.

use super::audit::AuditEntry;
use super::dialect::{Dialect, RowsAffected};
use super::opportunities::NewMessage;
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use app::model::opportunity::MessageKind;
use app::model::share::ShareKind;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// A record that can be shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    Customer(i64),
    Opportunity(i64),
}

impl Shared {
    /// The record of kind `kind` with id `id`.
    pub fn of(kind: ShareKind, id: i64) -> Self {
        match kind {
            ShareKind::Customer => Shared::Customer(id),
            ShareKind::Opportunity => Shared::Opportunity(id),
        }
    }

    /// Its kind, as the pages name it.
    pub fn kind(self) -> ShareKind {
        match self {
            Shared::Customer(_) => ShareKind::Customer,
            Shared::Opportunity(_) => ShareKind::Opportunity,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Shared::Customer(id) | Shared::Opportunity(id) => id,
        }
    }

    /// The record's table, its share table, the share table's key, and the column of the
    /// editable flag (可编辑 / 协作; also the audit entry's key for it).
    fn tables(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Shared::Customer(_) => ("customers", "customer_shares", "customer_id", "can_edit"),
            Shared::Opportunity(_) => (
                "opportunities",
                "opportunity_shares",
                "opportunity_id",
                "collaborate",
            ),
        }
    }

    /// The audit trail's name for the record.
    fn entity(self) -> &'static str {
        match self {
            Shared::Customer(_) => "customer",
            Shared::Opportunity(_) => "opportunity",
        }
    }
}

/// A user a record is shared with.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Share {
    pub user_id: i64,
    pub user_name: String,
    /// 可编辑 (a customer) or 协作 (an opportunity).
    pub editable: bool,
}

/// Who a record is shared with.
#[async_trait::async_trait]
pub trait ShareStore: Send + Sync {
    /// Who the record is shared with, by name.
    async fn shares(&self, of: Shared) -> StoreResult<Vec<Share>>;

    /// Shares the record with a user (read-only or editable), or changes how, and sends them a
    /// 待阅消息; audited. The caller has checked the right to share.
    async fn share(
        &self,
        actor: &Actor,
        of: Shared,
        user_id: i64,
        editable: bool,
    ) -> StoreResult<()>;

    /// Withdraws a share; access ends at once. Audited.
    async fn unshare(&self, actor: &Actor, of: Shared, user_id: i64) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> ShareStore for SqlStore<D>
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
    #[tracing::instrument(skip(self))]
    async fn shares(&self, of: Shared) -> StoreResult<Vec<Share>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::read_shares(&mut conn, of).await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn share(
        &self,
        actor: &Actor,
        of: Shared,
        user_id: i64,
        editable: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        Self::share_in(&mut tx, actor, of, user_id, editable).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn unshare(&self, actor: &Actor, of: Shared, user_id: i64) -> StoreResult<()> {
        let (_, table, key, _) = of.tables();
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query(&format!(
            "DELETE FROM {table} WHERE {key} = $1 AND user_id = $2"
        ))
        .bind(of.id())
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed > 0 {
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(actor, "unshare", of.entity(), of.id())
                    .before(&serde_json::json!({ "user_id": user_id })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

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
    /// Shares the record inside the caller's transaction (see [`ShareStore::share`]).
    pub(in crate::db) async fn share_in(
        conn: &mut D::Connection,
        actor: &Actor,
        of: Shared,
        user_id: i64,
        editable: bool,
    ) -> StoreResult<()> {
        let (records, table, key, flag) = of.tables();
        let name: String = sqlx::query_scalar(&format!("SELECT name FROM {records} WHERE id = $1"))
            .bind(of.id())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query(&format!(
            "INSERT INTO {table} ({key}, user_id, {flag}, shared_by, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT ({key}, user_id) DO UPDATE SET {flag} = EXCLUDED.{flag}"
        ))
        .bind(of.id())
        .bind(user_id)
        .bind(editable)
        .bind(actor.user_id)
        .bind(actor.at)
        .execute(&mut *conn)
        .await?;
        // The user hears of it (待阅消息) in the same transaction.
        let (customer_id, opportunity_id) = match of {
            Shared::Customer(id) => (Some(id), None),
            Shared::Opportunity(id) => (None, Some(id)),
        };
        let message = NewMessage {
            user_id,
            kind: MessageKind::Shared,
            opportunity_id,
            customer_id,
            title: name,
        };
        Self::insert_message(conn, &message, actor.at).await?;
        let mut after = serde_json::Map::new();
        after.insert("user_id".into(), user_id.into());
        after.insert(flag.into(), editable.into());
        Self::append_audit(
            conn,
            &AuditEntry::new(actor, "share", of.entity(), of.id()).after(&after),
        )
        .await?;
        Ok(())
    }

    /// Who the record is shared with, by name.
    pub(in crate::db) async fn read_shares(
        conn: &mut D::Connection,
        of: Shared,
    ) -> Result<Vec<Share>, sqlx::Error> {
        let (_, table, key, flag) = of.tables();
        sqlx::query_as(&format!(
            "SELECT s.user_id, u.name AS user_name, s.{flag} AS editable
             FROM {table} s JOIN users u ON u.id = s.user_id
             WHERE s.{key} = $1 ORDER BY u.name"
        ))
        .bind(of.id())
        .fetch_all(&mut *conn)
        .await
    }
}
