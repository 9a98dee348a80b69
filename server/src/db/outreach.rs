//! 邮件 / 短信 kept on the customer: each message with its recipients and how it went, written
//! with its audit entry in one transaction.

use super::audit::AuditEntry;
use super::sql::{SqlStore, Value};
use super::{Actor, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// A message to log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewOutreach {
    pub customer_id: i64,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub recipients: String,
    pub status: String,
    pub detail: String,
}

/// A logged message with its sender's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutreachEntry {
    pub id: i64,
    pub sender: String,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub recipients: String,
    pub status: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait OutreachStore: Send + Sync {
    /// Keeps a message on its customer (audited `send`).
    async fn log_outreach(&self, actor: &Actor, message: &NewOutreach) -> StoreResult<i64>;

    /// The customer's newest `limit` messages, newest first.
    async fn outreach_log(&self, customer_id: i64, limit: i64) -> StoreResult<Vec<OutreachEntry>>;
}

#[async_trait::async_trait]
impl<D> OutreachStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, message), fields(customer = message.customer_id))]
    async fn log_outreach(&self, actor: &Actor, message: &NewOutreach) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outreach_messages (customer_id, sender_id, channel, subject, body,
                                            recipients, status, detail, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(message.customer_id)
        .bind(actor.user_id)
        .bind(message.channel.clone())
        .bind(message.subject.clone())
        .bind(message.body.clone())
        .bind(message.recipients.clone())
        .bind(message.status.clone())
        .bind(message.detail.clone())
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "send", "customer", message.customer_id).after(message),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn outreach_log(&self, customer_id: i64, limit: i64) -> StoreResult<Vec<OutreachEntry>> {
        Ok(sqlx::query_as(
            "SELECT m.id, u.name AS sender, m.channel, m.subject, m.body, m.recipients, m.status,
                    m.detail, m.created_at
             FROM outreach_messages m JOIN users u ON u.id = m.sender_id
             WHERE m.customer_id = $1 ORDER BY m.id DESC LIMIT $2",
        )
        .bind(customer_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
