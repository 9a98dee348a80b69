//! The scale-out path: several app instances on one PostgreSQL database.

use super::activities::impl_activity_store;
use super::announcements::impl_announcement_store;
use super::attachments::impl_attachment_store;
use super::portable_opportunities::{impl_opportunity_store, task_select};
use super::rankings::impl_ranking_store;
use super::{portable::impl_store, portable_customers::impl_customer_store, Backend, StoreError};
use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use std::time::Duration;

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    const BACKEND: Backend = Backend::Postgres;

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
        Ok(Self { pool })
    }

    /// `NOTIFY`s every instance listening on this database (see `events`).
    async fn notify(&self, payload: &str) -> Result<bool, sqlx::Error> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(crate::db::EVENT_CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    async fn begin_write(&self) -> Result<Transaction<'_, Postgres>, sqlx::Error> {
        self.pool.begin().await
    }

    /// ` FROM customers c … WHERE` the trigram-indexed body contains `text`.
    fn push_search_match<'a>(qb: &mut sqlx::QueryBuilder<'a, Postgres>, text: &str) {
        qb.push(
            " FROM customer_search s JOIN customers c ON c.id = s.customer_id WHERE s.body ILIKE ",
        )
        .push_bind(format!("%{}%", super::customers::like_escape(text)))
        .push(" ESCAPE '\\'");
    }

    /// The order of a name-prefix 快速查找: byte order, as `customers_name_c` holds it, so the
    /// index gives the first rows without sorting every match.
    const NAME_PREFIX_ORDER: &'static str = " ORDER BY c.name COLLATE \"C\", c.id";

    /// `c.name` starts with `text`, as a range on `customers_name_c`.
    fn push_name_prefix<'a>(qb: &mut sqlx::QueryBuilder<'a, Postgres>, text: &str) {
        qb.push("c.name COLLATE \"C\" LIKE ")
            .push_bind(format!("{}%", super::customers::like_escape(text)))
            .push(" ESCAPE '\\'");
    }

    /// Nothing to add: `LOWER(c.name) LIKE` is itself served by the name's trigram index.
    fn push_search_candidates<'a>(_qb: &mut sqlx::QueryBuilder<'a, Postgres>, _text: &str) {}

    async fn delete_customer_search(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM customer_search WHERE customer_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Replaces the customer's row in the trigram-indexed quick-find table.
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

    /// Closes every connection (a template database must have none to be copied).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl_store!(PgStore, Postgres);
impl_customer_store!(PgStore, Postgres);
impl_opportunity_store!(PgStore, Postgres);
impl_attachment_store!(PgStore);
impl_activity_store!(PgStore);
impl_ranking_store!(PgStore, Postgres);
impl_announcement_store!(PgStore, Postgres);
