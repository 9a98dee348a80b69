//! 客户业务预警 as stored: per kind of warning, the records that raise it in a viewer's scope —
//! what they own, and what their reach covers (managers) — paged, and counted up to a cap. Each
//! query is a union of one branch per way into the scope, each walking its own index and
//! stopping at the rows asked for. The days that make a warning (N) are kept in `app_meta`.

use super::dialect::Dialect;
use super::sql::{SqlStore, Value};
use super::{Actor, StoreResult};
use crate::db::audit::AuditEntry;
use crate::policy::scope::{Reach, Scope};
use app::api::warnings::{WarningDays, WarningKind};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, QueryBuilder, Type};

/// A count stops here (the page says 「999+」 beyond), and so does paging.
pub const WARNING_CAP: i64 = 1000;

/// One warning as found: its record, whose it is, and the day that matters.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WarningRow {
    /// The opportunity's or customer's id.
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    /// The day that raised it ('YYYY-MM-DD'), or empty (never).
    pub day: Option<String>,
    /// An approval step's approver, and when the step opened.
    pub assignee_name: Option<String>,
    pub opened_at: Option<DateTime<Utc>>,
}

/// When a warning is due: the instants and days the queries compare with.
#[derive(Debug, Clone)]
pub struct WarningClock {
    pub today: NaiveDate,
    pub days: WarningDays,
}

impl WarningClock {
    /// The day `days` before today (the days are the admin's, 1–3650; never before the
    /// calendar's start).
    fn day(&self, days: i64) -> NaiveDate {
        self.today
            .checked_sub_days(chrono::Days::new(days.clamp(0, 36_500) as u64))
            .unwrap_or_default()
    }

    fn day_before(&self, days: i64) -> String {
        self.day(days).format("%Y-%m-%d").to_string()
    }

    /// The instant `days` before the start of today in China.
    fn instant_before(&self, days: i64) -> DateTime<Utc> {
        crate::db::rankings::china_midnight(self.day(days))
    }
}

#[async_trait]
pub trait WarningStore {
    async fn warning_days(&self) -> StoreResult<WarningDays>;

    async fn set_warning_days(&self, actor: &Actor, days: &WarningDays) -> StoreResult<()>;

    /// The warnings of `kind` in `scope`, oldest first, from `offset`.
    async fn warnings(
        &self,
        kind: WarningKind,
        scope: &Scope,
        clock: &WarningClock,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<WarningRow>>;

    /// How many warnings of `kind` are in `scope`, up to [`WARNING_CAP`].
    async fn warning_count(
        &self,
        kind: WarningKind,
        scope: &Scope,
        clock: &WarningClock,
    ) -> StoreResult<i64>;
}

/// The way a branch reaches its records: whose they are, or where (column, ids; no ids: all).
enum Way {
    Owner(&'static str),
    Reach(&'static str, Option<Vec<i64>>),
}

/// The kind's ways into `scope`: the owner's records, an approver's steps, the reach.
fn ways(kind: WarningKind, scope: &Scope) -> Vec<Way> {
    let (owner, city, industry) = match kind {
        WarningKind::Idle | WarningKind::PastExpected | WarningKind::SlowApproval => {
            ("o.owner_id", "o.city_id", "o.industry_id")
        }
        WarningKind::OverdueActivity => ("a.created_by", "c.city_id", "c.industry_id"),
        _ => ("c.owner_id", "c.city_id", "c.industry_id"),
    };
    let mut ways = vec![Way::Owner(owner)];
    if kind == WarningKind::SlowApproval {
        ways.push(Way::Owner("t.assignee_id"));
    }
    match &scope.reach {
        Reach::All | Reach::Province => ways.push(Way::Reach("", None)),
        Reach::City(c) => ways.push(Way::Reach(city, Some(vec![*c]))),
        Reach::Industries(ids) if !ids.is_empty() => {
            ways.push(Way::Reach(industry, Some(ids.clone())))
        }
        Reach::Industries(_) | Reach::Own => {}
    }
    ways
}

/// `SELECT <id>, <sort key> FROM … WHERE <the kind's condition>` for one branch.
fn push_branch<'a, D: Dialect>(
    qb: &mut QueryBuilder<'a, D>,
    kind: WarningKind,
    clock: &WarningClock,
    way: &Way,
    viewer: i64,
    limit: i64,
) where
    i64: Value<D>,
    String: Value<D>,
    DateTime<Utc>: Value<D>,
{
    let days = &clock.days;
    let order = match kind {
        WarningKind::Idle => {
            qb.push(
                "SELECT o.id AS id, o.id AS sk FROM opportunities o
                 WHERE o.status = 'active' AND o.filed_at < ",
            )
            .push_bind(clock.instant_before(days.idle))
            .push(
                " AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.opportunity_id = o.id
                     AND a.done = TRUE AND a.activity_date >= ",
            )
            .push_bind(clock.day_before(days.idle))
            .push(")");
            "o.id"
        }
        WarningKind::PastExpected => {
            qb.push(
                "SELECT o.id AS id, o.id AS sk FROM opportunities o
                 WHERE o.status = 'active' AND o.expected_sign_date < ",
            )
            .push_bind(clock.today.format("%Y-%m-%d").to_string());
            // In filing order: by the date passed, the province's hundred thousand would be
            // sorted for a page.
            "o.id"
        }
        WarningKind::SlowApproval => {
            // The opportunity is asked about per open step (`o` in the EXISTS below), so the
            // open steps — a few thousand of millions — drive the query whatever the planner
            // guesses of a city.
            qb.push(
                "SELECT t.id AS id, t.id AS sk FROM tasks t
                 WHERE t.open = TRUE AND t.kind = 'approve' AND t.created_at < ",
            )
            .push_bind(clock.instant_before(days.approval));
            "t.id"
        }
        WarningKind::OverdueActivity => {
            qb.push(
                // The customer is looked up per planned activity, as a step's opportunity is.
                "SELECT a.id AS id, a.activity_date AS sk FROM activities a
                 WHERE a.done = FALSE AND a.activity_date < ",
            )
            .push_bind(clock.today.format("%Y-%m-%d").to_string());
            "a.activity_date DESC, a.id DESC"
        }
        WarningKind::NoContact => {
            qb.push(
                // Exactly the partial indexes' condition (kept by triggers on contacts).
                "SELECT c.id AS id, c.id AS sk FROM customers c WHERE c.has_contact = FALSE",
            );
            "c.id"
        }
        // (Overdue milestones never come here: see `warnings`.)
        WarningKind::QuietCustomer | WarningKind::OverdueMilestone => {
            qb.push("SELECT c.id AS id, c.id AS sk FROM customers c WHERE c.created_at < ")
                .push_bind(clock.instant_before(days.customer))
                .push(
                    " AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.customer_id = c.id
                     AND a.done = TRUE AND a.activity_date >= ",
                )
                .push_bind(clock.day_before(days.customer))
                .push(")");
            "c.id"
        }
    };
    // A step's opportunity, a planned activity's customer, is looked up, not joined (see
    // above).
    let lookup = match kind {
        WarningKind::SlowApproval => Some(("o.", "opportunities o WHERE o.id = t.opportunity_id")),
        WarningKind::OverdueActivity => Some(("c.", "customers c WHERE c.id = a.customer_id")),
        _ => None,
    };
    let (column, equal): (&str, Option<Vec<i64>>) = match way {
        Way::Owner(column) => (column, Some(vec![viewer])),
        Way::Reach(column, ids) => (column, ids.clone()),
    };
    if let Some(ids) = equal {
        let lookup = lookup.filter(|(alias, _)| column.starts_with(alias));
        if let Some((_, from)) = lookup {
            qb.push(format!(" AND EXISTS (SELECT 1 FROM {from}"));
        }
        qb.push(format!(" AND {column}"));
        if let [one] = ids.as_slice() {
            qb.push(" = ").push_bind(*one);
        } else {
            qb.push(" IN (");
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(id);
            }
            qb.push(")");
        }
        if lookup.is_some() {
            qb.push(")");
        }
    }
    // The limit is written out, not bound: SQLite plans a walk in order that stops early only
    // when it knows how early (with a bound limit it gathered a city's records and sorted them).
    qb.push(format!(
        " ORDER BY {order} LIMIT {}",
        limit.clamp(1, WARNING_CAP * 2)
    ));
}

/// The union of the kind's branches in `scope` (`id`, `sk`), each stopping at `limit`.
fn push_union<'a, D: Dialect>(
    qb: &mut QueryBuilder<'a, D>,
    kind: WarningKind,
    scope: &Scope,
    clock: &WarningClock,
    limit: i64,
) where
    i64: Value<D>,
    String: Value<D>,
    DateTime<Utc>: Value<D>,
{
    for (i, way) in ways(kind, scope).iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ");
        }
        qb.push("SELECT * FROM (");
        push_branch(qb, kind, clock, way, scope.viewer_id, limit);
        qb.push(format!(") b{i}"));
    }
}

#[async_trait]
impl<D> WarningStore for SqlStore<D>
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
{
    async fn warning_days(&self) -> StoreResult<WarningDays> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT key, value FROM app_meta WHERE key IN
                 ('warning_idle_days', 'warning_approval_days', 'warning_customer_days')",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut days = WarningDays::default();
        for (key, value) in rows {
            let Ok(n) = value.parse::<i64>() else {
                continue;
            };
            match key.as_str() {
                "warning_idle_days" => days.idle = n,
                "warning_approval_days" => days.approval = n,
                _ => days.customer = n,
            }
        }
        Ok(days)
    }

    async fn set_warning_days(&self, actor: &Actor, days: &WarningDays) -> StoreResult<()> {
        let before = self.warning_days().await?;
        let mut tx = self.begin_write().await?;
        for (key, value) in [
            ("warning_idle_days", days.idle),
            ("warning_approval_days", days.approval),
            ("warning_customer_days", days.customer),
        ] {
            sqlx::query(
                "INSERT INTO app_meta (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value.to_string())
            .execute(&mut *tx)
            .await?;
        }
        let json = |d: &WarningDays| serde_json::json!({"idle": d.idle, "approval": d.approval, "customer": d.customer});
        let entry = AuditEntry::new(actor, "update", "warning_days", 0)
            .before(&json(&before))
            .after(&json(days));
        Self::append_audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, scope, clock))]
    async fn warnings(
        &self,
        kind: WarningKind,
        scope: &Scope,
        clock: &WarningClock,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<WarningRow>> {
        // Overdue milestones are the milestone store's (its own page lists them).
        if kind == WarningKind::OverdueMilestone {
            return Ok(Vec::new());
        }
        let (offset, limit) = (offset.clamp(0, WARNING_CAP), limit.clamp(1, 200));
        let mut qb = QueryBuilder::<D>::new("SELECT ");
        let (columns, from, order) = match kind {
            WarningKind::Idle => (
                "o.id, o.name, u.name AS owner_name,
                 (SELECT MAX(a.activity_date) FROM activities a
                  WHERE a.opportunity_id = o.id AND a.done = TRUE) AS day,
                 CAST(NULL AS TEXT) AS assignee_name, CAST(NULL AS TIMESTAMPTZ) AS opened_at",
                "JOIN opportunities o ON o.id = k.id JOIN users u ON u.id = o.owner_id",
                "k.sk",
            ),
            WarningKind::PastExpected => (
                "o.id, o.name, u.name AS owner_name, o.expected_sign_date AS day,
                 CAST(NULL AS TEXT) AS assignee_name, CAST(NULL AS TIMESTAMPTZ) AS opened_at",
                "JOIN opportunities o ON o.id = k.id JOIN users u ON u.id = o.owner_id",
                "k.sk",
            ),
            WarningKind::SlowApproval => (
                "o.id, o.name, u.name AS owner_name, CAST(NULL AS TEXT) AS day,
                 v.name AS assignee_name, t.created_at AS opened_at",
                "JOIN tasks t ON t.id = k.id JOIN opportunities o ON o.id = t.opportunity_id
                 JOIN users u ON u.id = o.owner_id JOIN users v ON v.id = t.assignee_id",
                "k.sk",
            ),
            WarningKind::OverdueActivity => (
                "c.id, c.name, u.name AS owner_name, a.activity_date AS day,
                 CAST(NULL AS TEXT) AS assignee_name, CAST(NULL AS TIMESTAMPTZ) AS opened_at",
                "JOIN activities a ON a.id = k.id JOIN customers c ON c.id = a.customer_id
                 JOIN users u ON u.id = a.created_by",
                "k.sk DESC, k.id DESC",
            ),
            WarningKind::NoContact => (
                "c.id, c.name, u.name AS owner_name, CAST(NULL AS TEXT) AS day,
                 CAST(NULL AS TEXT) AS assignee_name, CAST(NULL AS TIMESTAMPTZ) AS opened_at",
                "JOIN customers c ON c.id = k.id JOIN users u ON u.id = c.owner_id",
                "k.sk",
            ),
            WarningKind::QuietCustomer | WarningKind::OverdueMilestone => (
                "c.id, c.name, u.name AS owner_name,
                 (SELECT MAX(a.activity_date) FROM activities a
                  WHERE a.customer_id = c.id AND a.done = TRUE) AS day,
                 CAST(NULL AS TEXT) AS assignee_name, CAST(NULL AS TIMESTAMPTZ) AS opened_at",
                "JOIN customers c ON c.id = k.id JOIN users u ON u.id = c.owner_id",
                "k.sk",
            ),
        };
        qb.push(columns).push(" FROM (");
        push_union(&mut qb, kind, scope, clock, offset + limit);
        qb.push(format!(") k {from} ORDER BY {order} LIMIT "))
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    #[tracing::instrument(skip(self, scope, clock))]
    async fn warning_count(
        &self,
        kind: WarningKind,
        scope: &Scope,
        clock: &WarningClock,
    ) -> StoreResult<i64> {
        if kind == WarningKind::OverdueMilestone {
            return Ok(0);
        }
        let mut qb = QueryBuilder::<D>::new("SELECT COUNT(*) FROM (SELECT id FROM (");
        push_union(&mut qb, kind, scope, clock, WARNING_CAP);
        qb.push(") u LIMIT ").push_bind(WARNING_CAP).push(") k");
        Ok(D::built_scalar(&mut qb).fetch_one(&self.pool).await?)
    }
}
