//! Lists of opportunities within the caller's scope (商机管理, a customer's 交易明细) and the
//! customer names an opportunity shows.

use crate::db::dialect::Dialect;
use crate::db::opportunities::DealRow;
use crate::db::opportunities::ListBranch;
use crate::db::opportunities::OpportunityListItem;
use crate::db::opportunities::OpportunityQuery;
use crate::db::sql::{kept_unless_searching, SqlStore, Value};
use crate::db::StoreResult;
use crate::policy::scope::Scope;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// Opportunity lists and the customer names they show.
#[async_trait::async_trait]
pub trait OpportunityListStore: Send + Sync {
    /// One page of the opportunities `scope` may see, newest first.
    async fn opportunities(
        &self,
        scope: &Scope,
        query: &OpportunityQuery,
    ) -> StoreResult<Vec<OpportunityListItem>>;

    /// 交易明细: every opportunity of a customer (not drafts), newest first.
    async fn customer_deals(&self, customer_id: i64) -> StoreResult<Vec<DealRow>>;

    /// The names of those of `ids` that `scope` may see, in the order asked (one query).
    async fn customer_names(&self, scope: &Scope, ids: &[i64]) -> StoreResult<Vec<(i64, String)>>;

    /// The customers of one opportunity with their names, the primary first: shown to whoever
    /// may see the opportunity, so the caller has checked that right.
    async fn opportunity_customer_names(
        &self,
        opportunity_id: i64,
    ) -> StoreResult<Vec<(i64, String)>>;
}

#[async_trait::async_trait]
impl<D> OpportunityListStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, query))]
    async fn opportunities(
        &self,
        scope: &Scope,
        query: &OpportunityQuery,
    ) -> StoreResult<Vec<OpportunityListItem>> {
        use crate::db::customers::like_escape;
        use ListBranch;
        let limit = i64::from(query.limit.clamp(1, 200));
        let pattern = |t: &str| format!("%{}%", like_escape(&t.trim().to_lowercase()));
        let mut qb = sqlx::QueryBuilder::<D>::new(
            "SELECT o.id, o.name, COALESCE(c.name, '') AS customer_name, o.business_type_id,
                o.status, o.stage, u.name AS owner_name, o.expected_amount_fen, o.created_at
             FROM (",
        );
        for (i, (branch, check_scope)) in ListBranch::of(scope, query).iter().enumerate() {
            if i > 0 {
                qb.push(" UNION ");
            }
            // The tasks a user held are walked newest opportunity first on their index and
            // grouped (one row per opportunity, with no sort of all of them: a 地市副总 holds
            // hundreds of thousands).
            let (select, order) = match branch {
                ListBranch::Assigned(_) => (
                    "SELECT * FROM (SELECT t.opportunity_id AS id FROM tasks t \
                     JOIN opportunities o ON o.id = t.opportunity_id",
                    " GROUP BY t.opportunity_id ORDER BY t.opportunity_id DESC LIMIT ",
                ),
                _ => (
                    "SELECT * FROM (SELECT o.id FROM opportunities o",
                    " ORDER BY o.id DESC LIMIT ",
                ),
            };
            qb.push(select);
            match branch {
                ListBranch::Everything => {
                    qb.push(" WHERE 1 = 1");
                }
                ListBranch::Owner(user) => {
                    qb.push(" WHERE o.owner_id = ").push_bind(*user);
                }
                ListBranch::Shared(user) => {
                    qb.push(
                        " JOIN opportunity_shares sh ON sh.opportunity_id = o.id AND sh.user_id = ",
                    )
                    .push_bind(*user)
                    .push(" WHERE 1 = 1");
                }
                ListBranch::Assigned(user) => {
                    qb.push(" WHERE t.assignee_id = ").push_bind(*user);
                }
                ListBranch::City(city) => {
                    qb.push(" WHERE o.city_id = ").push_bind(*city);
                }
                ListBranch::Industries(ids) => {
                    qb.push(" WHERE o.industry_id IN (");
                    let mut list = qb.separated(", ");
                    for id in ids {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                }
            }
            if *check_scope {
                crate::db::opportunities::push_opportunity_scope(&mut qb, scope);
            } else {
                // Drafts are their filer's alone, whatever the branch.
                qb.push(" AND (o.status <> 'draft' OR o.owner_id = ")
                    .push_bind(scope.viewer_id)
                    .push(")");
            }
            if let Some(suggestion) = query.suggestion {
                qb.push(
                    " AND EXISTS (SELECT 1 FROM opportunity_evaluations ev
                       WHERE ev.opportunity_id = o.id AND ev.suggestion = ",
                )
                .push_bind(suggestion)
                .push(")");
            }
            if let Some(t) = query
                .name_contains
                .as_deref()
                .filter(|t| !t.trim().is_empty())
            {
                let lowered = t.trim().to_lowercase();
                if lowered.chars().count() >= 3 {
                    // The trigram index finds the candidates; LIKE keeps those whose name holds it.
                    D::push_opportunity_name_candidates(&mut qb, &lowered);
                }
                qb.push(" AND LOWER(o.name) LIKE ")
                    .push_bind(pattern(t))
                    .push(" ESCAPE '\\'");
            }
            if let Some(t) = query
                .customer_contains
                .as_deref()
                .filter(|t| !t.trim().is_empty())
            {
                qb.push(" AND EXISTS (SELECT 1 FROM opportunity_customers xc JOIN customers x ON x.id = xc.customer_id \
                         WHERE xc.opportunity_id = o.id AND LOWER(x.name) LIKE ")
                    .push_bind(pattern(t))
                    .push(" ESCAPE '\\')");
            }
            if let Some(v) = query.business_type_id {
                qb.push(" AND o.business_type_id = ").push_bind(v);
            }
            if let Some(s) = query.status {
                qb.push(" AND o.status = ").push_bind(s.code());
            }
            if let Some(v) = query.owner_id {
                qb.push(" AND o.owner_id = ").push_bind(v);
            }
            if let Some(user) = query.shared_with {
                qb.push(" AND EXISTS (SELECT 1 FROM opportunity_shares sw WHERE sw.opportunity_id = o.id AND sw.user_id = ")
                    .push_bind(user)
                    .push(")");
            }
            if let Some(d) = query.created_from {
                qb.push(" AND o.created_at >= ")
                    .push_bind(Self::day_start(d));
            }
            if let Some(d) = query.created_to {
                qb.push(" AND o.created_at < ")
                    .push_bind(Self::day_start(d + chrono::Duration::days(1)));
            }
            if let Some(after) = query.after_id {
                qb.push(" AND o.id < ").push_bind(after);
            }
            qb.push(order).push_bind(limit);
            qb.push(format!(") b{i}"));
        }
        qb.push(
            ") page
             JOIN opportunities o ON o.id = page.id
             JOIN users u ON u.id = o.owner_id
             LEFT JOIN opportunity_customers oc ON oc.opportunity_id = o.id AND oc.is_primary
             LEFT JOIN customers c ON c.id = oc.customer_id
             ORDER BY o.id DESC LIMIT ",
        )
        .push_bind(limit);
        let searching = [&query.name_contains, &query.customer_contains]
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| !t.trim().is_empty()));
        Ok(D::built_as(&mut qb)
            .persistent(kept_unless_searching(searching))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn customer_deals(&self, customer_id: i64) -> StoreResult<Vec<DealRow>> {
        Ok(sqlx::query_as(
            "SELECT o.id, o.name, o.status, o.stage, u.name AS owner_name,
                o.expected_amount_fen, s.amount_fen AS signed_amount_fen, o.created_at,
                q.version_no AS quote_version, q.total_fen AS quote_fen
             FROM opportunity_customers oc
             JOIN opportunities o ON o.id = oc.opportunity_id
             JOIN users u ON u.id = o.owner_id
             LEFT JOIN signings s ON s.opportunity_id = o.id AND o.status = 'signed'
             LEFT JOIN quotes q ON q.opportunity_id = o.id
                  AND q.version_no = (SELECT MAX(n.version_no) FROM quotes n
                                      WHERE n.opportunity_id = o.id)
             WHERE oc.customer_id = $1 AND o.status <> 'draft'
             ORDER BY o.id DESC",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn customer_names(&self, scope: &Scope, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb =
            sqlx::QueryBuilder::<D>::new("SELECT c.id, c.name FROM customers c WHERE c.id IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        crate::db::customers::push_scope(&mut qb, scope);
        let found: std::collections::HashMap<i64, String> = D::built_as::<(i64, String)>(&mut qb)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect();
        let mut seen = std::collections::HashSet::new();
        Ok(ids
            .iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| found.get(id).map(|name| (*id, name.clone())))
            .collect())
    }

    async fn opportunity_customer_names(
        &self,
        opportunity_id: i64,
    ) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.name FROM opportunity_customers oc
             JOIN customers c ON c.id = oc.customer_id
             WHERE oc.opportunity_id = $1
             ORDER BY oc.is_primary DESC, oc.customer_id",
        )
        .bind(opportunity_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
