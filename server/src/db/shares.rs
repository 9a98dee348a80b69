//! 共享: a customer or an opportunity shared with a user, read-only or editable (客户) / 协作
//! (商机). The user is sent a 待阅消息 in the same transaction; every change is audited.

use super::audit::AuditEntry;
use super::customers::CustomerShare;
use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreResult};
use crate::db::opportunities::NewMessage;
use crate::db::StoreError;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// Who a record is shared with.
#[async_trait::async_trait]
pub trait ShareStore: Send + Sync {
    /// Who a customer is shared with, by name.
    async fn customer_shares(&self, customer_id: i64) -> StoreResult<Vec<CustomerShare>>;

    /// Shares a customer with a user (read-only or editable), or changes how, and sends them a
    /// 待阅消息; audited. The caller has checked the right to share.
    async fn share_customer(
        &self,
        actor: &Actor,
        customer_id: i64,
        user_id: i64,
        can_edit: bool,
    ) -> StoreResult<()>;

    /// Withdraws a share; access ends at once. Audited.
    async fn unshare_customer(
        &self,
        actor: &Actor,
        customer_id: i64,
        user_id: i64,
    ) -> StoreResult<()>;

    /// Who an opportunity is shared with: (user, name, 协作).
    async fn opportunity_shares(&self, id: i64) -> StoreResult<Vec<(i64, String, bool)>>;

    /// Shares an opportunity (read-only or 协作), or changes how, and sends the user a
    /// 待阅消息; audited. The caller has checked the right to share.
    async fn share_opportunity(
        &self,
        actor: &Actor,
        id: i64,
        user_id: i64,
        collaborate: bool,
    ) -> StoreResult<()>;

    /// Withdraws a share; access ends at once. Audited.
    async fn unshare_opportunity(&self, actor: &Actor, id: i64, user_id: i64) -> StoreResult<()>;
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
    async fn customer_shares(&self, customer_id: i64) -> StoreResult<Vec<CustomerShare>> {
        Ok(sqlx::query_as(
            "SELECT s.user_id, u.name AS user_name, s.can_edit
             FROM customer_shares s JOIN users u ON u.id = s.user_id
             WHERE s.customer_id = $1 ORDER BY u.name",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn share_customer(
        &self,
        actor: &Actor,
        customer_id: i64,
        user_id: i64,
        can_edit: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let customer = Self::fetch_customer_for_update(&mut tx, customer_id).await?;
        // The user hears of it (待阅消息) in the same transaction.
        let message = NewMessage {
            user_id,
            kind: "shared",
            opportunity_id: None,
            customer_id: Some(customer_id),
            title: customer.name.clone(),
        };
        Self::insert_message(&mut tx, &message, actor.at).await?;
        sqlx::query(
            "INSERT INTO customer_shares (customer_id, user_id, can_edit, shared_by, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (customer_id, user_id) DO UPDATE SET can_edit = EXCLUDED.can_edit",
        )
        .bind(customer_id)
        .bind(user_id)
        .bind(can_edit)
        .bind(actor.user_id)
        .bind(actor.at)
        .execute(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "share", "customer", customer_id)
                .after(&serde_json::json!({ "user_id": user_id, "can_edit": can_edit })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn unshare_customer(
        &self,
        actor: &Actor,
        customer_id: i64,
        user_id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM customer_shares WHERE customer_id = $1 AND user_id = $2")
                .bind(customer_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if removed > 0 {
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(actor, "unshare", "customer", customer_id)
                    .before(&serde_json::json!({ "user_id": user_id })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn opportunity_shares(&self, id: i64) -> StoreResult<Vec<(i64, String, bool)>> {
        Ok(sqlx::query_as(
            "SELECT s.user_id, u.name, s.collaborate FROM opportunity_shares s
             JOIN users u ON u.id = s.user_id WHERE s.opportunity_id = $1 ORDER BY u.name",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn share_opportunity(
        &self,
        actor: &Actor,
        id: i64,
        user_id: i64,
        collaborate: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let o = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query(
            "INSERT INTO opportunity_shares (opportunity_id, user_id, collaborate, shared_by, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (opportunity_id, user_id) DO UPDATE SET collaborate = EXCLUDED.collaborate",
        )
        .bind(id)
        .bind(user_id)
        .bind(collaborate)
        .bind(actor.user_id)
        .bind(actor.at)
        .execute(&mut *tx)
        .await?;
        let message = NewMessage {
            user_id,
            kind: "shared",
            opportunity_id: Some(id),
            customer_id: None,
            title: o.fields.name.clone(),
        };
        Self::insert_message(&mut tx, &message, actor.at).await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "share", "opportunity", id)
                .after(&serde_json::json!({ "user_id": user_id, "collaborate": collaborate })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn unshare_opportunity(&self, actor: &Actor, id: i64, user_id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query(
            "DELETE FROM opportunity_shares WHERE opportunity_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed > 0 {
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(actor, "unshare", "opportunity", id)
                    .before(&serde_json::json!({ "user_id": user_id })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
