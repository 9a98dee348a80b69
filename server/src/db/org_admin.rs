//! 组织管理's changes beyond create and rename: moving a unit under another parent and
//! disabling or enabling it, each audited in its transaction; and what lies in a subtree (its
//! users, its records), which decides whether a unit may be disabled or moved to another city.

use super::audit::AuditEntry;
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// What a set of org units holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitUsage {
    pub active_users: i64,
    /// Users, disabled ones too.
    pub users: i64,
    /// Customers (负责部门) and opportunities (归属) naming one of the units.
    pub records: i64,
}

#[async_trait::async_trait]
pub trait OrgAdminStore: Send + Sync {
    /// Puts unit `id` under `parent_id`.
    async fn move_org_unit(&self, actor: &Actor, id: i64, parent_id: i64) -> StoreResult<()>;

    /// 停用 / 启用 a unit.
    async fn set_org_unit_active(&self, actor: &Actor, id: i64, active: bool) -> StoreResult<()>;

    /// What the units `ids` hold between them.
    async fn org_unit_usage(&self, ids: &[i64]) -> StoreResult<UnitUsage>;
}

#[async_trait::async_trait]
impl<D> OrgAdminStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor))]
    async fn move_org_unit(&self, actor: &Actor, id: i64, parent_id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE org_units SET parent_id = $1 WHERE id = $2")
            .bind(parent_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let entry = AuditEntry::new(actor, "move", "org_unit", id)
            .before(&before)
            .after(&after);
        Self::append_audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn set_org_unit_active(&self, actor: &Actor, id: i64, active: bool) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !active {
            // Checked again inside the transaction: a user added meanwhile keeps it open.
            let (users,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM users WHERE org_unit_id = $1 AND disabled = FALSE",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if users > 0 {
                return Err(StoreError::Conflict("org.has_users".into()));
            }
        }
        sqlx::query("UPDATE org_units SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let action = if active { "enable" } else { "disable" };
        let entry = AuditEntry::new(actor, action, "org_unit", id)
            .before(&before)
            .after(&after);
        Self::append_audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn org_unit_usage(&self, ids: &[i64]) -> StoreResult<UnitUsage> {
        let mut usage = UnitUsage::default();
        for &id in ids {
            let (active_users, users, customers, opportunities): (i64, i64, i64, i64) =
                sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM users WHERE org_unit_id = $1 AND disabled = FALSE),
                            (SELECT COUNT(*) FROM users WHERE org_unit_id = $1),
                            (SELECT COUNT(*) FROM customers WHERE dept_id = $1),
                            (SELECT COUNT(*) FROM opportunities WHERE org_unit_id = $1)",
                )
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
            usage.active_users += active_users;
            usage.users += users;
            usage.records += customers + opportunities;
        }
        Ok(usage)
    }
}
