//! What differs between the two databases, named. Everything else in the store is one SQL text
//! for both (the schema is kept portable: integer ids, TEXT/TIMESTAMPTZ times, integer fen, and
//! both drivers accept `$1` parameters), written as ordinary generic functions over the sqlx
//! database type `D: Dialect` in `SqlStore` (`db/sql.rs`).

use super::Backend;
use sqlx::database::HasStatementCache;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Database, FromRow, Pool, QueryBuilder, Transaction};
use std::future::Future;

/// A database the store runs on: implemented for [`sqlx::Sqlite`] and [`sqlx::Postgres`].
pub trait Dialect: Database<QueryResult: RowsAffected> + HasStatementCache + Sized {
    const BACKEND: Backend;

    /// The order of a name-prefix 快速查找, as the name index holds it (so the index gives the
    /// first rows without sorting every match).
    const NAME_PREFIX_ORDER: &'static str;

    /// Run first in a fold of 统计分析's cells, so two folds never overlap (one that did would
    /// subtract the same old fact twice).
    const FOLD_LOCK: &'static str;

    /// Appended to a `SELECT` of rows a write transaction is about to change, to hold them until
    /// it ends (PostgreSQL's `FOR UPDATE`; nothing on SQLite, whose write transaction already
    /// excludes every other writer). Writers of several customers take them in id order.
    const ROW_LOCK: &'static str;

    /// Run hourly to keep the planner's statistics fresh, where the database does not do it
    /// by itself (PostgreSQL's autovacuum does).
    const OPTIMIZE: Option<&'static str>;

    /// A transaction for a write. SQLite must take its write lock up front: one that read
    /// first and wrote later would fail with "database is locked" under concurrent writers.
    fn begin_write(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<Transaction<'static, Self>, sqlx::Error>> + Send;

    /// ` FROM customers c … WHERE` the quick-find index holds `text` (three or more characters).
    fn push_search_match(qb: &mut QueryBuilder<'_, Self>, text: &str);

    /// `c.name` starts with `text`, served by the name index.
    fn push_name_prefix(qb: &mut QueryBuilder<'_, Self>, text: &str);

    /// ` AND c.id IN (<customers whose quick-find text holds text>)` where the database needs
    /// the hint to use its index; nothing where the plain condition already does.
    fn push_search_candidates(qb: &mut QueryBuilder<'_, Self>, text: &str);

    /// ` AND o.id IN (<opportunities whose name holds text>)` for a text of three characters
    /// or more, where the database needs the hint to use its trigram index.
    fn push_opportunity_name_candidates(qb: &mut QueryBuilder<'_, Self>, text: &str);

    /// Removes the customer's row from the quick-find index.
    fn delete_customer_search(
        conn: &mut Self::Connection,
        id: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Replaces the customer's row in the quick-find index.
    fn upsert_customer_search(
        conn: &mut Self::Connection,
        id: i64,
        body: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Hands a live event to every instance on the database; `false`: this database has one
    /// instance, and the caller delivers it.
    fn notify(
        pool: &Pool<Self>,
        payload: &str,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    // sqlx's builders lend their arguments for as long as the builder itself lives when the
    // database is a type parameter (the compiler cannot shorten a lifetime inside
    // `D::Arguments<'_>`), so a built query could never be run and the builder dropped. Each
    // database builds with the shorter borrow, as its concrete argument type allows.

    /// [`QueryBuilder::build`], borrowing the builder only while the query runs.
    fn built<'a>(qb: &'a mut QueryBuilder<'_, Self>) -> Query<'a, Self, Self::Arguments<'a>>;

    /// [`QueryBuilder::build_query_as`], borrowing the builder only while the query runs.
    fn built_as<'a, O>(
        qb: &'a mut QueryBuilder<'_, Self>,
    ) -> QueryAs<'a, Self, O, Self::Arguments<'a>>
    where
        O: for<'r> FromRow<'r, Self::Row>;

    /// [`QueryBuilder::build_query_scalar`], borrowing the builder only while the query runs.
    fn built_scalar<'a, O>(
        qb: &'a mut QueryBuilder<'_, Self>,
    ) -> QueryScalar<'a, Self, O, Self::Arguments<'a>>
    where
        (O,): for<'r> FromRow<'r, Self::Row>;
}

/// How many rows a statement changed (each driver's result says it in its own type).
pub trait RowsAffected {
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}
