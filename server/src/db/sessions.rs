//! Signing in: failed logins counted atomically (the lockout), and sessions opened, kept alive
//! and ended, each in the audit trail.

use super::audit::AuditEntry;
use super::dialect::{Dialect, RowsAffected};
use super::model::{PageSession, Session};
use super::sql::{SqlStore, Value};
use super::StoreResult;
use crate::db::Actor;
use crate::policy::lockout::{FailureState, LockoutPolicy};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// The columns of [`Session`], as the start of a SELECT (the directory's version read with it).
pub(super) const SESSION_COLUMNS: &str = "SELECT id, user_id, created_at, last_seen_at,
    (SELECT version FROM directory_version WHERE id = 1) AS directory_version FROM sessions";

/// Login failures and sessions.
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync {
    /// Counts one failed login in SQL (an atomic increment within `policy`'s window, so
    /// parallel failures all count), locks the account when the count reaches the limit, and
    /// records both in the audit trail; returns the counters after.
    async fn record_login_failure(
        &self,
        user_id: i64,
        policy: &LockoutPolicy,
        at: DateTime<Utc>,
    ) -> StoreResult<FailureState>;

    /// Opens a session for `user_id` (the token is kept only as `token_hash`), resets the
    /// failure counters and records the login; unless the account is locked at `at`, when it
    /// writes nothing and answers `false`.
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// The live (not ended) session of `token_hash`.
    async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>>;

    /// The same, with the menu's counts for the page about to be shown (the user's open tasks
    /// and unread messages) read by the same statement: a page would otherwise pay a second
    /// trip to the database for them.
    async fn session_for_page(&self, token_hash: &str) -> StoreResult<Option<PageSession>>;

    /// Moves each session's last-seen time forward to the one given (never back).
    async fn touch_sessions(&self, seen: &[(i64, DateTime<Utc>)]) -> StoreResult<()>;

    /// Ends a session; `reason` goes to the audit trail (logout, idle, expired…).
    async fn end_session(
        &self,
        id: i64,
        reason: &'static str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> SessionStore for SqlStore<D>
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
    async fn record_login_failure(
        &self,
        user_id: i64,
        policy: &LockoutPolicy,
        at: DateTime<Utc>,
    ) -> StoreResult<FailureState> {
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
        let mut failures = FailureState {
            failed_logins: count,
            first_failed_at: first,
            locked_until: locked_until.filter(|until| *until > at),
        };
        let actor = Actor::system(at);
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(&actor, "login_failed", "user", user_id),
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
            failures = FailureState {
                failed_logins: 0,
                first_failed_at: None,
                locked_until: Some(until),
            };
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(&actor, "lock", "user", user_id)
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
    ) -> StoreResult<bool> {
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
            &AuditEntry::new(&Actor::user(user_id, at), "login", "user", user_id)
                .after(&serde_json::json!({ "session": session_id })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    #[tracing::instrument(skip_all)]
    async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>> {
        Ok(sqlx::query_as(&format!(
            "{SESSION_COLUMNS} WHERE token_hash = $1 AND ended_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip_all)]
    async fn session_for_page(&self, token_hash: &str) -> StoreResult<Option<PageSession>> {
        let row: Option<(i64, i64, DateTime<Utc>, DateTime<Utc>, i64, i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.user_id, s.created_at, s.last_seen_at,
                        (SELECT version FROM directory_version WHERE id = 1),
                        (SELECT COUNT(*) FROM tasks t
                         WHERE t.assignee_id = s.user_id AND t.open = TRUE),
                        (SELECT COUNT(*) FROM messages m
                         WHERE m.user_id = s.user_id AND m.read_at IS NULL)
                 FROM sessions s WHERE s.token_hash = $1 AND s.ended_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(id, user_id, created_at, last_seen_at, directory_version, todo, unread)| {
                PageSession {
                    session: Session {
                        id,
                        user_id,
                        created_at,
                        last_seen_at,
                        directory_version,
                    },
                    todo,
                    unread,
                }
            },
        ))
    }

    #[tracing::instrument(skip(self, seen), fields(count = seen.len()))]
    async fn touch_sessions(&self, seen: &[(i64, DateTime<Utc>)]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for &(id, at) in seen {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1",
            )
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn end_session(
        &self,
        id: i64,
        reason: &'static str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
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
                Actor::user(user_id, at)
            } else {
                Actor::system(at)
            };
            Self::append_audit(&mut tx, &AuditEntry::new(&actor, reason, "session", id)).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
