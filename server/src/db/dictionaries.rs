//! 数据字典 for the 系统管理员: every item of a dictionary (the disabled too), and adding,
//! renaming, ordering, disabling and enabling one. Nothing is ever deleted: records name items
//! by id, and a disabled item stays readable on them. Each change audited in its transaction;
//! the directory's version moves with it (migration 17), so every page sees it next.

use super::audit::AuditEntry;
use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, DictKind, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// An item with its status.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DictEntry {
    pub id: i64,
    pub label: String,
    pub sort_order: i64,
    pub active: bool,
    pub code: Option<String>,
}

#[async_trait::async_trait]
pub trait DictionaryStore: Send + Sync {
    /// Every item of `kind`, active or not, in display order.
    async fn dictionary_entries(&self, kind: DictKind) -> StoreResult<Vec<DictEntry>>;

    /// A new, active item; a label the dictionary has is a [`StoreError::Conflict`].
    async fn add_dict_item(
        &self,
        actor: &Actor,
        kind: DictKind,
        label: &str,
        sort_order: i64,
    ) -> StoreResult<i64>;

    /// Renames and reorders item `id` of `kind` (its code stays).
    async fn update_dict_item(
        &self,
        actor: &Actor,
        kind: DictKind,
        id: i64,
        label: &str,
        sort_order: i64,
    ) -> StoreResult<()>;

    /// 停用 / 启用 item `id` of `kind`.
    async fn set_dict_item_active(
        &self,
        actor: &Actor,
        kind: DictKind,
        id: i64,
        active: bool,
    ) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> DictionaryStore for SqlStore<D>
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
    async fn dictionary_entries(&self, kind: DictKind) -> StoreResult<Vec<DictEntry>> {
        Ok(sqlx::query_as(
            "SELECT id, label, sort_order, active, code FROM dict_items
             WHERE kind = $1 ORDER BY sort_order, id",
        )
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn add_dict_item(
        &self,
        actor: &Actor,
        kind: DictKind,
        label: &str,
        sort_order: i64,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO dict_items (kind, label, sort_order) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind.code())
        .bind(label)
        .bind(sort_order)
        .fetch_one(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "create", "dict_item", id).after(&serde_json::json!({
                "kind": kind.code(), "label": label, "sort_order": sort_order,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn update_dict_item(
        &self,
        actor: &Actor,
        kind: DictKind,
        id: i64,
        label: &str,
        sort_order: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: (String, i64) =
            sqlx::query_as("SELECT label, sort_order FROM dict_items WHERE id = $1 AND kind = $2")
                .bind(id)
                .bind(kind.code())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE dict_items SET label = $1, sort_order = $2 WHERE id = $3")
            .bind(label)
            .bind(sort_order)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "dict_item", id)
                .before(&serde_json::json!({ "label": before.0, "sort_order": before.1 }))
                .after(&serde_json::json!({ "label": label, "sort_order": sort_order })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn set_dict_item_active(
        &self,
        actor: &Actor,
        kind: DictKind,
        id: i64,
        active: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query("UPDATE dict_items SET active = $1 WHERE id = $2 AND kind = $3")
            .bind(active)
            .bind(id)
            .bind(kind.code())
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                if active { "enable" } else { "disable" },
                "dict_item",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
