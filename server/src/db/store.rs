//! The part of the [`Store`](super::Store) that is the same SQL on both databases: the schema
//! is kept portable (integer ids, TEXT/TIMESTAMPTZ times, integer fen) and both drivers accept
//! `$1` parameters, so one text serves both. The macro stamps it out for a store type that has
//! a `pool` field, a `BACKEND` constant and a `begin_write()` method (the one real difference:
//! SQLite must take its write lock up front).

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use crate::db::audit::AuditEntry;
use crate::db::Actor;
use crate::db::AuditRecord;
use crate::db::Backend;
use crate::db::DemoData;
use crate::db::DictItem;
use crate::db::DictKind;
use crate::db::DictKind::Industry;
use crate::db::NewOrgUnit;
use crate::db::NewUser;
use crate::db::Store;
use crate::db::StoreError;
use crate::db::StoreResult;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[async_trait::async_trait]
impl<D> Store for SqlStore<D>
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
    fn backend(&self) -> Backend {
        D::BACKEND
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        if let Some(sql) = D::OPTIMIZE {
            sqlx::query(sql).execute(&self.writer).await?;
        }
        Ok(())
    }

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await?;
        Self::append_audit(&mut conn, entry).await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn dictionary(&self, kind: DictKind) -> StoreResult<Vec<DictItem>> {
        Ok(sqlx::query_as(
            "SELECT id, label, sort_order, code FROM dict_items
             WHERE kind = $1 AND active = TRUE ORDER BY sort_order, id",
        )
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self))]
    async fn audit_trail(&self, entity: &str, entity_id: &str) -> StoreResult<Vec<AuditRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, at, actor_id, action, entity, entity_id, before_json, after_json,
                    client_addr
             FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn publish_event(&self, payload: &str) -> StoreResult<bool> {
        Ok(D::notify(&self.pool, payload).await?)
    }

    #[tracing::instrument(skip_all)]
    async fn seed_demo(&self, data: &DemoData, at: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let has_users = sqlx::query("SELECT 1 FROM users LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        // The marker row makes a second instance starting at the same moment wait for
        // this transaction and then find the work done.
        let claimed = !has_users
            && sqlx::query(
                "INSERT INTO app_meta (key, value) VALUES ('demo_seeded', $1)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(at.to_rfc3339())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
        if !claimed {
            return Ok(false);
        }
        let actor = Actor::system(at);
        let mut units = std::collections::HashMap::new();
        for unit in &data.org_units {
            let new = NewOrgUnit {
                parent_id: unit.parent.and_then(|p| units.get(p).copied()),
                name: unit.name.to_owned(),
                kind: unit.kind,
            };
            let id = Self::insert_org_unit(&mut tx, &new, at).await?;
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(&actor, "create", "org_unit", id).after(&new),
            )
            .await?;
            units.insert(unit.name, id);
        }
        let industries: std::collections::HashMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>("SELECT label, id FROM dict_items WHERE kind = $1")
                .bind(Industry.code())
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        for demo in &data.users {
            let new = NewUser {
                login: demo.login.to_owned(),
                name: demo.name.to_owned(),
                org_unit_id: *units.get(demo.org_unit).ok_or(StoreError::NotFound)?,
                password_hash: demo.password_hash.clone(),
                phone: None,
                email: None,
                must_change_password: false,
                roles: demo.roles.clone(),
                industry_ids: demo
                    .industries
                    .iter()
                    .filter_map(|label| industries.get(*label).copied())
                    .collect(),
            };
            let user = Self::insert_user(&mut tx, &new, at).await?;
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(&actor, "create", "user", user.id).after(&user.snapshot()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// Reads and writes the methods above share, inside their connection or transaction.
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
}
