//! 报价 as stored: versions per opportunity with their lines. Only the newest version, while
//! not 已发送, changes, and only on the revision it was read at; every change is audited. Who
//! may quote is the service's to check.

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use crate::db::audit::AuditEntry;
use app::model::quote::ParsedLine;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// One version of a quote.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuoteRow {
    pub id: i64,
    pub opportunity_id: i64,
    pub version_no: i64,
    pub total_fen: i64,
    pub sent_on: Option<String>,
    pub revision: i64,
    pub creator_name: String,
    pub created_at: DateTime<Utc>,
    /// Whether it is the opportunity's newest version.
    pub newest: bool,
}

/// One line of a version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuoteLineRow {
    pub item: String,
    pub quantity_centi: i64,
    pub unit_price_fen: i64,
    pub discount_bp: i64,
    pub total_fen: i64,
}

const QUOTE_SELECT: &str = "SELECT q.id, q.opportunity_id, q.version_no, q.total_fen, q.sent_on,
        q.revision, u.name AS creator_name, q.created_at,
        q.version_no = (SELECT MAX(n.version_no) FROM quotes n
                        WHERE n.opportunity_id = q.opportunity_id) AS newest
     FROM quotes q JOIN users u ON u.id = q.created_by";

#[async_trait]
pub trait QuoteStore {
    /// The versions of an opportunity's quote, newest first.
    async fn quotes(&self, opportunity_id: i64) -> StoreResult<Vec<QuoteRow>>;

    async fn quote(&self, id: i64) -> StoreResult<Option<QuoteRow>>;

    async fn quote_lines(&self, quote_id: i64) -> StoreResult<Vec<QuoteLineRow>>;

    /// A new version: the newest one's lines copied (none for the first). Its id.
    async fn new_quote_version(&self, actor: &Actor, opportunity_id: i64) -> StoreResult<i64>;

    /// Replaces the lines of version `id` if it is still the newest, not sent, and at
    /// `revision`: `Stale` otherwise.
    async fn save_quote(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        lines: &[ParsedLine],
    ) -> StoreResult<()>;

    /// Marks the newest version 已发送 on `day` (the opportunity's other versions lose the
    /// mark); `Stale` when it is not the newest or already sent.
    async fn mark_quote_sent(&self, actor: &Actor, id: i64, day: NaiveDate) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> QuoteStore for SqlStore<D>
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
    async fn quotes(&self, opportunity_id: i64) -> StoreResult<Vec<QuoteRow>> {
        let sql = format!("{QUOTE_SELECT} WHERE q.opportunity_id = $1 ORDER BY q.version_no DESC");
        Ok(sqlx::query_as(&sql)
            .bind(opportunity_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn quote(&self, id: i64) -> StoreResult<Option<QuoteRow>> {
        let sql = format!("{QUOTE_SELECT} WHERE q.id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn quote_lines(&self, quote_id: i64) -> StoreResult<Vec<QuoteLineRow>> {
        Ok(sqlx::query_as(
            "SELECT item, quantity_centi, unit_price_fen, discount_bp, total_fen
             FROM quote_lines WHERE quote_id = $1 ORDER BY position",
        )
        .bind(quote_id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn new_quote_version(&self, actor: &Actor, opportunity_id: i64) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let creator = actor.user_id.ok_or(StoreError::NotFound)?;
        let last: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, version_no, total_fen FROM quotes WHERE opportunity_id = $1
             ORDER BY version_no DESC LIMIT 1",
        )
        .bind(opportunity_id)
        .fetch_optional(&mut *tx)
        .await?;
        let (version_no, total) = last.map_or((1, 0), |(_, v, t)| (v + 1, t));
        // Two at once would both take the same number: the second one's insert is refused by
        // the unique (opportunity, version) and reported stale.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO quotes (opportunity_id, version_no, total_fen, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(opportunity_id)
        .bind(version_no)
        .bind(total)
        .bind(creator)
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Stale,
            e => e.into(),
        })?;
        if let Some((from, _, _)) = last {
            sqlx::query(
                "INSERT INTO quote_lines (quote_id, position, item, quantity_centi,
                     unit_price_fen, discount_bp, total_fen)
                 SELECT $1, position, item, quantity_centi, unit_price_fen, discount_bp, total_fen
                 FROM quote_lines WHERE quote_id = $2",
            )
            .bind(id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        }
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "create", "quote", id).after(&serde_json::json!({
                "opportunity_id": opportunity_id, "version": version_no, "total_fen": total,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self, actor, lines))]
    async fn save_quote(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        lines: &[ParsedLine],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::quote_snapshot(&mut tx, id).await?;
        let total: i64 = app::model::quote::total_fen(lines);
        let changed = sqlx::query(
            "UPDATE quotes SET total_fen = $1, revision = revision + 1
             WHERE id = $2 AND revision = $3 AND sent_on IS NULL
               AND version_no = (SELECT MAX(n.version_no) FROM quotes n
                                 WHERE n.opportunity_id = quotes.opportunity_id)",
        )
        .bind(total)
        .bind(id)
        .bind(revision)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        sqlx::query("DELETE FROM quote_lines WHERE quote_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (position, line) in lines.iter().enumerate() {
            let a = line.amounts;
            sqlx::query(
                "INSERT INTO quote_lines (quote_id, position, item, quantity_centi,
                     unit_price_fen, discount_bp, total_fen)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&line.item)
            .bind(a.quantity_centi)
            .bind(a.unit_price_fen)
            .bind(a.discount_bp)
            .bind(a.total_fen())
            .execute(&mut *tx)
            .await?;
        }
        let after = Self::quote_snapshot(&mut tx, id).await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "quote", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn mark_quote_sent(&self, actor: &Actor, id: i64, day: NaiveDate) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let day = day.format("%Y-%m-%d").to_string();
        let changed = sqlx::query(
            "UPDATE quotes SET sent_on = $1, revision = revision + 1
             WHERE id = $2 AND sent_on IS NULL
               AND version_no = (SELECT MAX(n.version_no) FROM quotes n
                                 WHERE n.opportunity_id = quotes.opportunity_id)",
        )
        .bind(&day)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        // One version is the one sent: an earlier one loses its mark (the audit keeps it).
        sqlx::query(
            "UPDATE quotes SET sent_on = NULL
             WHERE id <> $1 AND sent_on IS NOT NULL
               AND opportunity_id = (SELECT opportunity_id FROM quotes WHERE id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "send", "quote", id)
                .after(&serde_json::json!({ "sent_on": day })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The audit trail's picture of a version, inside the caller's transaction.
impl<D> SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    for<'q> D::Arguments<'q>: IntoArguments<'q, D>,
    for<'n> &'n str: ColumnIndex<D::Row> + Encode<'n, D> + Type<D>,
    usize: ColumnIndex<D::Row>,
    i64: Value<D>,
    String: Value<D>,
{
    async fn quote_snapshot(conn: &mut D::Connection, id: i64) -> StoreResult<serde_json::Value> {
        let total: i64 = sqlx::query_scalar("SELECT total_fen FROM quotes WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::Stale)?;
        let lines: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT item, quantity_centi, unit_price_fen, discount_bp, total_fen
             FROM quote_lines WHERE quote_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(serde_json::json!({ "total_fen": total, "lines": lines }))
    }
}
