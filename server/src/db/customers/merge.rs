//! 合并: one customer folded into another in one transaction — its opportunities, contacts,
//! activities, files, shares and messages move to the survivor (nothing lost, nothing doubled),
//! the survivor takes the values chosen field by field, the merged row goes, its old address
//! leads to the survivor, and the audit trail says 「已合并到…」.

use crate::db::audit::AuditEntry;
use crate::db::customers::NewCustomer;
use crate::db::dialect::Dialect;
use crate::db::sql::{SqlStore, Value};
use crate::db::{Actor, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// Two customers to merge, each at the version the form read.
#[derive(Debug, Clone)]
pub struct Merge {
    pub survivor: i64,
    pub survivor_version: i64,
    pub merged: i64,
    pub merged_version: i64,
    /// The survivor's values after the merge (its owner and 负责部门 stay).
    pub values: NewCustomer,
}

#[async_trait::async_trait]
pub trait CustomerMergeStore: Send + Sync {
    /// Merges; [`StoreError::Stale`] when either changed since the form was read,
    /// [`StoreError::Conflict`] when the chosen name belongs to a third customer.
    async fn merge_customers(&self, actor: &Actor, merge: &Merge) -> StoreResult<()>;

    /// Where a merged customer's old address leads, if it was merged.
    async fn merged_into(&self, id: i64) -> StoreResult<Option<i64>>;
}

#[async_trait::async_trait]
impl<D> CustomerMergeStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, merge), fields(survivor = merge.survivor, merged = merge.merged))]
    async fn merge_customers(&self, actor: &Actor, merge: &Merge) -> StoreResult<()> {
        let (keep, gone) = (merge.survivor, merge.merged);
        if keep == gone {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.begin_write().await?;
        // Locked in id order, as every writer of several customers takes them.
        let (first, second) = (keep.min(gone), keep.max(gone));
        let first = Self::fetch_customer_for_update(&mut tx, first).await?;
        let second = Self::fetch_customer_for_update(&mut tx, second).await?;
        let (before_keep, before_gone) = if first.id == keep {
            (first, second)
        } else {
            (second, first)
        };
        if before_keep.version != merge.survivor_version
            || before_gone.version != merge.merged_version
        {
            return Err(StoreError::Stale);
        }
        // 商机多客户: an opportunity of both keeps one row (primary if either was).
        for sql in [
            "UPDATE opportunity_customers SET is_primary = TRUE
             WHERE customer_id = $1 AND opportunity_id IN
                 (SELECT opportunity_id FROM opportunity_customers WHERE customer_id = $2 AND is_primary)",
            "DELETE FROM opportunity_customers WHERE customer_id = $2 AND opportunity_id IN
                 (SELECT opportunity_id FROM opportunity_customers WHERE customer_id = $1)",
            "UPDATE opportunity_customers SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE contacts SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE contact_relations SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE activities SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE attachments SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE messages SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE outreach_messages SET customer_id = $1 WHERE customer_id = $2",
            // A share both had keeps the wider right; the rest move.
            "UPDATE customer_shares SET can_edit = TRUE
             WHERE customer_id = $1 AND user_id IN
                 (SELECT user_id FROM customer_shares WHERE customer_id = $2 AND can_edit)",
            "DELETE FROM customer_shares WHERE customer_id = $2 AND user_id IN
                 (SELECT user_id FROM customer_shares WHERE customer_id = $1)",
            "UPDATE customer_shares SET customer_id = $1 WHERE customer_id = $2",
            "UPDATE customer_merges SET survivor_id = $1 WHERE survivor_id = $2",
        ] {
            sqlx::query(sql).bind(keep).bind(gone).execute(&mut *tx).await?;
        }
        // The survivor's owner needs no share; the merged one's owner keeps editing what was
        // theirs.
        sqlx::query("DELETE FROM customer_shares WHERE customer_id = $1 AND user_id = $2")
            .bind(keep)
            .bind(before_keep.owner_id)
            .execute(&mut *tx)
            .await?;
        if before_gone.owner_id != before_keep.owner_id {
            sqlx::query(
                "INSERT INTO customer_shares (customer_id, user_id, can_edit, shared_by, created_at)
                 SELECT $1, $2, TRUE, $3, $4
                 WHERE NOT EXISTS (SELECT 1 FROM customer_shares WHERE customer_id = $1 AND user_id = $2)",
            )
            .bind(keep)
            .bind(before_gone.owner_id)
            .bind(actor.user_id.unwrap_or(before_keep.owner_id))
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
        }
        D::delete_customer_search(&mut tx, gone).await?;
        sqlx::query("DELETE FROM customers WHERE id = $1")
            .bind(gone)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO customer_merges (merged_id, survivor_id, merged_at) VALUES ($1, $2, $3)",
        )
        .bind(gone)
        .bind(keep)
        .bind(actor.at)
        .execute(&mut *tx)
        .await?;
        let v = &merge.values;
        sqlx::query(
            "UPDATE customers SET name = $1, name_key = $2, industry_id = $3, level_id = $4,
                kind = $5, registered_on = $6, website = $7, phone = $8, fax = $9,
                address = $10, notes = $11, version = version + 1, updated_at = $12
             WHERE id = $13",
        )
        .bind(v.name.as_str())
        .bind(v.name.key())
        .bind(v.industry_id)
        .bind(v.level_id)
        .bind(v.kind.code())
        .bind(v.registered_on.format("%Y-%m-%d").to_string())
        .bind(&v.website)
        .bind(&v.phone)
        .bind(&v.fax)
        .bind(&v.address)
        .bind(&v.notes)
        .bind(actor.at)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
        // An opportunity's 行业 is its primary customer's.
        sqlx::query(
            "UPDATE opportunities SET industry_id = $1 WHERE id IN
                 (SELECT opportunity_id FROM opportunity_customers WHERE customer_id = $2 AND is_primary)",
        )
        .bind(v.industry_id)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
        Self::refresh_search(&mut tx, keep).await?;
        let after_keep = Self::fetch_customer_for_update(&mut tx, keep).await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "merge", "customer", gone)
                .before(&before_gone)
                .after(&serde_json::json!({ "merged_into": keep, "name": after_keep.name })),
        )
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "customer", keep)
                .before(&before_keep)
                .after(&after_keep),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn merged_into(&self, id: i64) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT survivor_id FROM customer_merges WHERE merged_id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
