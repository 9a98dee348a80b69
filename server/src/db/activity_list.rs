//! The 销售活动 list: activities of the customers in a scope (or of one customer or
//! opportunity), filtered, sorted by a column and keyset-paged.

use super::activities::{ActivityRow, ACTIVITY_SELECT};
use super::customers::{like_escape, ScopeBranch};
use super::dialect::Dialect;
use super::sql::{SqlStore, Value};
use super::StoreResult;
use crate::policy::scope::Scope;
use app::model::activity::ActivityKind;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// 完成状态 as a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityState {
    Planned,
    Done,
    /// 计划中 with its day before `today`.
    OverdueBefore(NaiveDate),
}

/// The column a list is sorted by; each has the activity id as its tie-break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivitySortKey {
    Date,
    Kind,
    Customer,
}

impl ActivitySortKey {
    fn column(self) -> &'static str {
        match self {
            ActivitySortKey::Date => "a.activity_date",
            ActivitySortKey::Kind => "a.kind",
            ActivitySortKey::Customer => "c.name",
        }
    }

    /// The row's value of this column, for the next page's cursor.
    pub fn key_of(self, row: &ActivityRow) -> String {
        match self {
            ActivitySortKey::Date => row.activity_date.clone(),
            ActivitySortKey::Kind => row.kind.code().to_owned(),
            ActivitySortKey::Customer => row.customer_name.clone(),
        }
    }
}

/// The list's conditions.
#[derive(Debug, Clone)]
pub struct ActivityQuery {
    pub customer_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    pub kind: Option<ActivityKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A part of the customer's name.
    pub customer_name: Option<String>,
    /// A part of the opportunity's name.
    pub opportunity_name: Option<String>,
    /// Logged by (负责人).
    pub creator_id: Option<i64>,
    pub state: Option<ActivityState>,
    pub sort: ActivitySortKey,
    pub descending: bool,
    /// The previous page's last row: (id, sort key).
    pub after: Option<(i64, String)>,
    /// Rows to return (at most 200).
    pub limit: u32,
}

#[async_trait]
pub trait ActivityListStore {
    /// The activities `query` finds among the customers of `scope`.
    async fn activity_list(
        &self,
        scope: &Scope,
        query: &ActivityQuery,
    ) -> StoreResult<Vec<ActivityRow>>;
}

#[async_trait::async_trait]
impl<D> ActivityListStore for SqlStore<D>
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
    #[tracing::instrument(skip(self))]
    async fn activity_list(
        &self,
        scope: &Scope,
        query: &ActivityQuery,
    ) -> StoreResult<Vec<ActivityRow>> {
        let limit = i64::from(query.limit.clamp(1, 200));
        let (cmp, dir) = if query.descending {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let col = query.sort.column();
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let pattern = |t: &str| format!("%{}%", like_escape(&t.trim().to_lowercase()));
        // One branch per way into the scope, each walking an index in the list's order and
        // stopping at a page (as the customer list does); the page is then read in full.
        let branches = ScopeBranch::of(scope);
        let searching_opportunity = query.opportunity_name.is_some();
        let mut qb = sqlx::QueryBuilder::<D>::new(ACTIVITY_SELECT);
        qb.push(" JOIN (");
        for (i, branch) in branches.iter().enumerate() {
            if i > 0 {
                qb.push(" UNION ");
            }
            qb.push(format!(
                "SELECT * FROM (SELECT a.id AS id, {col} AS sort_key
                 FROM activities a JOIN customers c ON c.id = a.customer_id"
            ));
            if searching_opportunity {
                qb.push(" JOIN opportunities o ON o.id = a.opportunity_id");
            }
            match branch.customer_column() {
                // A city's or industries' activities: walked in the list's order, each checked
                // against its customer. As a join on the customers' city, SQLite gathered and
                // sorted all of a city's activities first (25 ms; with 计划中, 250 ms).
                Some(column) => {
                    qb.push(format!(
                        " WHERE EXISTS (SELECT 1 FROM customers cs
                           WHERE cs.id = a.customer_id AND cs.{column}"
                    ));
                    branch.push_value_test(&mut qb);
                    qb.push(")");
                }
                None => branch.push_condition(&mut qb),
            }
            if let Some(id) = query.customer_id {
                qb.push(" AND a.customer_id = ").push_bind(id);
            }
            if let Some(id) = query.opportunity_id {
                qb.push(" AND a.opportunity_id = ").push_bind(id);
            }
            if let Some(kind) = query.kind {
                // An expression, not the column: a kind is a third of all activities, and the
                // (kind, id) index (there for the sort by 类型) would be walked for it instead
                // of the index that gives the list's order (75 ms; with 计划中, 150 ms).
                qb.push(" AND a.kind || '' = ").push_bind(kind.code());
            }
            if let Some(d) = query.from {
                qb.push(" AND a.activity_date >= ").push_bind(day(d));
            }
            if let Some(d) = query.to {
                qb.push(" AND a.activity_date <= ").push_bind(day(d));
            }
            // A name's candidates come from the search index (at three characters or more);
            // LIKE keeps those that hold the text. Without them a rare name walked every
            // activity (2 s).
            if let Some(text) = query.customer_name.as_deref() {
                let lowered = text.trim().to_lowercase();
                if lowered.chars().count() >= 3 {
                    D::push_search_candidates(&mut qb, &lowered);
                }
                qb.push(" AND LOWER(c.name) LIKE ")
                    .push_bind(pattern(text))
                    .push(" ESCAPE '\\'");
            }
            if let Some(text) = query.opportunity_name.as_deref() {
                let lowered = text.trim().to_lowercase();
                if lowered.chars().count() >= 3 {
                    D::push_opportunity_name_candidates(&mut qb, &lowered);
                }
                qb.push(" AND LOWER(o.name) LIKE ")
                    .push_bind(pattern(text))
                    .push(" ESCAPE '\\'");
            }
            if let Some(id) = query.creator_id {
                qb.push(" AND a.created_by = ").push_bind(id);
            }
            match query.state {
                Some(ActivityState::Planned) => {
                    qb.push(" AND a.done = FALSE");
                }
                Some(ActivityState::Done) => {
                    qb.push(" AND a.done = TRUE");
                }
                Some(ActivityState::OverdueBefore(today)) => {
                    qb.push(" AND a.done = FALSE AND a.activity_date < ")
                        .push_bind(day(today));
                }
                None => {}
            }
            if let Some((id, key)) = &query.after {
                // A row comparison, which both databases walk on the (key, id) index.
                qb.push(format!(" AND ({col}, a.id) {cmp} ("))
                    .push_bind(key.clone())
                    .push(", ")
                    .push_bind(*id)
                    .push(")");
            }
            qb.push(format!(" ORDER BY {col} {dir}, a.id {dir} LIMIT "))
                .push_bind(limit)
                .push(format!(") b{i}"));
        }
        qb.push(format!(
            ") k ON k.id = a.id ORDER BY k.sort_key {dir}, a.id {dir} LIMIT "
        ))
        .push_bind(limit);
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }
}
