//! Persistence: one [`Store`] trait, implemented for SQLite (the embedded default) and for
//! PostgreSQL (the scale-out path). `DATABASE_URL` chooses. Every data query takes what it needs
//! to stay inside the caller's scope; every write that changes business data appends its audit
//! entry in the same transaction (see [`audit`]).

pub mod activities;
pub mod activity_list;
pub mod admin_users;
pub mod analysis;
pub mod announcements;
pub mod attachments;
pub mod audit;
pub mod audit_query;
pub mod batch;
pub mod customers;
pub mod dialect;
pub mod dictionaries;
pub mod evaluations;
pub mod import;
pub mod jobs;
pub mod milestones;
pub mod model;
pub mod opportunities;
pub mod org_admin;
pub mod outreach;
pub mod people;
pub mod postgres;
pub mod profile;
pub mod quotes;
pub mod rankings;
pub mod sessions;
pub mod shares;
pub mod sql;
pub mod sqlite;
mod store;
pub mod tasks;
pub mod transfer;
pub mod warnings;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub use audit::{Actor, AuditRecord};
pub use model::{
    DemoData, DictItem, DictKind, NewOrgUnit, NewUser, OrgUnit, PageSession, Session, User,
    UserBrief,
};

pub type StoreResult<T> = Result<T, StoreError>;

/// The PostgreSQL channel live events travel on between instances (`NOTIFY` / `LISTEN`).
pub const EVENT_CHANNEL: &str = "bizopp_events";

/// What the store can fail with. The database's own message is logged by the caller, never
/// shown to a user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the constraint or column that did.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("record not found")]
    NotFound,
    /// The record changed since the caller read it (its version moved on).
    #[error("record changed since it was read")]
    Stale,
    /// A customer with opportunities is kept (合并 moves them; deleting never does).
    #[error("the customer has opportunities")]
    CustomerHasOpportunities,
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(
                db.constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| db.message().to_owned()),
            ),
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// PostgreSQL ended this transaction to break a deadlock (or could not serialize it):
    /// nothing of it was written, and running it again is safe.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e))
            if matches!(e.code().as_deref(), Some("40P01" | "40001")))
    }

    /// Whether the unique index `index` on `table.column` refused the write: PostgreSQL names
    /// the index, SQLite the column. Any other conflict is not this one.
    pub fn violates(&self, index: &str, column: &str) -> bool {
        matches!(self, StoreError::Conflict(c) if c == index || c.ends_with(&format!(": {column}")))
    }

    /// Whether another customer already holds the name (its normalised key).
    pub fn is_customer_name_taken(&self) -> bool {
        self.violates("customers_name_key", "customers.name_key")
    }
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[async_trait]
pub trait Store:
    customers::CustomerStore
    + opportunities::OpportunityStore
    + attachments::AttachmentStore
    + activities::ActivityStore
    + activity_list::ActivityListStore
    + quotes::QuoteStore
    + milestones::MilestoneStore
    + evaluations::EvaluationStore
    + analysis::AnalysisStore
    + warnings::WarningStore
    + rankings::RankingStore
    + announcements::AnnouncementStore
    + people::PeopleStore
    + sessions::SessionStore
    + profile::ProfileStore
    + admin_users::AdminUserStore
    + dictionaries::DictionaryStore
    + shares::ShareStore
    + tasks::TaskStore
    + transfer::TransferStore
    + batch::BatchStore
    + jobs::JobStore
    + import::ImportStore
    + outreach::OutreachStore
    + org_admin::OrgAdminStore
    + audit_query::AuditQueryStore
    + customers::contacts::ContactStore
    + customers::merge::CustomerMergeStore
    + customers::relations::RelationStore
    + opportunities::steps::StepStore
    + opportunities::lists::OpportunityListStore
    + opportunities::page::OpportunityPageStore
    + Send
    + Sync
{
    fn backend(&self) -> Backend;

    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;

    /// Refreshes the planner's statistics where the database does not by itself.
    async fn refresh_statistics(&self) -> StoreResult<()>;

    /// Appends an entry that records an event changing no business row (a refused login).
    async fn append_audit(&self, entry: &audit::AuditEntry) -> StoreResult<()>;

    /// The active items of one dictionary, in display order.
    async fn dictionary(&self, kind: DictKind) -> StoreResult<Vec<DictItem>>;

    /// The audit trail of one record, oldest first.
    async fn audit_trail(&self, entity: &str, entity_id: &str) -> StoreResult<Vec<AuditRecord>>;

    /// Hands a live event to every instance on this database: PostgreSQL `NOTIFY`s it (each
    /// instance's listener delivers it); SQLite has one instance, and answers `false` for the
    /// caller to deliver it.
    async fn publish_event(&self, payload: &str) -> StoreResult<bool>;

    /// Writes the demo organisation and users when the database has no users yet, in one
    /// transaction, once: returns whether it did.
    async fn seed_demo(&self, data: &DemoData, at: DateTime<Utc>) -> StoreResult<bool>;
}

/// Opens the database named by `url`, creating an SQLite file (and its folder) when missing,
/// and applies the migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    }
}

/// Runs a write again (three times in all at most) when the database ended it to break a
/// deadlock: concurrent writes that lock the same rows in different orders (a merge, a 转交 and
/// an import of the same customers) then all complete.
pub async fn retrying<T, F, Fut>(mut write: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = StoreResult<T>>,
{
    let mut attempt = 1;
    loop {
        match write().await {
            Err(e) if e.is_retryable() && attempt < 3 => {
                tracing::warn!(attempt, error = %e, "write ended by the database; running it again");
                attempt += 1;
            }
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StoreError;

    #[test]
    fn a_taken_customer_name_is_recognised_on_both_databases_and_nothing_else_is() {
        let postgres = StoreError::Conflict("customers_name_key".into());
        let sqlite = StoreError::Conflict("UNIQUE constraint failed: customers.name_key".into());
        assert!(postgres.is_customer_name_taken() && sqlite.is_customer_name_taken());
        for other in [
            "users_login_key",
            "UNIQUE constraint failed: users.login",
            "UNIQUE constraint failed: opportunity_customers.opportunity_id, opportunity_customers.customer_id",
            "UNIQUE constraint failed: customers.name_key_other",
        ] {
            assert!(!StoreError::Conflict(other.into()).is_customer_name_taken(), "{other}");
        }
        assert!(!StoreError::Stale.is_customer_name_taken());
    }
}
