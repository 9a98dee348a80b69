//! [`OpportunityStore`](super::opportunities::OpportunityStore) in SQL that both databases run
//! (see `portable.rs` for why a macro).

use crate::db::audit::AuditEntry;
use crate::db::dialect::{Dialect, RowsAffected};
use crate::db::opportunities::NewOpportunity;
use crate::db::opportunities::Opportunity;
use crate::db::opportunities::OpportunityFields;
use crate::db::opportunities::OpportunityRow;
use crate::db::opportunities::OpportunityStore;
use crate::db::opportunities::RoleAssignments;
use crate::db::opportunities::Transition;
use crate::db::opportunities::OPPORTUNITY_COLUMNS;
use crate::db::sql::{SqlStore, Value};
use crate::db::Actor;
use crate::db::StoreError;
use crate::db::StoreResult;
use crate::policy::scope::Scope;
use crate::workflow::engine::Outcome;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[async_trait::async_trait]
impl<D> OpportunityStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, new, submit), fields(name = new.fields.name.as_str()))]
    async fn create_opportunity(
        &self,
        actor: &Actor,
        new: &NewOpportunity,
        submit: Option<&Outcome>,
    ) -> StoreResult<i64> {
        use app::model::opportunity::Status;
        let mut tx = self.begin_write().await?;
        let industry_id = Self::primary_industry(&mut tx, &new.fields).await?;
        let f = &new.fields;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO opportunities (name, business_type_id, level, org_unit_id, city_id,
                industry_id, owner_id, expected_amount_fen, expected_sign_date,
                win_probability, description, stage, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'identify', $12, $13, $13)
             RETURNING id",
        )
        .bind(&f.name)
        .bind(f.business_type_id)
        .bind(new.level.code())
        .bind(new.org_unit_id)
        .bind(new.city_id)
        .bind(industry_id)
        .bind(new.owner_id)
        .bind(f.expected_amount.map(|a| a.0))
        .bind(
            f.expected_sign_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
        )
        .bind(f.win_probability)
        .bind(&f.description)
        .bind(Status::Draft.code())
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        Self::write_relations(&mut tx, id, f).await?;
        let created = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "create", "opportunity", id).after(&created),
        )
        .await?;
        if let Some(outcome) = submit {
            let transition = Transition {
                expected_version: created.version,
                outcome,
                opinion: None,
                fields: None,
                signing: None,
                termination: None,
            };
            Self::write_transition(&mut tx, actor, id, &transition).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self))]
    async fn opportunity(&self, scope: &Scope, id: i64) -> StoreResult<Option<Opportunity>> {
        let mut conn = self.pool.acquire().await?;
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT o.id FROM opportunities o WHERE o.id = ");
        qb.push_bind(id);
        crate::db::opportunities::push_opportunity_scope(&mut qb, scope);
        let found: Option<i64> = D::built_scalar(&mut qb).fetch_optional(&mut *conn).await?;
        match found {
            Some(id) => Ok(Self::fetch_opportunity(&mut conn, id).await?),
            None => Ok(None),
        }
    }

    async fn opportunity_for_workflow(&self, id: i64) -> StoreResult<Option<Opportunity>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::fetch_opportunity(&mut conn, id).await?)
    }

    #[tracing::instrument(skip(self, actor, fields))]
    async fn update_opportunity(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &OpportunityFields,
    ) -> StoreResult<Opportunity> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        Self::write_fields(&mut tx, id, fields, actor.at).await?;
        let changed = sqlx::query(
            "UPDATE opportunities SET version = version + 1 WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        let after = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "opportunity", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn opportunity_people(&self, id: i64) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT owner_id FROM opportunities WHERE id = $1
             UNION SELECT assignee_id FROM tasks WHERE opportunity_id = $1
             UNION SELECT user_id FROM opportunity_shares WHERE opportunity_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn role_assignments(&self) -> StoreResult<RoleAssignments> {
        Ok(RoleAssignments {
            roles: sqlx::query_as("SELECT user_id, role FROM user_roles")
                .fetch_all(&self.pool)
                .await?,
            industries: sqlx::query_as("SELECT user_id, industry_id FROM user_industries")
                .fetch_all(&self.pool)
                .await?,
        })
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
    /// Midnight of `d` in China time, as the instant stored times compare with.
    pub(in crate::db) fn day_start(d: chrono::NaiveDate) -> DateTime<Utc> {
        let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
        d.and_hms_opt(0, 0, 0)
            .expect("valid time")
            .and_local_timezone(cst)
            .single()
            .expect("no DST in China")
            .with_timezone(&chrono::Utc)
    }

    pub(in crate::db) async fn fetch_opportunity(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Option<Opportunity>, sqlx::Error> {
        use crate::workflow::{OpenTask, TaskKind};
        use app::model::opportunity::Flow;
        let sql = format!(
            "SELECT {} FROM opportunities o WHERE o.id = $1",
            OPPORTUNITY_COLUMNS
        );
        let Some(row): Option<OpportunityRow> = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(None);
        };
        let customers: Vec<i64> = sqlx::query_scalar(
            "SELECT customer_id FROM opportunity_customers WHERE opportunity_id = $1
             ORDER BY is_primary DESC, customer_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let competitors: Vec<i64> = sqlx::query_scalar(
            "SELECT competitor_id FROM opportunity_competitors WHERE opportunity_id = $1 ORDER BY competitor_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let task: Option<(i64, i64, Flow, TaskKind)> = sqlx::query_as(
            "SELECT id, assignee_id, flow, kind FROM tasks WHERE opportunity_id = $1 AND open",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let open_task = task.map(|(id, assignee_id, flow, kind)| OpenTask {
            id,
            assignee_id,
            flow,
            kind,
        });
        Ok(Some(row.into_opportunity(
            customers,
            competitors,
            open_task,
        )))
    }

    /// The 行业 of the primary customer.
    pub(in crate::db) async fn primary_industry(
        conn: &mut D::Connection,
        fields: &OpportunityFields,
    ) -> Result<i64, StoreError> {
        let primary = *fields.customer_ids.first().ok_or(StoreError::NotFound)?;
        sqlx::query_scalar("SELECT industry_id FROM customers WHERE id = $1")
            .bind(primary)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Replaces the customers and competitors of an opportunity.
    pub(in crate::db) async fn write_relations(
        conn: &mut D::Connection,
        id: i64,
        f: &OpportunityFields,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM opportunity_customers WHERE opportunity_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for (i, customer) in f.customer_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO opportunity_customers (opportunity_id, customer_id, is_primary) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(customer)
            .bind(i == 0)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("DELETE FROM opportunity_competitors WHERE opportunity_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for competitor in &f.competitor_ids {
            sqlx::query("INSERT INTO opportunity_competitors (opportunity_id, competitor_id) VALUES ($1, $2)")
                .bind(id)
                .bind(competitor)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Writes the typed fields (not the version: the caller's compare-and-set does).
    pub(in crate::db) async fn write_fields(
        conn: &mut D::Connection,
        id: i64,
        f: &OpportunityFields,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let industry_id = Self::primary_industry(conn, f).await?;
        sqlx::query(
            "UPDATE opportunities SET name = $1, business_type_id = $2, industry_id = $3,
                expected_amount_fen = $4, expected_sign_date = $5, win_probability = $6,
                description = $7, updated_at = $8
             WHERE id = $9",
        )
        .bind(&f.name)
        .bind(f.business_type_id)
        .bind(industry_id)
        .bind(f.expected_amount.map(|a| a.0))
        .bind(
            f.expected_sign_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
        )
        .bind(f.win_probability)
        .bind(&f.description)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Self::write_relations(conn, id, f).await?;
        Ok(())
    }
}
