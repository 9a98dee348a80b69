//! The audit trail: who changed what, when, from what to what. Store writes append an
//! [`AuditEntry`] in the transaction that makes the change, so the trail cannot miss one.

use chrono::{DateTime, Utc};
use serde::Serialize;

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
}
