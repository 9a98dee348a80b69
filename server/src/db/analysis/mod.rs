//! 统计分析 as stored: the cells the figures sum (`analysis_cells`), kept by folding the
//! opportunities the triggers marked (see the migration `analysis`), and the figures read from
//! them within a [`Slice`] the service cut to the viewer's scope.

pub mod fact;
mod fold;

use super::dialect::Dialect;
use super::sql::{SqlStore, Value};
use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, QueryBuilder, Type};

/// Which cells a figure sums: the viewer's scope and the page's choices, already intersected.
#[derive(Debug, Clone, Default)]
pub struct Slice {
    /// One city only (0: the province company's own).
    pub city: Option<i64>,
    /// These industries only (a 行业总监's, or the one chosen).
    pub industries: Option<Vec<i64>>,
    pub business_type: Option<i64>,
    /// The periods, inclusive: 'YYYY-MM' (or 'YYYY' for the pyramid).
    pub from: String,
    pub to: String,
}

/// Sums of a group of cells.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CellSum {
    pub figure: String,
    /// Empty unless summed by period.
    pub month: String,
    pub k: String,
    pub r: i64,
    pub n: i64,
    pub v1: i64,
    pub v2: i64,
}

/// The pyramid's cut: the cumulative shares, in percent of the customers, of its top tiers
/// (5, 20, 50: the top 5 %, the next 15 %, the next 30 %, the rest).
pub type Cuts = [i64; 3];

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TierSum {
    pub tier: i64,
    pub customers: i64,
    pub amount: i64,
    pub deals: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TierMember {
    pub rank: i64,
    pub customer_id: i64,
    pub name: String,
    pub amount: i64,
    pub deals: i64,
}

#[async_trait]
pub trait AnalysisStore {
    /// Folds up to `batch` marked opportunities into the cells; how many it folded.
    async fn fold_analysis(&self, batch: i64) -> StoreResult<usize>;

    /// Whether any opportunity waits to be folded.
    async fn analysis_pending(&self) -> StoreResult<bool>;

    /// The cells of `figures` in `slice`, summed by figure, `k` and `ref`, and by period when
    /// `by_month`.
    async fn cell_sums(
        &self,
        figures: &[&'static str],
        slice: &Slice,
        by_month: bool,
    ) -> StoreResult<Vec<CellSum>>;

    /// 客户价值金字塔: per tier, its customers and their signed amounts.
    async fn pyramid(&self, slice: &Slice, cuts: Cuts) -> StoreResult<Vec<TierSum>>;

    /// The customers of one tier, highest amount first.
    async fn pyramid_members(
        &self,
        slice: &Slice,
        cuts: Cuts,
        tier: i64,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<TierMember>>;
}

/// Appends the slice's conditions on `analysis_cells`.
fn push_slice<D: Dialect>(qb: &mut QueryBuilder<'_, D>, slice: &Slice)
where
    i64: Value<D>,
    String: Value<D>,
{
    qb.push(" AND month >= ");
    qb.push_bind(slice.from.clone());
    qb.push(" AND month <= ");
    qb.push_bind(slice.to.clone());
    if let Some(city) = slice.city {
        qb.push(" AND city_id = ");
        qb.push_bind(city);
    }
    if let Some(industries) = &slice.industries {
        qb.push(" AND industry_id IN (");
        let mut list = qb.separated(", ");
        for i in industries {
            list.push_bind(*i);
        }
        if industries.is_empty() {
            list.push("NULL");
        }
        qb.push(")");
    }
    if let Some(bt) = slice.business_type {
        qb.push(" AND business_type_id = ");
        qb.push_bind(bt);
    }
}

/// Where a slice's pyramid is one cell a customer, read in rank order: the whole province
/// (`customer_total`) or one city (`customer_city`), with the city the cells hold (0 for the
/// whole). Industries are grouped instead.
fn ranked_in(slice: &Slice) -> Option<(&'static str, i64)> {
    match (slice.city, &slice.industries) {
        (None, None) => Some(("customer_total", 0)),
        (Some(city), None) => Some(("customer_city", city)),
        _ => None,
    }
}

/// The last rank of each tier among `total` customers: a tier holds the customers ranked
/// within its cumulative share, rounded up (of 10 customers the top 5 % is the first one).
pub fn tier_ends(total: i64, cuts: Cuts) -> [i64; 4] {
    let end = |cut: i64| ((total * cut + 99) / 100).min(total);
    [end(cuts[0]), end(cuts[1]), end(cuts[2]), total]
}

/// The customers of a period (`$1`) in a city (`$2`), in rank order (`v1`: amount, `n`:
/// deals); the figure is written out so that its partial index serves.
fn ranked(figure: &str) -> String {
    format!(
        "FROM analysis_cells WHERE figure = '{figure}' AND month = $1 AND city_id = $2 AND n > 0
         ORDER BY v1 DESC, ref"
    )
}

/// The pyramid's ranked customers (`t`: customer, amount, deals, rn, tier), as a CTE.
fn push_ranked<D: Dialect>(qb: &mut QueryBuilder<'_, D>, slice: &Slice, cuts: Cuts)
where
    i64: Value<D>,
    String: Value<D>,
{
    qb.push(
        "WITH c AS (SELECT ref AS customer, CAST(SUM(v1) AS BIGINT) AS amount,
                CAST(SUM(n) AS BIGINT) AS deals
            FROM analysis_cells WHERE figure = 'customer'",
    );
    push_slice(qb, slice);
    qb.push(
        " GROUP BY ref HAVING SUM(n) > 0),
         r AS (SELECT customer, amount, deals,
                ROW_NUMBER() OVER (ORDER BY amount DESC, customer) AS rn,
                COUNT(*) OVER () AS total FROM c),
         t AS (SELECT customer, amount, deals, rn, CASE",
    );
    // A tier holds the customers ranked within its cumulative share, rounded up: of 10
    // customers the top 5 % is the first one.
    for (i, cut) in cuts.iter().enumerate() {
        qb.push(" WHEN rn <= (total * ");
        qb.push_bind(*cut);
        qb.push(format!(" + 99) / 100 THEN {}", i + 1));
    }
    qb.push(" ELSE 4 END AS tier FROM r) ");
}

#[async_trait]
impl<D> AnalysisStore for SqlStore<D>
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
    #[tracing::instrument(skip(self))]
    async fn fold_analysis(&self, batch: i64) -> StoreResult<usize> {
        fold::fold(self, batch).await
    }

    async fn analysis_pending(&self) -> StoreResult<bool> {
        let any: Option<i64> =
            sqlx::query_scalar("SELECT opportunity_id FROM analysis_dirty LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(any.is_some())
    }

    #[tracing::instrument(skip(self))]
    async fn cell_sums(
        &self,
        figures: &[&'static str],
        slice: &Slice,
        by_month: bool,
    ) -> StoreResult<Vec<CellSum>> {
        let month = if by_month { "month" } else { "''" };
        let mut qb = QueryBuilder::<D>::new(format!(
            "SELECT figure, {month} AS month, k, ref AS r, CAST(SUM(n) AS BIGINT) AS n,
                    CAST(SUM(v1) AS BIGINT) AS v1, CAST(SUM(v2) AS BIGINT) AS v2
             FROM analysis_cells WHERE figure IN ("
        ));
        let mut list = qb.separated(", ");
        for f in figures {
            list.push_bind(f.to_string());
        }
        qb.push(")");
        push_slice(&mut qb, slice);
        let group = if by_month { ", month" } else { "" };
        qb.push(format!(
            " GROUP BY figure{group}, k, ref HAVING SUM(n) <> 0 ORDER BY figure{group}, k, ref"
        ));
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn pyramid(&self, slice: &Slice, cuts: Cuts) -> StoreResult<Vec<TierSum>> {
        if let Some((figure, city)) = ranked_in(slice) {
            // Each tier's sums are the sums of a prefix of the ranked customers, less the
            // prefix before it: a walk of the index, no sort.
            let total: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM analysis_cells
                 WHERE figure = '{figure}' AND month = $1 AND city_id = $2 AND n > 0"
            ))
            .bind(&slice.from)
            .bind(city)
            .fetch_one(&self.pool)
            .await?;
            let mut tiers = Vec::new();
            let (mut rank, mut amount, mut deals) = (0, 0, 0);
            for (i, end) in tier_ends(total, cuts).into_iter().enumerate() {
                let (a, d): (i64, i64) = sqlx::query_as(&format!(
                    "SELECT CAST(COALESCE(SUM(v1), 0) AS BIGINT), CAST(COALESCE(SUM(n), 0) AS BIGINT)
                     FROM (SELECT v1, n {} LIMIT $3) p",
                    ranked(figure)
                ))
                .bind(&slice.from)
                .bind(city)
                .bind(end)
                .fetch_one(&self.pool)
                .await?;
                if end > rank {
                    tiers.push(TierSum {
                        tier: i as i64 + 1,
                        customers: end - rank,
                        amount: a - amount,
                        deals: d - deals,
                    });
                }
                (rank, amount, deals) = (end, a, d);
            }
            return Ok(tiers);
        }
        let mut qb = QueryBuilder::<D>::new("");
        push_ranked(&mut qb, slice, cuts);
        qb.push(
            "SELECT CAST(tier AS BIGINT) AS tier, COUNT(*) AS customers, CAST(SUM(amount) AS BIGINT) AS amount,
                    CAST(SUM(deals) AS BIGINT) AS deals
             FROM t GROUP BY tier ORDER BY tier",
        );
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    #[tracing::instrument(skip(self))]
    async fn pyramid_members(
        &self,
        slice: &Slice,
        cuts: Cuts,
        tier: i64,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<TierMember>> {
        if let Some((figure, city)) = ranked_in(slice) {
            let total: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM analysis_cells
                 WHERE figure = '{figure}' AND month = $1 AND city_id = $2 AND n > 0"
            ))
            .bind(&slice.from)
            .bind(city)
            .fetch_one(&self.pool)
            .await?;
            let ends = tier_ends(total, cuts);
            // A tier outside 1–4 lists nobody (the service asks for those only).
            let index = usize::try_from(tier - 1).unwrap_or(usize::MAX);
            let Some(&end) = ends.get(index) else {
                return Ok(Vec::new());
            };
            let start = index.checked_sub(1).map_or(0, |i| ends[i]) + offset;
            let take = limit.min(end - start);
            if take <= 0 {
                return Ok(Vec::new());
            }
            let found: Vec<(i64, String, i64, i64)> = sqlx::query_as(&format!(
                "SELECT p.ref, cu.name, p.v1, p.n
                 FROM (SELECT ref, v1, n {} LIMIT $3 OFFSET $4) p
                 JOIN customers cu ON cu.id = p.ref ORDER BY p.v1 DESC, p.ref",
                ranked(figure)
            ))
            .bind(&slice.from)
            .bind(city)
            .bind(take)
            .bind(start)
            .fetch_all(&self.pool)
            .await?;
            return Ok(found
                .into_iter()
                .enumerate()
                .map(|(i, (customer_id, name, amount, deals))| TierMember {
                    rank: start + i as i64 + 1,
                    customer_id,
                    name,
                    amount,
                    deals,
                })
                .collect());
        }
        let mut qb = QueryBuilder::<D>::new("");
        push_ranked(&mut qb, slice, cuts);
        qb.push(
            "SELECT t.rn AS rank, t.customer AS customer_id, cu.name, t.amount, t.deals
             FROM t JOIN customers cu ON cu.id = t.customer WHERE t.tier = ",
        );
        qb.push_bind(tier);
        qb.push(" ORDER BY t.rn LIMIT ");
        qb.push_bind(limit);
        qb.push(" OFFSET ");
        qb.push_bind(offset);
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }
}
