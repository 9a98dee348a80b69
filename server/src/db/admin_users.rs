//! 用户管理 for the 系统管理员: the user list with its query, a user's change (org unit,
//! roles, industries, details), 重置密码, and what a user still holds (open tasks, customers,
//! opportunities) before they may be disabled. Each change audited in its transaction.

use super::audit::AuditEntry;
use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult, User};
use crate::auth::password::PasswordHash;
use app::model::Role;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// The list's conditions, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// 登录名 or 姓名 containing this (lower case).
    pub text: Option<String>,
    pub org_unit_id: Option<i64>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// Rows after this id.
    pub after: Option<i64>,
    pub limit: u32,
}

/// A row of the list: the user and their role codes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserListRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
    pub disabled: bool,
}

/// What the 系统管理员 changes of a user (the login stays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChange {
    pub name: String,
    pub org_unit_id: i64,
    pub roles: Vec<Role>,
    pub industry_ids: Vec<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// What a user holds that someone must take over before they leave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Holdings {
    pub open_tasks: i64,
    pub customers: i64,
    pub opportunities: i64,
}

impl Holdings {
    pub fn is_empty(&self) -> bool {
        self.open_tasks == 0 && self.customers == 0 && self.opportunities == 0
    }
}

#[async_trait::async_trait]
pub trait AdminUserStore: Send + Sync {
    /// A page of users by id, with the roles of each.
    async fn user_list(&self, filter: &UserFilter) -> StoreResult<Vec<(UserListRow, Vec<Role>)>>;

    /// Saves a user's change if they are still at `version` (else [`StoreError::Stale`]).
    async fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        change: &UserChange,
    ) -> StoreResult<User>;

    /// 重置密码: the new one must be changed at the next login; every session ends.
    async fn reset_password(&self, actor: &Actor, id: i64, hash: &PasswordHash) -> StoreResult<()>;

    async fn holdings(&self, user_id: i64) -> StoreResult<Holdings>;

    /// 审批配置: sets the roles and industries of several users in one transaction, each
    /// change audited.
    async fn assign_roles(&self, actor: &Actor, changes: &[RoleChange]) -> StoreResult<()>;
}

/// One user's roles and industries as 审批配置 sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub user_id: i64,
    pub roles: Vec<Role>,
    pub industry_ids: Vec<i64>,
}

#[async_trait::async_trait]
impl<D> AdminUserStore for SqlStore<D>
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
    async fn user_list(&self, filter: &UserFilter) -> StoreResult<Vec<(UserListRow, Vec<Role>)>> {
        let mut sql = sqlx::QueryBuilder::<D>::new(
            "SELECT u.id, u.login, u.name, u.org_unit_id, u.disabled FROM users u WHERE 1 = 1",
        );
        if let Some(text) = &filter.text {
            let pattern = format!("%{}%", crate::db::customers::like_escape(text));
            sql.push(" AND (u.login LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR LOWER(u.name) LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
        if let Some(unit) = filter.org_unit_id {
            sql.push(" AND u.org_unit_id = ").push_bind(unit);
        }
        if let Some(role) = filter.role {
            sql.push(
                " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ",
            )
            .push_bind(role.code())
            .push(")");
        }
        if let Some(disabled) = filter.disabled {
            sql.push(" AND u.disabled = ").push_bind(disabled);
        }
        if let Some(after) = filter.after {
            sql.push(" AND u.id > ").push_bind(after);
        }
        sql.push(" ORDER BY u.id LIMIT ")
            .push_bind(i64::from(filter.limit.clamp(1, 200)));
        let rows: Vec<UserListRow> = D::built_as(&mut sql).fetch_all(&self.pool).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut roles_sql =
            sqlx::QueryBuilder::<D>::new("SELECT user_id, role FROM user_roles WHERE user_id IN (");
        let mut ids = roles_sql.separated(", ");
        for row in &rows {
            ids.push_bind(row.id);
        }
        roles_sql.push(")");
        let assigned: Vec<(i64, String)> =
            D::built_as(&mut roles_sql).fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut roles: Vec<Role> = assigned
                    .iter()
                    .filter(|(id, _)| *id == row.id)
                    .filter_map(|(_, code)| Role::from_code(code))
                    .collect();
                roles.sort();
                (row, roles)
            })
            .collect())
    }

    #[tracing::instrument(skip(self, actor, change))]
    async fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        change: &UserChange,
    ) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_user(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let updated = sqlx::query(
            "UPDATE users SET name = $1, org_unit_id = $2, phone = $3, email = $4,
                              version = version + 1, updated_at = $5
             WHERE id = $6 AND version = $7",
        )
        .bind(&change.name)
        .bind(change.org_unit_id)
        .bind(&change.phone)
        .bind(&change.email)
        .bind(actor.at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Stale);
        }
        // Rewritten only when they changed: every write bumps the directory's version.
        if before.roles != change.roles {
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for role in &change.roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(id)
                    .bind(role.code())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if before.industry_ids != change.industry_ids {
            sqlx::query("DELETE FROM user_industries WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for industry in &change.industry_ids {
                sqlx::query("INSERT INTO user_industries (user_id, industry_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(industry)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let after = Self::fetch_user(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "user", id)
                .before(&before.snapshot())
                .after(&after.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self, actor, hash))]
    async fn reset_password(&self, actor: &Actor, id: i64, hash: &PasswordHash) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = TRUE,
                              failed_logins = 0, locked_until = NULL,
                              version = version + 1, updated_at = $2
             WHERE id = $3",
        )
        .bind(hash.as_stored())
        .bind(actor.at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let ended = sqlx::query(
            "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
        )
        .bind(actor.at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "reset_password", "user", id)
                .after(&serde_json::json!({ "sessions_ended": ended.rows_affected() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn assign_roles(&self, actor: &Actor, changes: &[RoleChange]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for change in changes {
            let before = Self::fetch_user(&mut tx, change.user_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
                .bind(change.user_id)
                .execute(&mut *tx)
                .await?;
            for role in &change.roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(change.user_id)
                    .bind(role.code())
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM user_industries WHERE user_id = $1")
                .bind(change.user_id)
                .execute(&mut *tx)
                .await?;
            for industry in &change.industry_ids {
                sqlx::query("INSERT INTO user_industries (user_id, industry_id) VALUES ($1, $2)")
                    .bind(change.user_id)
                    .bind(industry)
                    .execute(&mut *tx)
                    .await?;
            }
            // A form open on the user's page holds the old version: its save is refused.
            sqlx::query("UPDATE users SET version = version + 1, updated_at = $1 WHERE id = $2")
                .bind(actor.at)
                .bind(change.user_id)
                .execute(&mut *tx)
                .await?;
            let after = Self::fetch_user(&mut tx, change.user_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(actor, "routing", "user", change.user_id)
                    .before(&before.snapshot())
                    .after(&after.snapshot()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn holdings(&self, user_id: i64) -> StoreResult<Holdings> {
        let (open_tasks, customers, opportunities): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM tasks WHERE assignee_id = $1 AND open = TRUE),
                    (SELECT COUNT(*) FROM customers WHERE owner_id = $1),
                    (SELECT COUNT(*) FROM opportunities WHERE owner_id = $1)",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Holdings {
            open_tasks,
            customers,
            opportunities,
        })
    }
}
