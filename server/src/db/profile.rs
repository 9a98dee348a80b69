//! What a user changes of themself (个人资料: name, phone, email; 修改密码; their sessions),
//! and what going live asks of an empty database (is there a 系统管理员 yet). Every change is
//! audited in its own transaction.

use super::audit::AuditEntry;
use super::dialect::{Dialect, RowsAffected};
use super::sessions::SESSION_COLUMNS;
use super::sql::{SqlStore, Value};
use super::{Actor, Session, StoreError, StoreResult, User};
use crate::auth::password::PasswordHash;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// 个人资料 as saved: name, phone and email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChange {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[async_trait::async_trait]
pub trait ProfileStore: Send + Sync {
    /// Saves `user_id`'s name, phone and email if the user is still at `version` (else
    /// [`StoreError::Stale`]).
    async fn update_profile(
        &self,
        actor: &Actor,
        user_id: i64,
        version: i64,
        change: &ProfileChange,
    ) -> StoreResult<User>;

    /// Sets a new password (no longer to be changed at the next login) and ends the user's
    /// other sessions, all but `keep_session` (the one that changed it).
    async fn change_password(
        &self,
        actor: &Actor,
        user_id: i64,
        hash: &PasswordHash,
        keep_session: Option<i64>,
    ) -> StoreResult<()>;

    /// The user's live sessions, newest first.
    async fn live_sessions(&self, user_id: i64) -> StoreResult<Vec<Session>>;

    /// Ends every live session of the user but `keep_session` (「退出其他会话」); how many ended.
    async fn end_other_sessions(
        &self,
        actor: &Actor,
        user_id: i64,
        keep_session: i64,
    ) -> StoreResult<u64>;

    /// The active users who must change their password before anything else.
    async fn users_to_change_password(&self) -> StoreResult<Vec<i64>>;

    /// Whether an active 系统管理员 exists.
    async fn system_admin_exists(&self) -> StoreResult<bool>;
}

#[async_trait::async_trait]
impl<D> ProfileStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, change))]
    async fn update_profile(
        &self,
        actor: &Actor,
        user_id: i64,
        version: i64,
        change: &ProfileChange,
    ) -> StoreResult<User> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_user(&mut tx, user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let updated = sqlx::query(
            "UPDATE users SET name = $1, phone = $2, email = $3, version = version + 1,
                              updated_at = $4
             WHERE id = $5 AND version = $6",
        )
        .bind(&change.name)
        .bind(&change.phone)
        .bind(&change.email)
        .bind(actor.at)
        .bind(user_id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Stale);
        }
        let after = Self::fetch_user(&mut tx, user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update_profile", "user", user_id)
                .before(&before.snapshot())
                .after(&after.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self, actor, hash))]
    async fn change_password(
        &self,
        actor: &Actor,
        user_id: i64,
        hash: &PasswordHash,
        keep_session: Option<i64>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = FALSE,
                              version = version + 1, updated_at = $2
             WHERE id = $3",
        )
        .bind(hash.as_stored())
        .bind(actor.at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let ended = sqlx::query(
            "UPDATE sessions SET ended_at = $1
             WHERE user_id = $2 AND ended_at IS NULL AND id <> $3",
        )
        .bind(actor.at)
        .bind(user_id)
        .bind(keep_session.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
        // The hash itself is never written to the trail.
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "change_password", "user", user_id)
                .after(&serde_json::json!({ "other_sessions_ended": ended.rows_affected() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn live_sessions(&self, user_id: i64) -> StoreResult<Vec<Session>> {
        Ok(sqlx::query_as(&format!(
            "{SESSION_COLUMNS} WHERE user_id = $1 AND ended_at IS NULL ORDER BY id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn end_other_sessions(
        &self,
        actor: &Actor,
        user_id: i64,
        keep_session: i64,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let ended = sqlx::query(
            "UPDATE sessions SET ended_at = $1
             WHERE user_id = $2 AND ended_at IS NULL AND id <> $3",
        )
        .bind(actor.at)
        .bind(user_id)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?;
        let count = ended.rows_affected();
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "end_other_sessions", "user", user_id)
                .after(&serde_json::json!({ "sessions_ended": count })),
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    async fn users_to_change_password(&self) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM users WHERE must_change_password = TRUE AND disabled = FALSE",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn system_admin_exists(&self) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
             WHERE r.role = $1 AND u.disabled = FALSE LIMIT 1",
        )
        .bind(app::model::Role::SystemAdmin.code())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }
}
