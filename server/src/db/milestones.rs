//! 订单后续执行跟踪 as stored: a signed order's milestones, each change written with its
//! history (field, before, after) and its audit entry in one transaction. Who may change them
//! is the service's to check.

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use crate::db::audit::AuditEntry;
use crate::policy::scope::Scope;
use app::model::milestone::{MilestoneKind, MilestoneStatus, ParsedMilestone};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub opportunity_id: i64,
    pub kind: MilestoneKind,
    pub name: String,
    pub planned_on: Option<String>,
    pub actual_on: Option<String>,
    pub amount_fen: Option<i64>,
    pub status: MilestoneStatus,
    pub note: String,
    pub revision: i64,
}

/// A milestone on the overdue list, with its order.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueMilestoneRow {
    #[sqlx(flatten)]
    pub milestone: MilestoneRow,
    pub opportunity_name: String,
    pub owner_name: String,
}

/// One change to an order's milestones.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MilestoneChange {
    pub milestone_id: i64,
    pub user_name: String,
    pub action: String,
    /// JSON: [[field, before, after], …].
    pub changes: String,
    pub at: DateTime<Utc>,
}

const MILESTONE_COLUMNS: &str = "m.id, m.opportunity_id, m.kind, m.name, m.planned_on, m.actual_on,
     m.amount_fen, m.status, m.note, m.revision";

/// The default milestones of a newly signed order, inside the signing's transaction.
pub(crate) const DEFAULT_KINDS: [MilestoneKind; 3] = [
    MilestoneKind::Activation,
    MilestoneKind::Acceptance,
    MilestoneKind::Payment,
];

#[async_trait]
pub trait MilestoneStore {
    /// An order's milestones in the order they were added.
    async fn milestones(&self, opportunity_id: i64) -> StoreResult<Vec<MilestoneRow>>;

    async fn milestone(&self, id: i64) -> StoreResult<Option<MilestoneRow>>;

    async fn add_milestone(
        &self,
        actor: &Actor,
        opportunity_id: i64,
        m: &ParsedMilestone,
    ) -> StoreResult<i64>;

    /// Replaces a milestone's fields if it is still at `revision`: `Stale` otherwise.
    async fn update_milestone(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        m: &ParsedMilestone,
    ) -> StoreResult<()>;

    async fn delete_milestone(&self, actor: &Actor, id: i64) -> StoreResult<()>;

    /// The newest `limit` changes to an order's milestones.
    async fn milestone_history(
        &self,
        opportunity_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<MilestoneChange>>;

    /// Open milestones of orders in `scope`, oldest planned day first: those planned before
    /// `before` (overdue), or every open one with `before` `None`. Keyset on (planned day, id).
    async fn open_milestones(
        &self,
        scope: &Scope,
        before: Option<NaiveDate>,
        after: Option<(String, i64)>,
        limit: u32,
    ) -> StoreResult<Vec<DueMilestoneRow>>;

    /// How many open milestones of orders in `scope` were planned before `today`.
    async fn overdue_milestone_count(&self, scope: &Scope, today: NaiveDate) -> StoreResult<i64>;
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// A milestone's fields as the history compares them.
fn fields_of(m: &MilestoneRow) -> [(&'static str, String); 7] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        ("kind", m.kind.code().to_owned()),
        ("name", m.name.clone()),
        ("planned_on", opt(&m.planned_on)),
        ("actual_on", opt(&m.actual_on)),
        (
            "amount_fen",
            m.amount_fen.map(|a| a.to_string()).unwrap_or_default(),
        ),
        ("status", m.status.code().to_owned()),
        ("note", m.note.clone()),
    ]
}

/// [[field, before, after], …] of the fields that differ (`None`: nothing before or after).
fn changes(before: Option<&MilestoneRow>, after: Option<&MilestoneRow>) -> serde_json::Value {
    let empty = || std::array::from_fn::<_, 7, _>(|_| ("", String::new()));
    let b = before.map(fields_of).unwrap_or_else(empty);
    let a = after.map(fields_of).unwrap_or_else(empty);
    let list: Vec<serde_json::Value> = b
        .iter()
        .zip(a.iter())
        .filter(|((_, x), (_, y))| x != y)
        .map(|((bf, x), (af, y))| {
            let field = if bf.is_empty() { af } else { bf };
            serde_json::json!([field, x, y])
        })
        .collect();
    serde_json::Value::Array(list)
}

#[async_trait::async_trait]
impl<D> MilestoneStore for SqlStore<D>
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
    async fn milestones(&self, opportunity_id: i64) -> StoreResult<Vec<MilestoneRow>> {
        let sql = format!(
            "SELECT {MILESTONE_COLUMNS} FROM order_milestones m WHERE m.opportunity_id = $1 ORDER BY m.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(opportunity_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn milestone(&self, id: i64) -> StoreResult<Option<MilestoneRow>> {
        let sql = format!("SELECT {MILESTONE_COLUMNS} FROM order_milestones m WHERE m.id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip(self, actor, m))]
    async fn add_milestone(
        &self,
        actor: &Actor,
        opportunity_id: i64,
        m: &ParsedMilestone,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO order_milestones (opportunity_id, kind, name, planned_on, actual_on,
                 amount_fen, status, note, created_at, city_id, industry_id, owner_id)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, o.city_id, o.industry_id, o.owner_id
             FROM opportunities o WHERE o.id = $1 RETURNING id",
        )
        .bind(opportunity_id)
        .bind(m.kind.code())
        .bind(&m.name)
        .bind(day(m.planned_on))
        .bind(day(m.actual_on))
        .bind(m.amount.map(|a| a.0))
        .bind(m.status.code())
        .bind(&m.note)
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        let after = Self::fetch_milestone(&mut tx, id).await?;
        Self::record_change(&mut tx, actor, "create", None, Some(&after)).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self, actor, m))]
    async fn update_milestone(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        m: &ParsedMilestone,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_milestone(&mut tx, id).await?;
        let changed = sqlx::query(
            "UPDATE order_milestones SET kind = $1, name = $2, planned_on = $3, actual_on = $4,
                 amount_fen = $5, status = $6, note = $7, revision = revision + 1
             WHERE id = $8 AND revision = $9",
        )
        .bind(m.kind.code())
        .bind(&m.name)
        .bind(day(m.planned_on))
        .bind(day(m.actual_on))
        .bind(m.amount.map(|a| a.0))
        .bind(m.status.code())
        .bind(&m.note)
        .bind(id)
        .bind(revision)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        let after = Self::fetch_milestone(&mut tx, id).await?;
        Self::record_change(&mut tx, actor, "update", Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn delete_milestone(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_milestone(&mut tx, id).await?;
        sqlx::query("DELETE FROM order_milestones WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::record_change(&mut tx, actor, "delete", Some(&before), None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn milestone_history(
        &self,
        opportunity_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<MilestoneChange>> {
        Ok(sqlx::query_as(
            "SELECT h.milestone_id, u.name AS user_name, h.action, h.changes, h.at
             FROM milestone_history h JOIN users u ON u.id = h.user_id
             WHERE h.opportunity_id = $1 ORDER BY h.id DESC LIMIT $2",
        )
        .bind(opportunity_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self))]
    async fn open_milestones(
        &self,
        scope: &Scope,
        before: Option<NaiveDate>,
        after: Option<(String, i64)>,
        limit: u32,
    ) -> StoreResult<Vec<DueMilestoneRow>> {
        let limit = i64::from(limit.clamp(1, 200));
        let mut qb = sqlx::QueryBuilder::<D>::new(format!(
            "SELECT {MILESTONE_COLUMNS}, o.name AS opportunity_name, u.name AS owner_name
             FROM order_milestones m
             JOIN opportunities o ON o.id = m.opportunity_id
             JOIN users u ON u.id = o.owner_id
             JOIN ("
        ));
        push_open_branches(&mut qb, scope, before, after.as_ref(), limit);
        qb.push(") k ON k.id = m.id ORDER BY m.planned_on, m.id LIMIT ")
            .push_bind(limit);
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn overdue_milestone_count(&self, scope: &Scope, today: NaiveDate) -> StoreResult<i64> {
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT COUNT(*) FROM (");
        push_open_branches(&mut qb, scope, Some(today), None, COUNT_CAP);
        qb.push(") k");
        Ok(D::built_scalar(&mut qb).fetch_one(&self.pool).await?)
    }
}

/// The overdue count stops here (the page says 「99+」 beyond): a badge, not a report. Counting
/// to a thousand through the scope's union was a quarter of a city role's home page.
pub const COUNT_CAP: i64 = 100;

/// `SELECT id …` of the open milestones (planned before `before`, after the keyset `after`) in
/// `scope`, oldest planned first, at most `limit` from each way into the scope: the orders the
/// viewer owns, and their reach's city, industries or everything (through the milestones' own
/// copies of the order's owner, city and industry). Each walks an index
/// over the open milestones only and stops at `limit`; their union has no repeats.
fn push_open_branches<'a, D: Dialect>(
    qb: &mut sqlx::QueryBuilder<'a, D>,
    scope: &'a Scope,
    before: Option<NaiveDate>,
    after: Option<&'a (String, i64)>,
    limit: i64,
) where
    i64: Encode<'a, D> + Type<D>,
    Option<String>: Encode<'a, D> + Type<D>,
    String: Encode<'a, D> + Type<D>,
{
    use crate::policy::scope::Reach;
    let reach: Option<(&str, Vec<i64>)> = match &scope.reach {
        Reach::All | Reach::Province => Some(("", Vec::new())),
        Reach::City(city) => Some(("m.city_id", vec![*city])),
        Reach::Industries(ids) if !ids.is_empty() => Some(("m.industry_id", ids.clone())),
        Reach::Industries(_) | Reach::Own => None,
    };
    let conditions = |qb: &mut sqlx::QueryBuilder<'a, D>| {
        // Exactly the partial indexes' condition, so that they serve.
        qb.push(" AND m.status IN ('pending', 'in_progress') AND m.planned_on IS NOT NULL");
        if let Some(today) = before {
            qb.push(" AND m.planned_on < ").push_bind(day(Some(today)));
        }
        if let Some((key, id)) = after {
            qb.push(" AND (m.planned_on, m.id) > (")
                .push_bind(key.clone())
                .push(", ")
                .push_bind(*id)
                .push(")");
        }
        qb.push(" ORDER BY m.planned_on, m.id LIMIT ")
            .push_bind(limit);
    };
    qb.push("SELECT * FROM (SELECT m.id FROM order_milestones m WHERE m.owner_id = ")
        .push_bind(scope.viewer_id);
    conditions(qb);
    qb.push(") mine");
    if let Some((column, ids)) = reach {
        qb.push(" UNION SELECT * FROM (SELECT m.id FROM order_milestones m WHERE 1 = 1");
        if !column.is_empty() {
            qb.push(format!(" AND {column} IN ("));
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(id);
            }
            qb.push(")");
        }
        conditions(qb);
        qb.push(") reach");
    }
}

/// Reads and history inside the caller's transaction.
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
    async fn fetch_milestone(conn: &mut D::Connection, id: i64) -> StoreResult<MilestoneRow> {
        let sql = format!("SELECT {MILESTONE_COLUMNS} FROM order_milestones m WHERE m.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::Stale)
    }

    /// The history row and the audit entry of one change.
    async fn record_change(
        conn: &mut D::Connection,
        actor: &Actor,
        action: &'static str,
        before: Option<&MilestoneRow>,
        after: Option<&MilestoneRow>,
    ) -> StoreResult<()> {
        let Some(m) = after.or(before) else {
            return Ok(());
        };
        let user = actor.user_id.ok_or(StoreError::NotFound)?;
        let list = changes(before, after);
        sqlx::query(
            "INSERT INTO milestone_history (opportunity_id, milestone_id, user_id, action, changes, at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(m.opportunity_id)
        .bind(m.id)
        .bind(user)
        .bind(action)
        .bind(list.to_string())
        .bind(actor.at)
        .execute(&mut *conn)
        .await?;
        Self::append_audit(
            conn,
            &AuditEntry::new(actor, action, "milestone", m.id).after(&serde_json::json!({
                "opportunity_id": m.opportunity_id, "changes": list,
            })),
        )
        .await?;
        Ok(())
    }

    /// The three default milestones of an order signed now, inside the signing's transaction.
    pub(in crate::db) async fn add_default_milestones(
        conn: &mut D::Connection,
        opportunity_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        for kind in DEFAULT_KINDS {
            sqlx::query(
                "INSERT INTO order_milestones
                     (opportunity_id, kind, created_at, city_id, industry_id, owner_id)
                 SELECT $1, $2, $3, o.city_id, o.industry_id, o.owner_id
                 FROM opportunities o WHERE o.id = $1",
            )
            .bind(opportunity_id)
            .bind(kind.code())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> MilestoneRow {
        MilestoneRow {
            id: 1,
            opportunity_id: 2,
            kind: MilestoneKind::Payment,
            name: String::new(),
            planned_on: Some("2031-06-30".into()),
            actual_on: None,
            amount_fen: Some(100),
            status: MilestoneStatus::Pending,
            note: String::new(),
            revision: 1,
        }
    }

    #[test]
    fn a_change_lists_only_the_fields_that_differ() {
        let before = row();
        let after = MilestoneRow {
            actual_on: Some("2031-06-29".into()),
            status: MilestoneStatus::Done,
            ..row()
        };
        assert_eq!(
            changes(Some(&before), Some(&after)).to_string(),
            r#"[["actual_on","","2031-06-29"],["status","pending","done"]]"#
        );
        assert_eq!(changes(None, Some(&before)).as_array().unwrap().len(), 4);
    }
}
