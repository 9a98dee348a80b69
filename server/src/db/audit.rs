//! The audit trail: who changed what, when, from what to what. Store writes append an
//! [`AuditEntry`] in the transaction that makes the change, so the trail cannot miss one.

use super::dialect::Dialect;
use super::sql::{SqlStore, Value};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Encode, Executor, IntoArguments, Type};

/// Who acts, and when (from the server's clock). `user_id` is `None` for the system itself
/// (migrations, demo data).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub at: DateTime<Utc>,
}

impl Actor {
    pub fn user(user_id: i64, at: DateTime<Utc>) -> Self {
        Self {
            user_id: Some(user_id),
            at,
        }
    }

    pub fn system(at: DateTime<Utc>) -> Self {
        Self { user_id: None, at }
    }
}

/// One entry to append. `before`/`after` are JSON snapshots of what changed; secrets (password
/// hashes) never go into them.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: Actor,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Where the request that made it came from.
    pub client_addr: Option<String>,
}

impl AuditEntry {
    pub fn new(actor: &Actor, action: &'static str, entity: &'static str, id: i64) -> Self {
        Self {
            actor: *actor,
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: None,
            client_addr: crate::client_addr::current(),
        }
    }

    pub fn before(mut self, snapshot: &impl Serialize) -> Self {
        self.before = serde_json::to_string(snapshot).ok();
        self
    }

    pub fn after(mut self, snapshot: &impl Serialize) -> Self {
        self.after = serde_json::to_string(snapshot).ok();
        self
    }
}

/// An entry as read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub client_addr: Option<String>,
}

impl<D> SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    for<'q> D::Arguments<'q>: IntoArguments<'q, D>,
    for<'n> &'n str: Encode<'n, D> + Type<D>,
    i64: Value<D>,
    Option<i64>: Value<D>,
    String: Value<D>,
    Option<String>: Value<D>,
    DateTime<Utc>: Value<D>,
{
    /// The one way an audit entry is written; called inside the transaction that makes the
    /// change it records.
    pub(in crate::db) async fn append_audit(
        conn: &mut D::Connection,
        entry: &AuditEntry,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before_json, after_json,
                                    client_addr)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry.actor.at)
        .bind(entry.actor.user_id)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(&entry.entity_id)
        .bind(&entry.before)
        .bind(&entry.after)
        .bind(&entry.client_addr)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
