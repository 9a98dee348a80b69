//! 审计日志's query: the trail newest first, by who acted, what was touched, which action and
//! when, a page at a time (keyset on the id).

use super::audit::AuditRecord;
use super::sql::{SqlStore, Value};
use super::StoreResult;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    /// From this instant (inclusive) to that one (exclusive).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Entries older than this id.
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[async_trait::async_trait]
pub trait AuditQueryStore: Send + Sync {
    async fn audit_page(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>>;
}

#[async_trait::async_trait]
impl<D> AuditQueryStore for SqlStore<D>
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
    #[tracing::instrument(skip(self))]
    async fn audit_page(&self, f: &AuditFilter) -> StoreResult<Vec<AuditRecord>> {
        let mut sql = sqlx::QueryBuilder::<D>::new(
            "SELECT id, at, actor_id, action, entity, entity_id, before_json, after_json,
                    client_addr
             FROM audit_log WHERE 1 = 1",
        );
        if let Some(actor) = f.actor_id {
            sql.push(" AND actor_id = ").push_bind(actor);
        }
        if let Some(entity) = &f.entity {
            sql.push(" AND entity = ").push_bind(entity.clone());
        }
        if let Some(id) = &f.entity_id {
            sql.push(" AND entity_id = ").push_bind(id.clone());
        }
        if let Some(action) = &f.action {
            sql.push(" AND action = ").push_bind(action.clone());
        }
        if let Some(from) = f.from {
            sql.push(" AND at >= ").push_bind(from);
        }
        if let Some(to) = f.to {
            sql.push(" AND at < ").push_bind(to);
        }
        if let Some(before) = f.before_id {
            sql.push(" AND id < ").push_bind(before);
        }
        sql.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 100_000)));
        Ok(D::built_as(&mut sql).fetch_all(&self.pool).await?)
    }
}
