//! 待办任务 and 待阅消息: the approvers' tasks, the messages users are sent, and the counts the
//! menu shows beside them.

use super::dialect::Dialect;
use super::opportunities::{ApprovalRecord, Message, NewMessage, TaskItem, TaskQuery};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreResult};
use crate::db::opportunities::TaskFilter;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// The columns of `TaskItem`, from tasks `t` with their opportunity `o` and its filer.
const TASK_SELECT: &str = "SELECT t.id, t.opportunity_id, o.name AS opportunity_name, t.flow, t.kind, t.assignee_id,
            t.open, t.created_at, t.closed_at, t.outcome, f.name AS filer_name
         FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id JOIN users f ON f.id = o.owner_id";

/// Tasks, the approval record, messages and their counts.
#[async_trait::async_trait]
pub trait TaskStore: Send + Sync {
    /// The 审批记录 of an opportunity, oldest first.
    async fn approval_records(&self, opportunity_id: i64) -> StoreResult<Vec<ApprovalRecord>>;

    /// A task by id (the caller checks who may open it).
    async fn task(&self, id: i64) -> StoreResult<Option<TaskItem>>;

    /// One page of `user_id`'s tasks, newest first.
    async fn tasks(&self, user_id: i64, query: &TaskQuery) -> StoreResult<Vec<TaskItem>>;

    /// Whether `user_id` ever held a task of the opportunity (approvers keep seeing it).
    async fn held_task(&self, user_id: i64, opportunity_id: i64) -> StoreResult<bool>;

    /// Sends messages (e.g. 共享), audited with `actor`.
    async fn send_messages(&self, actor: &Actor, messages: &[NewMessage]) -> StoreResult<()>;

    /// One page of `user_id`'s messages, newest first (only unread with `unread_only`).
    async fn messages(
        &self,
        user_id: i64,
        unread_only: bool,
        after_id: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<Message>>;

    /// The message, marked read now, if it is `user_id`'s.
    async fn read_message(
        &self,
        user_id: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Message>>;

    /// (open tasks, unread messages) of a user: the menu's badges.
    async fn badge_counts(&self, user_id: i64) -> StoreResult<(i64, i64)>;
}

#[async_trait::async_trait]
impl<D> TaskStore for SqlStore<D>
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
    async fn approval_records(&self, opportunity_id: i64) -> StoreResult<Vec<ApprovalRecord>> {
        Ok(sqlx::query_as(
            "SELECT r.id, r.task_id, r.flow, r.kind, a.name AS actor_name, r.at, r.opinion,
                n.name AS next_approver_name, r.changes_json
             FROM approval_records r
             JOIN users a ON a.id = r.actor_id
             LEFT JOIN users n ON n.id = r.next_approver_id
             WHERE r.opportunity_id = $1 ORDER BY r.id",
        )
        .bind(opportunity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn task(&self, id: i64) -> StoreResult<Option<TaskItem>> {
        Ok(sqlx::query_as(&format!("{TASK_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip(self, query))]
    async fn tasks(&self, user_id: i64, query: &TaskQuery) -> StoreResult<Vec<TaskItem>> {
        use crate::db::customers::like_escape;
        use TaskFilter;
        // 已办 are the steps the user decided (a returned step closed by 重新提交 is not
        // a decision).
        const DECIDED: &str =
            "t.open = FALSE AND t.outcome IN ('approve_end', 'approve_forward', 'return')";
        // Each branch walks the assignee's index newest first (`open` compared, so that the
        // index's second column serves it); 全部 is the union of the two, so that no list
        // sorts all of an approver's hundreds of thousands of tasks.
        let branches: &[&str] = match query.filter {
            TaskFilter::Todo => &["t.open = TRUE"],
            TaskFilter::Done => &[DECIDED],
            TaskFilter::All => &["t.open = TRUE", DECIDED],
        };
        let limit = i64::from(query.limit.clamp(1, 200));
        let mut qb = sqlx::QueryBuilder::<D>::new(TASK_SELECT);
        qb.push(" WHERE t.id IN (");
        for (i, branch) in branches.iter().enumerate() {
            if i > 0 {
                qb.push(" UNION ALL ");
            }
            qb.push("SELECT * FROM (SELECT t.id FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id WHERE t.assignee_id = ")
                .push_bind(user_id)
                .push(" AND ")
                .push(*branch);
            if let Some(t) = query
                .name_contains
                .as_deref()
                .filter(|t| !t.trim().is_empty())
            {
                qb.push(" AND LOWER(o.name) LIKE ")
                    .push_bind(format!("%{}%", like_escape(&t.trim().to_lowercase())))
                    .push(" ESCAPE '\\'");
            }
            if let Some(flow) = query.flow {
                qb.push(" AND t.flow = ").push_bind(flow.code());
            }
            if let Some(d) = query.from {
                qb.push(" AND t.created_at >= ")
                    .push_bind(Self::day_start(d));
            }
            if let Some(d) = query.to {
                qb.push(" AND t.created_at < ")
                    .push_bind(Self::day_start(d + chrono::Duration::days(1)));
            }
            if let Some(after) = query.after_id {
                qb.push(" AND t.id < ").push_bind(after);
            }
            qb.push(" ORDER BY t.id DESC LIMIT ")
                .push_bind(limit)
                .push(format!(") b{i}"));
        }
        qb.push(") ORDER BY t.id DESC LIMIT ").push_bind(limit);
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn held_task(&self, user_id: i64, opportunity_id: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM tasks WHERE assignee_id = $1 AND opportunity_id = $2",
        )
        .bind(user_id)
        .bind(opportunity_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    async fn send_messages(&self, actor: &Actor, messages: &[NewMessage]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for m in messages {
            Self::insert_message(&mut tx, m, actor.at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn messages(
        &self,
        user_id: i64,
        unread_only: bool,
        after_id: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<Message>> {
        let mut qb = sqlx::QueryBuilder::<D>::new(
            "SELECT id, kind, opportunity_id, customer_id, announcement_id, title, created_at, read_at
             FROM messages WHERE user_id = ",
        );
        qb.push_bind(user_id);
        if unread_only {
            qb.push(" AND read_at IS NULL");
        }
        if let Some(after) = after_id {
            qb.push(" AND id < ").push_bind(after);
        }
        qb.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 200)));
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn read_message(
        &self,
        user_id: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Message>> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE messages SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let message = sqlx::query_as(
            "SELECT id, kind, opportunity_id, customer_id, announcement_id, title, created_at, read_at
             FROM messages WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(message)
    }

    async fn badge_counts(&self, user_id: i64) -> StoreResult<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM tasks WHERE assignee_id = $1 AND open = TRUE),
                    (SELECT COUNT(*) FROM messages WHERE user_id = $1 AND read_at IS NULL)",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?)
    }
}

/// Reads and writes the methods above share, inside their connection or transaction.
impl<D> SqlStore<D>
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
    pub(in crate::db) async fn insert_message(
        conn: &mut D::Connection,
        m: &NewMessage,
        at: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO messages (user_id, kind, opportunity_id, customer_id, title, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(m.user_id)
        .bind(m.kind.code())
        .bind(m.opportunity_id)
        .bind(m.customer_id)
        .bind(&m.title)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
