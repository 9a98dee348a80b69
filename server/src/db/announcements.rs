//! 公告通知 as stored. Publishing sends every user of the audience a 待阅消息 in the same
//! transaction. A withdrawn announcement is kept (its messages point at it) but no longer
//! listed or shown.

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreResult};
use crate::db::audit::AuditEntry;
use crate::db::StoreError;
use app::model::opportunity::MessageKind;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// An announcement to publish, with the users its 待阅消息 go to.
#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub title: String,
    pub body: String,
    /// One city, or the province when `None`.
    pub city_id: Option<i64>,
    pub attachment_id: Option<i64>,
    pub audience: Vec<i64>,
}

/// What a publisher may change after publishing (not the audience: it has been told).
#[derive(Debug, Clone)]
pub struct AnnouncementChange {
    pub title: String,
    pub body: String,
    pub attachment_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub city_id: Option<i64>,
    pub attachment_id: Option<i64>,
    pub publisher_id: i64,
    pub publisher_name: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// Which announcements to list: those for the province and for `city` (every one when
/// `all_cities`), newest first, after a keyset.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementQuery {
    pub all_cities: bool,
    pub city_id: Option<i64>,
    pub title_contains: Option<String>,
    /// The previous page's last row: (published_at, id).
    pub before: Option<(DateTime<Utc>, i64)>,
    pub limit: u32,
}

#[async_trait]
pub trait AnnouncementStore {
    /// Publishes, with a 待阅消息 for each user of the audience; audited.
    async fn publish_announcement(&self, actor: &Actor, new: &NewAnnouncement) -> StoreResult<i64>;

    async fn announcement(&self, id: i64) -> StoreResult<Option<Announcement>>;

    /// Listed (not withdrawn) announcements.
    async fn announcements(&self, q: &AnnouncementQuery) -> StoreResult<Vec<Announcement>>;

    /// Changes a published announcement if still at `version` (`StoreError::Stale` otherwise); audited.
    async fn update_announcement(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        change: &AnnouncementChange,
    ) -> StoreResult<()>;

    /// Withdraws it; audited.
    async fn withdraw_announcement(&self, actor: &Actor, id: i64) -> StoreResult<()>;
}

pub(crate) const ANNOUNCEMENT_SELECT: &str = "SELECT a.id, a.title, a.body, a.city_id,
        a.attachment_id, a.publisher_id, u.name AS publisher_name, a.published_at, a.updated_at,
        a.withdrawn_at, a.version
     FROM announcements a JOIN users u ON u.id = a.publisher_id";

#[async_trait::async_trait]
impl<D> AnnouncementStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, new), fields(audience = new.audience.len()))]
    async fn publish_announcement(&self, actor: &Actor, new: &NewAnnouncement) -> StoreResult<i64> {
        let publisher = actor.user_id.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO announcements (title, body, city_id, attachment_id, publisher_id, published_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&new.title)
        .bind(&new.body)
        .bind(new.city_id)
        .bind(new.attachment_id)
        .bind(publisher)
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        // In batches: one statement per few hundred users, whatever the audience.
        for chunk in new.audience.chunks(500) {
            let mut q = sqlx::QueryBuilder::<D>::new(
                "INSERT INTO messages (user_id, kind, announcement_id, title, created_at) ",
            );
            q.push_values(chunk, |mut row, user| {
                row.push_bind(*user)
                    .push_bind(MessageKind::Announcement.code())
                    .push_bind(id)
                    .push_bind(&new.title)
                    .push_bind(actor.at);
            });
            D::built(&mut q).execute(&mut *tx).await?;
        }
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "publish", "announcement", id).after(&serde_json::json!({
                "title": new.title,
                "body": new.body,
                "city_id": new.city_id,
                "attachment_id": new.attachment_id,
                "audience": new.audience.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn announcement(&self, id: i64) -> StoreResult<Option<Announcement>> {
        let sql = format!("{} WHERE a.id = $1", ANNOUNCEMENT_SELECT);
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn announcements(&self, q: &AnnouncementQuery) -> StoreResult<Vec<Announcement>> {
        let mut sql = sqlx::QueryBuilder::<D>::new(ANNOUNCEMENT_SELECT);
        sql.push(" WHERE a.withdrawn_at IS NULL");
        if !q.all_cities {
            sql.push(" AND (a.city_id IS NULL");
            if let Some(city) = q.city_id {
                sql.push(" OR a.city_id = ").push_bind(city);
            }
            sql.push(")");
        }
        if let Some(text) = &q.title_contains {
            sql.push(" AND LOWER(a.title) LIKE ")
                .push_bind(format!(
                    "%{}%",
                    crate::db::customers::like_escape(&text.to_lowercase())
                ))
                .push(" ESCAPE '\\'");
        }
        if let Some((at, id)) = q.before {
            sql.push(" AND (a.published_at, a.id) < (")
                .push_bind(at)
                .push(", ")
                .push_bind(id)
                .push(")");
        }
        sql.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(q.limit.clamp(1, 200)));
        Ok(D::built_as(&mut sql).fetch_all(&self.pool).await?)
    }

    #[tracing::instrument(skip(self, actor, change))]
    async fn update_announcement(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        change: &AnnouncementChange,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before: Option<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT title, body, attachment_id FROM announcements WHERE id = $1 AND withdrawn_at IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else {
            return Err(StoreError::NotFound);
        };
        let changed = sqlx::query(
            "UPDATE announcements SET title = $1, body = $2, attachment_id = $3, updated_at = $4,
                version = version + 1
             WHERE id = $5 AND version = $6 AND withdrawn_at IS NULL",
        )
        .bind(&change.title)
        .bind(&change.body)
        .bind(change.attachment_id)
        .bind(actor.at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "announcement", id)
                .before(&serde_json::json!({ "title": before.0, "body": before.1, "attachment_id": before.2 }))
                .after(&serde_json::json!({
                    "title": change.title,
                    "body": change.body,
                    "attachment_id": change.attachment_id,
                })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn withdraw_announcement(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE announcements SET withdrawn_at = $1, version = version + 1
             WHERE id = $2 AND withdrawn_at IS NULL",
        )
        .bind(actor.at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            Self::append_audit(
                &mut tx,
                &AuditEntry::new(actor, "withdraw", "announcement", id),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
