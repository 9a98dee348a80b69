//! The embedded default: one SQLite file, WAL on, created with its folder on first start.

use super::activities::impl_activity_store;
use super::announcements::impl_announcement_store;
use super::attachments::impl_attachment_store;
use super::portable_opportunities::{impl_opportunity_store, task_select};
use super::rankings::impl_ranking_store;
use super::{portable::impl_store, portable_customers::impl_customer_store, Backend, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    const BACKEND: Backend = Backend::Sqlite;

    /// Opens (creating if needed) the file of `url` and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Database(e.into()))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }

    /// A transaction that holds the write lock from its start: one that read first and wrote
    /// later would fail with "database is locked" under concurrent writers.
    async fn begin_write(&self) -> Result<Transaction<'_, Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// ` FROM customers c … WHERE` the FTS5 trigram index holds `text` (a quoted phrase).
    fn push_search_match<'a>(qb: &mut sqlx::QueryBuilder<'a, Sqlite>, text: &str) {
        qb.push(" FROM customer_search s JOIN customers c ON c.id = s.rowid WHERE customer_search MATCH ")
            .push_bind(format!("\"{}\"", text.replace('"', "\"\"")));
    }

    /// The order of a name-prefix 快速查找, as `customers_name` holds it.
    const NAME_PREFIX_ORDER: &'static str = " ORDER BY c.name, c.id";

    /// `c.name` starts with `text` (SQLite's LIKE prefix runs on `customers_name`).
    fn push_name_prefix<'a>(qb: &mut sqlx::QueryBuilder<'a, Sqlite>, text: &str) {
        qb.push("c.name LIKE ")
            .push_bind(format!("{}%", super::customers::like_escape(text)))
            .push(" ESCAPE '\\'");
    }

    /// ` AND c.id IN (<customers whose quick-find text holds text>)`, on the FTS5 trigram
    /// index (`text` of three or more characters).
    fn push_search_candidates<'a>(qb: &mut sqlx::QueryBuilder<'a, Sqlite>, text: &str) {
        qb.push(" AND c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ")
            .push_bind(format!("\"{}\"", text.replace('"', "\"\"")))
            .push(")");
    }

    async fn delete_customer_search(
        conn: &mut SqliteConnection,
        id: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM customer_search WHERE rowid = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Replaces the customer's row in the FTS5 quick-find index (rowid = customer id).
    async fn upsert_customer_search(
        conn: &mut SqliteConnection,
        id: i64,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM customer_search WHERE rowid = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO customer_search (rowid, body) VALUES ($1, $2)")
            .bind(id)
            .bind(body)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// One instance serves an SQLite file: events are delivered in-process by the caller.
    async fn notify(&self, _payload: &str) -> Result<bool, sqlx::Error> {
        Ok(false)
    }

    /// Copies the database into `path` as one consistent file (used to make test templates).
    pub async fn vacuum_into(&self, path: &str) -> Result<(), StoreError> {
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl_store!(SqliteStore, Sqlite);
impl_customer_store!(SqliteStore, Sqlite);
impl_opportunity_store!(SqliteStore, Sqlite);
impl_attachment_store!(SqliteStore);
impl_activity_store!(SqliteStore);
impl_ranking_store!(SqliteStore, Sqlite);
impl_announcement_store!(SqliteStore, Sqlite);
