//! The organisation and its people: org units (省公司, 地市, 部门), users with their roles and
//! industries, and what each user keeps for themselves (preferences).

use super::audit::AuditEntry;
use super::dialect::Dialect;
use super::model::{OrgUnitRow, UserRow};
use super::sql::{SqlStore, Value};
use super::{Actor, NewOrgUnit, NewUser, OrgUnit, StoreResult, User, UserBrief};
use crate::db::StoreError;
use app::model::Role;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// The columns of [`UserRow`](super::model::UserRow), as the start of a SELECT.
const USER_COLUMNS: &str =
    "SELECT id, login, name, org_unit_id, password_hash, phone, email, disabled,
                must_change_password, failed_logins, first_failed_at, locked_until, version,
                created_at FROM users";

/// Org units, users and their preferences.
#[async_trait::async_trait]
pub trait PeopleStore: Send + Sync {
    /// Every org unit, parents before children.
    async fn org_units(&self) -> StoreResult<Vec<OrgUnit>>;

    async fn org_unit(&self, id: i64) -> StoreResult<Option<OrgUnit>>;

    async fn create_org_unit(&self, actor: &Actor, unit: &NewOrgUnit) -> StoreResult<OrgUnit>;

    async fn rename_org_unit(&self, actor: &Actor, id: i64, name: &str) -> StoreResult<OrgUnit>;

    async fn user(&self, id: i64) -> StoreResult<Option<User>>;

    /// The names of the users `ids` (disabled ones included), in one query.
    async fn user_names(&self, ids: &[i64]) -> StoreResult<std::collections::HashMap<i64, String>>;

    /// The users `ids` with their org units (disabled ones included), in one query.
    async fn user_briefs(&self, ids: &[i64]) -> StoreResult<Vec<UserBrief>>;

    /// Logins are kept in lower case; `login` is matched the same way.
    async fn user_by_login(&self, login: &str) -> StoreResult<Option<User>>;

    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User>;

    /// Enables or disables a user; disabling ends all their sessions in the same transaction.
    async fn set_user_disabled(&self, actor: &Actor, id: i64, disabled: bool) -> StoreResult<User>;

    /// Every user that is not disabled, with their org unit, by name.
    async fn user_directory(&self) -> StoreResult<Vec<UserBrief>>;

    /// The active users of the org units `unit_ids`, with their org unit, by name.
    async fn users_in_units(&self, unit_ids: &[i64]) -> StoreResult<Vec<UserBrief>>;

    /// The version of what the user directory holds, bumped by every change to users, roles,
    /// industries and org units (triggers of migration 16).
    async fn directory_version(&self) -> StoreResult<i64>;

    /// A user's saved preference (`None`: never chosen).
    async fn user_pref(&self, user_id: i64, key: &str) -> StoreResult<Option<String>>;

    /// Saves a user's preference, replacing the previous value.
    async fn set_user_pref(&self, user_id: i64, key: &str, value: &str) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> PeopleStore for SqlStore<D>
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
    async fn org_units(&self) -> StoreResult<Vec<OrgUnit>> {
        // Province, then cities, then departments; by id within a level.
        let rows: Vec<OrgUnitRow> = sqlx::query_as(
            "SELECT id, parent_id, name, kind, active FROM org_units
             ORDER BY CASE kind WHEN 'province' THEN 0 WHEN 'city' THEN 1 ELSE 2 END, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.into_org_unit()).collect())
    }

    #[tracing::instrument(skip(self))]
    async fn org_unit(&self, id: i64) -> StoreResult<Option<OrgUnit>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::fetch_org_unit(&mut conn, id).await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn create_org_unit(&self, actor: &Actor, unit: &NewOrgUnit) -> StoreResult<OrgUnit> {
        let mut tx = self.begin_write().await?;
        let id = Self::insert_org_unit(&mut tx, unit, actor.at).await?;
        let created = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "create", "org_unit", id).after(&created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn rename_org_unit(&self, actor: &Actor, id: i64, name: &str) -> StoreResult<OrgUnit> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE org_units SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "org_unit", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self))]
    async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::fetch_user(&mut conn, id).await?)
    }

    #[tracing::instrument(skip(self, ids), fields(count = ids.len()))]
    async fn user_names(&self, ids: &[i64]) -> StoreResult<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT id, name FROM users WHERE id IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        Ok(D::built_as::<(i64, String)>(&mut qb)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect())
    }

    #[tracing::instrument(skip(self, ids), fields(count = ids.len()))]
    async fn user_briefs(&self, ids: &[i64]) -> StoreResult<Vec<UserBrief>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<D>::new(
            "SELECT id, login, name, org_unit_id FROM users WHERE id IN (",
        );
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn user_by_login(&self, login: &str) -> StoreResult<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<UserRow> = sqlx::query_as(&format!("{USER_COLUMNS} WHERE login = $1"))
            .bind(login.trim().to_lowercase())
            .fetch_optional(&mut *conn)
            .await?;
        Ok(match row {
            Some(row) => Some(Self::complete_user(&mut conn, row).await?),
            None => None,
        })
    }

    #[tracing::instrument(skip(self, actor, user), fields(login = %user.login))]
    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let created = Self::insert_user(&mut tx, user, actor.at).await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "create", "user", created.id).after(&created.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn set_user_disabled(&self, actor: &Actor, id: i64, disabled: bool) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_user(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query(
            "UPDATE users SET disabled = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        )
        .bind(disabled)
        .bind(actor.at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if disabled {
            sqlx::query(
                "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
            )
            .bind(actor.at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let after = Self::fetch_user(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                if disabled { "disable" } else { "enable" },
                "user",
                id,
            )
            .before(&before.snapshot())
            .after(&after.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn user_directory(&self) -> StoreResult<Vec<UserBrief>> {
        Ok(sqlx::query_as(
            "SELECT id, login, name, org_unit_id FROM users WHERE disabled = FALSE ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn users_in_units(&self, unit_ids: &[i64]) -> StoreResult<Vec<UserBrief>> {
        if unit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<D>::new(
            "SELECT id, login, name, org_unit_id FROM users WHERE disabled = FALSE AND org_unit_id IN (",
        );
        let mut list = qb.separated(", ");
        for id in unit_ids {
            list.push_bind(*id);
        }
        qb.push(") ORDER BY name, id");
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn directory_version(&self) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT version FROM directory_version WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn user_pref(&self, user_id: i64, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM user_prefs WHERE user_id = $1 AND key = $2")
                .bind(user_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn set_user_pref(&self, user_id: i64, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO user_prefs (user_id, key, value) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(user_id)
        .bind(key)
        .bind(value)
        .execute(&self.writer)
        .await?;
        Ok(())
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
    pub(in crate::db) async fn fetch_org_unit(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Option<OrgUnit>, sqlx::Error> {
        let row: Option<OrgUnitRow> =
            sqlx::query_as("SELECT id, parent_id, name, kind, active FROM org_units WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        Ok(row.map(|r| r.into_org_unit()))
    }

    pub(in crate::db) async fn insert_org_unit(
        conn: &mut D::Connection,
        unit: &NewOrgUnit,
        at: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO org_units (parent_id, name, kind, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(unit.parent_id)
        .bind(&unit.name)
        .bind(unit.kind.code())
        .bind(at)
        .fetch_one(&mut *conn)
        .await
    }

    pub(in crate::db) async fn fetch_user(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Option<User>, sqlx::Error> {
        let row: Option<UserRow> = sqlx::query_as(&format!("{USER_COLUMNS} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(match row {
            Some(row) => Some(Self::complete_user(conn, row).await?),
            None => None,
        })
    }

    /// Adds the roles and industries to a user row.
    pub(in crate::db) async fn complete_user(
        conn: &mut D::Connection,
        row: UserRow,
    ) -> Result<User, sqlx::Error> {
        let roles: Vec<Role> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?;
        let industries: Vec<i64> = sqlx::query_scalar(
            "SELECT industry_id FROM user_industries WHERE user_id = $1 ORDER BY industry_id",
        )
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(row.into_user(roles, industries))
    }

    pub(in crate::db) async fn insert_user(
        conn: &mut D::Connection,
        user: &NewUser,
        at: DateTime<Utc>,
    ) -> Result<User, sqlx::Error> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (login, name, org_unit_id, password_hash, phone, email,
                                must_change_password, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(user.login.trim().to_lowercase())
        .bind(&user.name)
        .bind(user.org_unit_id)
        .bind(user.password_hash.as_stored())
        .bind(&user.phone)
        .bind(&user.email)
        .bind(user.must_change_password)
        .bind(at)
        .fetch_one(&mut *conn)
        .await?;
        for role in &user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.code())
                .execute(&mut *conn)
                .await?;
        }
        for industry in &user.industry_ids {
            sqlx::query("INSERT INTO user_industries (user_id, industry_id) VALUES ($1, $2)")
                .bind(id)
                .bind(industry)
                .execute(&mut *conn)
                .await?;
        }
        Self::fetch_user(conn, id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }
}
