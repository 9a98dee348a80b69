//! 联系人关系图: relations between one customer's contacts, added and removed by its editors,
//! each audited.

use crate::db::audit::AuditEntry;
use crate::db::dialect::Dialect;
use crate::db::sql::{SqlStore, Value};
use crate::db::{Actor, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Relation {
    pub id: i64,
    pub from_contact_id: i64,
    pub to_contact_id: i64,
    /// Its code (see `app::model::relation::RelationKind`).
    pub kind: String,
}

#[async_trait::async_trait]
pub trait RelationStore: Send + Sync {
    /// A customer's relations, oldest first.
    async fn relations(&self, customer_id: i64) -> StoreResult<Vec<Relation>>;

    /// Records that `from` stands in `kind` to `to`, both contacts of `customer_id`
    /// ([`StoreError::NotFound`] otherwise; [`StoreError::Conflict`] when already recorded).
    async fn add_relation(
        &self,
        actor: &Actor,
        customer_id: i64,
        from: i64,
        to: i64,
        kind: &str,
    ) -> StoreResult<i64>;

    /// Removes relation `id` of `customer_id`.
    async fn delete_relation(&self, actor: &Actor, customer_id: i64, id: i64) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> RelationStore for SqlStore<D>
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
    async fn relations(&self, customer_id: i64) -> StoreResult<Vec<Relation>> {
        Ok(sqlx::query_as(
            "SELECT id, from_contact_id, to_contact_id, kind FROM contact_relations
             WHERE customer_id = $1 ORDER BY id",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn add_relation(
        &self,
        actor: &Actor,
        customer_id: i64,
        from: i64,
        to: i64,
        kind: &str,
    ) -> StoreResult<i64> {
        let by = actor.user_id.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin_write().await?;
        let (theirs,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM contacts WHERE customer_id = $1 AND id IN ($2, $3)",
        )
        .bind(customer_id)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *tx)
        .await?;
        if from == to || theirs != 2 {
            return Err(StoreError::NotFound);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contact_relations
                 (customer_id, from_contact_id, to_contact_id, kind, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(customer_id)
        .bind(from)
        .bind(to)
        .bind(kind)
        .bind(by)
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::new(actor, "create", "contact_relation", id).after(
            &serde_json::json!({ "customer_id": customer_id, "from": from, "to": to, "kind": kind }),
        );
        Self::append_audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn delete_relation(&self, actor: &Actor, customer_id: i64, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let gone: Option<Relation> = sqlx::query_as(
            "SELECT id, from_contact_id, to_contact_id, kind FROM contact_relations
             WHERE id = $1 AND customer_id = $2",
        )
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut *tx)
        .await?;
        let gone = gone.ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM contact_relations WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(actor, "delete", "contact_relation", id).before(
            &serde_json::json!({ "from": gone.from_contact_id, "to": gone.to_contact_id, "kind": gone.kind }),
        );
        Self::append_audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }
}
