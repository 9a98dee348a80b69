//! The embedded default: one SQLite file, WAL on, created with its folder on first start.

use super::dialect::Dialect;
use super::sql::SqlStore;
use super::{Backend, StoreError};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, Pool, QueryBuilder, Sqlite, SqliteConnection, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type SqliteStore = SqlStore<Sqlite>;

impl SqlStore<Sqlite> {
    /// Opens (creating if needed) the file of `url` and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A decision, once answered, survives a power cut too: NORMAL may lose the last
            // commits then. Each commit syncs the WAL (about 0.2 ms on this machine's disk).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Database(e.into()))?;
            }
        }
        let file = options.get_filename().to_owned();
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        let in_use =
            crate::backup::hold_shared(&file).map_err(|e| StoreError::Database(e.into()))?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        // SQLite has one writer at a time anyway (see `SqlStore::writer`).
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let store = Self {
            pool,
            writer,
            _in_use: in_use,
        };
        // The planner's statistics, fresh from the start (all tables; see `OPTIMIZE`).
        sqlx::query("PRAGMA optimize=0x10002")
            .execute(&store.writer)
            .await?;
        Ok(store)
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

/// Quick find runs on an FTS5 trigram index (`customer_search`, rowid = customer id).
impl Dialect for Sqlite {
    const BACKEND: Backend = Backend::Sqlite;

    /// As `customers_name` holds it.
    const NAME_PREFIX_ORDER: &'static str = " ORDER BY c.name, c.id";
    // A write transaction here is already the only one.
    const FOLD_LOCK: &'static str = "SELECT 1";
    const ROW_LOCK: &'static str = "";
    // SQLite's advice for long-lived connections: ANALYZE (a bounded sample) the tables whose
    // size changed much since the last one. This build keeps no STAT4 samples
    // (.cargo/config.toml): with them every statement was prepared again on each execution.
    const OPTIMIZE: Option<&'static str> = Some("PRAGMA optimize");

    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    fn built<'a>(qb: &'a mut QueryBuilder<'_, Self>) -> Query<'a, Self, Self::Arguments<'a>> {
        qb.build()
    }

    fn built_as<'a, O>(
        qb: &'a mut QueryBuilder<'_, Self>,
    ) -> QueryAs<'a, Self, O, Self::Arguments<'a>>
    where
        O: for<'r> FromRow<'r, Self::Row>,
    {
        qb.build_query_as()
    }

    fn built_scalar<'a, O>(
        qb: &'a mut QueryBuilder<'_, Self>,
    ) -> QueryScalar<'a, Self, O, Self::Arguments<'a>>
    where
        (O,): for<'r> FromRow<'r, Self::Row>,
    {
        qb.build_query_scalar()
    }

    fn push_search_match(qb: &mut QueryBuilder<'_, Self>, text: &str) {
        qb.push(" FROM customer_search s JOIN customers c ON c.id = s.rowid WHERE customer_search MATCH ")
            .push_bind(fts_phrase(text));
    }

    /// SQLite's LIKE prefix runs on `customers_name`.
    fn push_name_prefix(qb: &mut QueryBuilder<'_, Self>, text: &str) {
        qb.push("c.name LIKE ")
            .push_bind(format!("{}%", super::customers::like_escape(text)))
            .push(" ESCAPE '\\'");
    }

    fn push_search_candidates(qb: &mut QueryBuilder<'_, Self>, text: &str) {
        qb.push(" AND c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ")
            .push_bind(fts_phrase(text))
            .push(")");
    }

    fn push_opportunity_name_candidates(qb: &mut QueryBuilder<'_, Self>, text: &str) {
        qb.push(" AND o.id IN (SELECT rowid FROM opportunity_names WHERE opportunity_names MATCH ")
            .push_bind(fts_phrase(text))
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

    async fn upsert_customer_search(
        conn: &mut SqliteConnection,
        id: i64,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        Self::delete_customer_search(conn, id).await?;
        sqlx::query("INSERT INTO customer_search (rowid, body) VALUES ($1, $2)")
            .bind(id)
            .bind(body)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// One instance serves an SQLite file: the caller delivers the event in-process.
    async fn notify(_pool: &Pool<Self>, _payload: &str) -> Result<bool, sqlx::Error> {
        Ok(false)
    }
}

/// `text` as one FTS5 phrase (quotes doubled).
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}
