//! The scale-out path: several app instances on one PostgreSQL database.

use super::dialect::Dialect;
use super::sql::SqlStore;
use super::{Backend, StoreError};
use crate::db::EVENT_CHANNEL;
use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::PgPoolOptions;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{FromRow, PgConnection, Pool, Postgres, QueryBuilder, Transaction};
use std::time::Duration;

pub type PgStore = SqlStore<Postgres>;

impl SqlStore<Postgres> {
    /// Connects (creating the database when it does not exist yet) and applies the migrations
    /// (sqlx holds an advisory lock meanwhile, so instances starting together do not race).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if !Postgres::database_exists(url).await? {
            // Another instance may have created it a moment ago; then this fails harmlessly.
            let _ = Postgres::create_database(url).await;
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        Ok(Self::new(pool))
    }
}

/// Quick find runs on trigram indexes (`customer_search.body`, the name's own).
impl Dialect for Postgres {
    const BACKEND: Backend = Backend::Postgres;

    /// Byte order, as `customers_name_c` holds it.
    const NAME_PREFIX_ORDER: &'static str = " ORDER BY c.name COLLATE \"C\", c.id";
    // Any number no other lock of this database takes; released at commit.
    const FOLD_LOCK: &'static str = "SELECT pg_advisory_xact_lock(18001)";
    const ROW_LOCK: &'static str = " FOR UPDATE";
    const OPTIMIZE: Option<&'static str> = None;

    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, sqlx::Error> {
        pool.begin().await
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
        qb.push(
            " FROM customer_search s JOIN customers c ON c.id = s.customer_id WHERE s.body ILIKE ",
        )
        .push_bind(format!("%{}%", super::customers::like_escape(text)))
        .push(" ESCAPE '\\'");
    }

    /// A range on `customers_name_c`.
    fn push_name_prefix(qb: &mut QueryBuilder<'_, Self>, text: &str) {
        qb.push("c.name COLLATE \"C\" LIKE ")
            .push_bind(format!("{}%", super::customers::like_escape(text)))
            .push(" ESCAPE '\\'");
    }

    /// Nothing to add: `LOWER(c.name) LIKE` is itself served by the name's trigram index.
    fn push_search_candidates(_qb: &mut QueryBuilder<'_, Self>, _text: &str) {}

    /// Nothing to add: `LOWER(o.name) LIKE` is served by `opportunities_name_trgm`.
    fn push_opportunity_name_candidates(_qb: &mut QueryBuilder<'_, Self>, _text: &str) {}

    async fn delete_customer_search(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM customer_search WHERE customer_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn upsert_customer_search(
        conn: &mut PgConnection,
        id: i64,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO customer_search (customer_id, body) VALUES ($1, $2)
             ON CONFLICT (customer_id) DO UPDATE SET body = EXCLUDED.body",
        )
        .bind(id)
        .bind(body)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// `NOTIFY`s every instance listening on this database (see `events`).
    async fn notify(pool: &Pool<Self>, payload: &str) -> Result<bool, sqlx::Error> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(EVENT_CHANNEL)
            .bind(payload)
            .execute(pool)
            .await?;
        Ok(true)
    }
}
