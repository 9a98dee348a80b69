//! The one store: [`SqlStore<D>`] over a sqlx pool of either database. Its methods are
//! ordinary generic functions; what differs between the databases is asked of [`Dialect`].
//!
//! Rust does not carry a trait's `where` clauses to its users, so each `impl` block over `D`
//! repeats the bounds the SQL needs: the connection runs queries, the argument list binds, and
//! the column types ([`Value`]) encode and decode.

use super::dialect::Dialect;
use sqlx::{Decode, Encode, Pool, Transaction, Type};

pub struct SqlStore<D: Dialect> {
    pub(super) pool: Pool<D>,
    /// Where writes run. PostgreSQL: the same pool. SQLite: one connection of its own, so
    /// writers wait in the pool's first-come queue instead of SQLite's busy handler, which
    /// sleeps up to 100 ms between tries while holding a connection readers need (a burst
    /// of writes stalled every page for over a second).
    pub(super) writer: Pool<D>,
    /// SQLite: the database file, held with a shared lock while the store is open, so a
    /// restore (which takes it exclusively) refuses to replace a file an app is using.
    pub(super) _in_use: Option<std::fs::File>,
}

impl<D: Dialect> SqlStore<D> {
    pub(super) fn new(pool: Pool<D>) -> Self {
        Self {
            writer: pool.clone(),
            pool,
            _in_use: None,
        }
    }

    /// A transaction for a write (see [`Dialect::begin_write`]).
    pub(super) async fn begin_write(&self) -> Result<Transaction<'static, D>, sqlx::Error> {
        D::begin_write(&self.writer).await
    }

    /// Closes every connection (a PostgreSQL template database must have none to be copied).
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// A column type both databases store and read back: `i64`, `bool`, `String`, times, bytes.
pub trait Value<D: sqlx::Database>:
    for<'q> Encode<'q, D> + for<'r> Decode<'r, D> + Type<D> + Send + Sync
{
}

impl<D: sqlx::Database, T> Value<D> for T where
    T: for<'q> Encode<'q, D> + for<'r> Decode<'r, D> + Type<D> + Send + Sync
{
}

/// Whether a statement may be prepared once and kept: not when it matches a text pattern.
/// PostgreSQL gives a kept statement a generic plan after five runs, and the generic plan of
/// `LOWER(name) LIKE $1` cannot tell a rare text (a trigram index, a few milliseconds) from a
/// common one (a walk in id order): a one-match 客户名称 search walked a million customers
/// (0.4 s). Unkept, each search is planned for its own text.
pub(in crate::db) fn kept_unless_searching(searching: bool) -> bool {
    !searching
}
