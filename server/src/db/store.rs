//! The part of the [`Store`](super::Store) that is the same SQL on both databases: the schema
//! is kept portable (integer ids, TEXT/TIMESTAMPTZ times, integer fen) and both drivers accept
//! `$1` parameters, so one text serves both. The macro stamps it out for a store type that has
//! a `pool` field, a `BACKEND` constant and a `begin_write()` method (the one real difference:
//! SQLite must take its write lock up front).

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[async_trait::async_trait]
impl<D> crate::db::Store for SqlStore<D>
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
    fn backend(&self) -> crate::db::Backend {
        D::BACKEND
    }

    async fn ping(&self) -> crate::db::StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn org_units(&self) -> crate::db::StoreResult<Vec<crate::db::OrgUnit>> {
        // Province, then cities, then departments; by id within a level.
        let rows: Vec<crate::db::model::OrgUnitRow> = sqlx::query_as(
            "SELECT id, parent_id, name, kind FROM org_units
             ORDER BY CASE kind WHEN 'province' THEN 0 WHEN 'city' THEN 1 ELSE 2 END, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.into_org_unit()).collect())
    }

    #[tracing::instrument(skip(self))]
    async fn org_unit(&self, id: i64) -> crate::db::StoreResult<Option<crate::db::OrgUnit>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::fetch_org_unit(&mut conn, id).await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn create_org_unit(
        &self,
        actor: &crate::db::Actor,
        unit: &crate::db::NewOrgUnit,
    ) -> crate::db::StoreResult<crate::db::OrgUnit> {
        let mut tx = self.begin_write().await?;
        let id = Self::insert_org_unit(&mut tx, unit, actor.at).await?;
        let created = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "create", "org_unit", id).after(&created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn rename_org_unit(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        name: &str,
    ) -> crate::db::StoreResult<crate::db::OrgUnit> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        sqlx::query("UPDATE org_units SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = Self::fetch_org_unit(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "update", "org_unit", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self))]
    async fn user(&self, id: i64) -> crate::db::StoreResult<Option<crate::db::User>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::fetch_user(&mut conn, id).await?)
    }

    #[tracing::instrument(skip(self, ids), fields(count = ids.len()))]
    async fn user_names(
        &self,
        ids: &[i64],
    ) -> crate::db::StoreResult<std::collections::HashMap<i64, String>> {
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

    #[tracing::instrument(skip(self))]
    async fn user_by_login(&self, login: &str) -> crate::db::StoreResult<Option<crate::db::User>> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<crate::db::model::UserRow> =
            sqlx::query_as(&format!("{USER_COLUMNS} WHERE login = $1"))
                .bind(login.trim().to_lowercase())
                .fetch_optional(&mut *conn)
                .await?;
        Ok(match row {
            Some(row) => Some(Self::complete_user(&mut conn, row).await?),
            None => None,
        })
    }

    #[tracing::instrument(skip(self, actor, user), fields(login = %user.login))]
    async fn create_user(
        &self,
        actor: &crate::db::Actor,
        user: &crate::db::NewUser,
    ) -> crate::db::StoreResult<crate::db::User> {
        let mut tx = self.begin_write().await?;
        let created = Self::insert_user(&mut tx, user, actor.at).await?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "create", "user", created.id)
                .after(&created.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn set_user_disabled(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        disabled: bool,
    ) -> crate::db::StoreResult<crate::db::User> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_user(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
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
            .ok_or(crate::db::StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(
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

    #[tracing::instrument(skip(self))]
    async fn record_login_failure(
        &self,
        user_id: i64,
        policy: &crate::policy::lockout::LockoutPolicy,
        at: DateTime<Utc>,
    ) -> crate::db::StoreResult<crate::policy::lockout::FailureState> {
        let mut tx = self.begin_write().await?;
        // One statement reads and writes the count: a parallel failure waits for this
        // row (PostgreSQL) or for the write lock (SQLite) and counts on top of it.
        let (count, first, locked_until): (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>) =
            sqlx::query_as(
                "UPDATE users SET
               failed_logins = CASE WHEN first_failed_at >= $1 THEN failed_logins + 1 ELSE 1 END,
               first_failed_at = CASE WHEN first_failed_at >= $1 THEN first_failed_at ELSE $2 END
             WHERE id = $3
             RETURNING failed_logins, first_failed_at, locked_until",
            )
            .bind(policy.window_start(at))
            .bind(at)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        let mut failures = crate::policy::lockout::FailureState {
            failed_logins: count,
            first_failed_at: first,
            locked_until: locked_until.filter(|until| *until > at),
        };
        let actor = crate::db::Actor::system(at);
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(&actor, "login_failed", "user", user_id),
        )
        .await?;
        if policy.locks(count) {
            let until = policy.locked_until(at);
            sqlx::query(
                "UPDATE users SET failed_logins = 0, first_failed_at = NULL, locked_until = $1
                 WHERE id = $2",
            )
            .bind(until)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            failures = crate::policy::lockout::FailureState {
                failed_logins: 0,
                first_failed_at: None,
                locked_until: Some(until),
            };
            Self::append_audit(
                &mut tx,
                &crate::db::audit::AuditEntry::new(&actor, "lock", "user", user_id)
                    .after(&serde_json::json!({ "locked_until": until })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(failures)
    }

    #[tracing::instrument(skip(self, token_hash))]
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> crate::db::StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let unlocked = sqlx::query(
            "UPDATE users SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if unlocked == 0 {
            return Ok(false);
        }
        let session_id: i64 = sqlx::query_scalar(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
             VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(
                &crate::db::Actor::user(user_id, at),
                "login",
                "user",
                user_id,
            )
            .after(&serde_json::json!({ "session": session_id })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    #[tracing::instrument(skip_all)]
    async fn session(
        &self,
        token_hash: &str,
    ) -> crate::db::StoreResult<Option<crate::db::Session>> {
        Ok(sqlx::query_as(
            "SELECT id, user_id, created_at, last_seen_at FROM sessions
             WHERE token_hash = $1 AND ended_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self))]
    async fn touch_session(&self, id: i64, at: DateTime<Utc>) -> crate::db::StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
            .bind(at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn end_session(
        &self,
        id: i64,
        reason: &'static str,
        at: DateTime<Utc>,
    ) -> crate::db::StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE sessions SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL RETURNING user_id",
        )
        .bind(at)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(user_id) = user_id {
            let actor = if reason == "logout" {
                crate::db::Actor::user(user_id, at)
            } else {
                crate::db::Actor::system(at)
            };
            Self::append_audit(
                &mut tx,
                &crate::db::audit::AuditEntry::new(&actor, reason, "session", id),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn append_audit(
        &self,
        entry: &crate::db::audit::AuditEntry,
    ) -> crate::db::StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        Self::append_audit(&mut conn, entry).await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn dictionary(
        &self,
        kind: crate::db::DictKind,
    ) -> crate::db::StoreResult<Vec<crate::db::DictItem>> {
        Ok(sqlx::query_as(
            "SELECT id, label, sort_order, code FROM dict_items
             WHERE kind = $1 AND active = TRUE ORDER BY sort_order, id",
        )
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self))]
    async fn audit_trail(
        &self,
        entity: &str,
        entity_id: &str,
    ) -> crate::db::StoreResult<Vec<crate::db::AuditRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, at, actor_id, action, entity, entity_id, before_json, after_json
             FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn publish_event(&self, payload: &str) -> crate::db::StoreResult<bool> {
        Ok(D::notify(&self.pool, payload).await?)
    }

    async fn user_pref(&self, user_id: i64, key: &str) -> crate::db::StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM user_prefs WHERE user_id = $1 AND key = $2")
                .bind(user_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn set_user_pref(
        &self,
        user_id: i64,
        key: &str,
        value: &str,
    ) -> crate::db::StoreResult<()> {
        sqlx::query(
            "INSERT INTO user_prefs (user_id, key, value) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(user_id)
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn user_directory(&self) -> crate::db::StoreResult<Vec<crate::db::UserBrief>> {
        Ok(sqlx::query_as(
            "SELECT id, name, org_unit_id FROM users WHERE disabled = FALSE ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip_all)]
    async fn seed_demo(
        &self,
        data: &crate::db::DemoData,
        at: DateTime<Utc>,
    ) -> crate::db::StoreResult<bool> {
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
        let actor = crate::db::Actor::system(at);
        let mut units = std::collections::HashMap::new();
        for unit in &data.org_units {
            let new = crate::db::NewOrgUnit {
                parent_id: unit.parent.and_then(|p| units.get(p).copied()),
                name: unit.name.to_owned(),
                kind: unit.kind,
            };
            let id = Self::insert_org_unit(&mut tx, &new, at).await?;
            Self::append_audit(
                &mut tx,
                &crate::db::audit::AuditEntry::new(&actor, "create", "org_unit", id).after(&new),
            )
            .await?;
            units.insert(unit.name, id);
        }
        let industries: std::collections::HashMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>("SELECT label, id FROM dict_items WHERE kind = $1")
                .bind(crate::db::DictKind::Industry.code())
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        for demo in &data.users {
            let new = crate::db::NewUser {
                login: demo.login.to_owned(),
                name: demo.name.to_owned(),
                org_unit_id: *units
                    .get(demo.org_unit)
                    .ok_or(crate::db::StoreError::NotFound)?,
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
                &crate::db::audit::AuditEntry::new(&actor, "create", "user", user.id)
                    .after(&user.snapshot()),
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
    pub(in crate::db) async fn fetch_org_unit(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Option<crate::db::OrgUnit>, sqlx::Error> {
        let row: Option<crate::db::model::OrgUnitRow> =
            sqlx::query_as("SELECT id, parent_id, name, kind FROM org_units WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        Ok(row.map(|r| r.into_org_unit()))
    }

    pub(in crate::db) async fn insert_org_unit(
        conn: &mut D::Connection,
        unit: &crate::db::NewOrgUnit,
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
    ) -> Result<Option<crate::db::User>, sqlx::Error> {
        let row: Option<crate::db::model::UserRow> =
            sqlx::query_as(&format!("{USER_COLUMNS} WHERE id = $1"))
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
        row: crate::db::model::UserRow,
    ) -> Result<crate::db::User, sqlx::Error> {
        let roles: Vec<String> =
            sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
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
        user: &crate::db::NewUser,
        at: DateTime<Utc>,
    ) -> Result<crate::db::User, sqlx::Error> {
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

/// The columns of [`UserRow`](super::model::UserRow), as the start of a SELECT.
const USER_COLUMNS: &str =
    "SELECT id, login, name, org_unit_id, password_hash, phone, email, disabled,
                must_change_password, failed_logins, first_failed_at, locked_until, version,
                created_at FROM users";
