//! 商机排名, computed from the records themselves (so it is right under any concurrency: an
//! approval and what it counts for commit together). 报备数量 counts opportunities whose filing
//! was approved, by the month of first submission; 签约金额 sums approved signings by the
//! 签约日期 month. Each opportunity counts once, however many customers it has.

use super::dialect::Dialect;
use super::sql::{SqlStore, Value};
use super::StoreResult;
use app::model::ranking::{Dimension, Metric, Month};
use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// One ranking to compute.
#[derive(Debug, Clone)]
pub struct RankingQuery {
    pub metric: Metric,
    pub dimension: Dimension,
    /// The month as instants (报备数量: first submission in [from, to)).
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The month as dates (签约金额: 签约日期 in [first_day, next_first_day)).
    pub first_day: NaiveDate,
    pub next_first_day: NaiveDate,
    /// Opportunities of one city only; the whole province when `None`.
    pub city_id: Option<i64>,
    pub limit: u32,
}

impl RankingQuery {
    /// The ranking of a calendar month in China time (a month starts at midnight there).
    pub fn for_month(
        metric: Metric,
        dimension: Dimension,
        month: Month,
        city_id: Option<i64>,
        limit: u32,
    ) -> Self {
        Self {
            metric,
            dimension,
            from: china_midnight(month.first_day()),
            to: china_midnight(month.next_first_day()),
            first_day: month.first_day(),
            next_first_day: month.next_first_day(),
            city_id,
            limit,
        }
    }
}

/// Midnight of `day` in China, as an instant.
pub fn china_midnight(day: NaiveDate) -> DateTime<Utc> {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    cst.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// One group: its key (a user, city, industry or business type; `None` for the province's
/// own opportunities when grouping by city) and its count or amount in fen.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RankingRow {
    pub k: Option<i64>,
    pub v: i64,
}

#[async_trait]
pub trait RankingStore {
    /// The groups from the highest value; ties by key.
    async fn ranking(&self, q: &RankingQuery) -> StoreResult<Vec<RankingRow>>;
}

/// The grouping column of a dimension.
pub(crate) fn key_column(d: Dimension) -> &'static str {
    match d {
        Dimension::Person => "o.owner_id",
        Dimension::City => "o.city_id",
        Dimension::Industry => "o.industry_id",
        Dimension::BusinessType => "o.business_type_id",
    }
}

#[async_trait::async_trait]
impl<D> RankingStore for SqlStore<D>
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
    async fn ranking(&self, q: &RankingQuery) -> StoreResult<Vec<RankingRow>> {
        use app::model::ranking::Metric;
        let key = crate::db::rankings::key_column(q.dimension);
        let mut sql = sqlx::QueryBuilder::<D>::new("");
        match q.metric {
            Metric::Filed => {
                sql.push(format!(
                    "SELECT {key} AS k, COUNT(*) AS v FROM opportunities o
                     WHERE o.filed_at IS NOT NULL AND o.submitted_at >= "
                ));
                sql.push_bind(q.from);
                sql.push(" AND o.submitted_at < ");
                sql.push_bind(q.to);
            }
            Metric::Signed => {
                sql.push(format!(
                    "SELECT {key} AS k, CAST(SUM(s.amount_fen) AS BIGINT) AS v
                     FROM signings s JOIN opportunities o ON o.id = s.opportunity_id
                     WHERE o.status = 'signed' AND s.signed_on >= "
                ));
                sql.push_bind(q.first_day.format("%Y-%m-%d").to_string());
                sql.push(" AND s.signed_on < ");
                sql.push_bind(q.next_first_day.format("%Y-%m-%d").to_string());
            }
        }
        if let Some(city) = q.city_id {
            sql.push(" AND o.city_id = ");
            sql.push_bind(city);
        }
        sql.push(format!(" GROUP BY {key} ORDER BY v DESC, k LIMIT "));
        sql.push_bind(i64::from(q.limit));
        Ok(D::built_as(&mut sql).fetch_all(&self.pool).await?)
    }
}
