//! [`CustomerStore`](super::customers::CustomerStore) in SQL that both databases run (see
//! `portable.rs` for why a macro). Each store type also provides `upsert_customer_search`, the
//! one backend-specific step (FTS5 on SQLite, a trigram-indexed table on PostgreSQL).

use crate::db::audit::AuditEntry;
use crate::db::customers::Customer;
use crate::db::customers::CustomerQuery;
use crate::db::customers::CustomerRow;
use crate::db::customers::CustomerStore;
use crate::db::customers::NewCustomer;
use crate::db::customers::CUSTOMER_COLUMNS;
use crate::db::dialect::{Dialect, RowsAffected};
use crate::db::sql::{kept_unless_searching, SqlStore, Value};
use crate::db::Actor;
use crate::db::StoreError;
use crate::db::StoreResult;
use crate::policy::scope::Scope;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[async_trait::async_trait]
impl<D> CustomerStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, customer), fields(name = customer.name.as_str()))]
    async fn create_customer(
        &self,
        actor: &Actor,
        customer: &NewCustomer,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer> {
        let mut tx = self.begin_write().await?;
        let created = Self::create_customer_in(&mut tx, actor, customer, at).await?;
        tx.commit().await?;
        Ok(created)
    }

    #[tracing::instrument(skip(self, actor, customer))]
    async fn update_customer(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        customer: &NewCustomer,
    ) -> StoreResult<Customer> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_customer_for_update(&mut tx, id).await?;
        let city_id = Self::city_of(&mut tx, customer.dept_id).await?;
        let changed = sqlx::query(
            "UPDATE customers SET name = $1, name_key = $2, industry_id = $3, level_id = $4,
                kind = $5, registered_on = $6, website = $7, phone = $8, fax = $9,
                address = $10, notes = $11, version = version + 1, updated_at = $12,
                owner_id = $15, dept_id = $16, city_id = $17
             WHERE id = $13 AND version = $14",
        )
        .bind(customer.name.as_str())
        .bind(customer.name.key())
        .bind(customer.industry_id)
        .bind(customer.level_id)
        .bind(customer.kind.code())
        .bind(customer.registered_on.format("%Y-%m-%d").to_string())
        .bind(&customer.website)
        .bind(&customer.phone)
        .bind(&customer.fax)
        .bind(&customer.address)
        .bind(&customer.notes)
        .bind(actor.at)
        .bind(id)
        .bind(version)
        .bind(customer.owner_id)
        .bind(customer.dept_id)
        .bind(city_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        Self::refresh_search(&mut tx, id).await?;
        let after = Self::fetch_customer_for_update(&mut tx, id).await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "update", "customer", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self))]
    async fn quick_find(
        &self,
        scope: &Scope,
        text: &str,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT ");
        qb.push(CUSTOMER_COLUMNS);
        if text.chars().count() >= 3 {
            D::push_search_match(&mut qb, text);
        } else {
            // Too short for trigrams: a prefix of the name, on its index (which also
            // gives the order).
            qb.push(" FROM customers c WHERE ");
            D::push_name_prefix(&mut qb, text);
        }
        crate::db::customers::push_scope(&mut qb, scope);
        qb.push(if text.chars().count() >= 3 {
            " ORDER BY c.name, c.id"
        } else {
            D::NAME_PREFIX_ORDER
        })
        .push(" LIMIT ")
        .push_bind(i64::from(limit.clamp(1, 100)));
        let rows: Vec<CustomerRow> = D::built_as(&mut qb)
            .persistent(kept_unless_searching(true))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| r.into_customer()).collect())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn convert_customer(&self, actor: &Actor, id: i64) -> StoreResult<Customer> {
        let mut tx = self.begin_write().await?;
        let after = Self::convert_in(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn delete_customer(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        Self::delete_in(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn customer(&self, scope: &Scope, id: i64) -> StoreResult<Option<Customer>> {
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT ");
        qb.push(CUSTOMER_COLUMNS)
            .push(" FROM customers c WHERE c.id = ")
            .push_bind(id);
        crate::db::customers::push_scope(&mut qb, scope);
        let row: Option<CustomerRow> = D::built_as(&mut qb).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.into_customer()))
    }

    #[tracing::instrument(skip(self))]
    async fn customers(&self, scope: &Scope, query: &CustomerQuery) -> StoreResult<Vec<Customer>> {
        use crate::db::customers::{like_escape, ScopeBranch};
        let limit = i64::from(query.limit.clamp(1, 200));
        let (cmp, dir) = if query.sort.descending() {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let order = match query.sort.key_column() {
            None => format!(" ORDER BY c.id {dir}"),
            Some(col) => format!(" ORDER BY {col} {dir}, c.id {dir}"),
        };
        // One branch per way into the scope, each walking its own index in the list's
        // order and stopping at a page; an OR over them would scan the table.
        // 共享给我的: shares are the one way in (and shared records are in scope).
        let branches = match query.shared_with {
            Some(user) if user == scope.viewer_id => vec![ScopeBranch::Shared(user)],
            _ => ScopeBranch::of(scope),
        };
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT ");
        qb.push(CUSTOMER_COLUMNS).push(" FROM (");
        for (i, branch) in branches.iter().enumerate() {
            if i > 0 {
                qb.push(" UNION ");
            }
            qb.push("SELECT * FROM (SELECT c.* FROM customers c");
            branch.push_condition(&mut qb);
            if let Some(kind) = query.kind {
                qb.push(" AND c.kind = ").push_bind(kind.code());
            }
            if let Some(text) = query
                .name_contains
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                let lowered = text.to_lowercase();
                if lowered.chars().count() >= 3 {
                    // The trigram index finds the candidates; LIKE keeps those whose name holds it.
                    D::push_search_candidates(&mut qb, &lowered);
                }
                qb.push(" AND LOWER(c.name) LIKE ")
                    .push_bind(format!("%{}%", like_escape(&lowered)))
                    .push(" ESCAPE '\\'");
            }
            if let Some(v) = query.industry_id {
                qb.push(" AND c.industry_id = ").push_bind(v);
            }
            if let Some(v) = query.level_id {
                qb.push(" AND c.level_id = ").push_bind(v);
            }
            if let Some(v) = query.owner_id {
                qb.push(" AND c.owner_id = ").push_bind(v);
            }
            if let Some(user) = query.shared_with {
                qb.push(" AND EXISTS (SELECT 1 FROM customer_shares sw WHERE sw.customer_id = c.id AND sw.user_id = ")
                    .push_bind(user)
                    .push(")");
            }
            if let Some(d) = query.registered_from {
                qb.push(" AND c.registered_on >= ")
                    .push_bind(d.format("%Y-%m-%d").to_string());
            }
            if let Some(d) = query.registered_to {
                qb.push(" AND c.registered_on <= ")
                    .push_bind(d.format("%Y-%m-%d").to_string());
            }
            match (query.sort.key_column(), &query.after) {
                (None, Some(after)) => {
                    qb.push(format!(" AND c.id {cmp} ")).push_bind(after.id);
                }
                // A row comparison, which both databases walk on the (key, id) index.
                (Some(col), Some(after)) => {
                    qb.push(format!(" AND ({col}, c.id) {cmp} ("))
                        .push_bind(after.key.clone())
                        .push(", ")
                        .push_bind(after.id)
                        .push(")");
                }
                (_, None) => {}
            }
            qb.push(order.as_str()).push(" LIMIT ").push_bind(limit);
            qb.push(format!(") b{i}"));
        }
        qb.push(") c")
            .push(order.as_str())
            .push(" LIMIT ")
            .push_bind(limit);
        let searching = query
            .name_contains
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        let rows: Vec<CustomerRow> = D::built_as(&mut qb)
            .persistent(kept_unless_searching(searching))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| r.into_customer()).collect())
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
    /// Adds a customer inside the caller's transaction (see [`CustomerStore::create_customer`]).
    pub(in crate::db) async fn create_customer_in(
        conn: &mut D::Connection,
        actor: &Actor,
        customer: &NewCustomer,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer> {
        let city_id = Self::city_of(conn, customer.dept_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customers (name, name_key, industry_id, level_id, kind, owner_id,
                dept_id, city_id, registered_on, website, phone, fax, address, notes,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
             RETURNING id",
        )
        .bind(customer.name.as_str())
        .bind(customer.name.key())
        .bind(customer.industry_id)
        .bind(customer.level_id)
        .bind(customer.kind.code())
        .bind(customer.owner_id)
        .bind(customer.dept_id)
        .bind(city_id)
        .bind(customer.registered_on.format("%Y-%m-%d").to_string())
        .bind(&customer.website)
        .bind(&customer.phone)
        .bind(&customer.fax)
        .bind(&customer.address)
        .bind(&customer.notes)
        .bind(at)
        .fetch_one(&mut *conn)
        .await?;
        let created = Self::fetch_customer(conn, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        D::upsert_customer_search(conn, id, &Self::search_body(&created)).await?;
        Self::append_audit(
            conn,
            &AuditEntry::new(actor, "create", "customer", id).after(&created),
        )
        .await?;
        Ok(created)
    }

    /// 转交易客户 inside the caller's transaction (idempotent), audited.
    pub(in crate::db) async fn convert_in(
        conn: &mut D::Connection,
        actor: &Actor,
        id: i64,
    ) -> StoreResult<Customer> {
        let before = Self::fetch_customer_for_update(conn, id).await?;
        if before.kind == app::model::customer::CustomerKind::Transaction {
            return Ok(before);
        }
        sqlx::query(
            "UPDATE customers SET kind = 'transaction', version = version + 1, updated_at = $1
             WHERE id = $2",
        )
        .bind(actor.at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        let after = Self::fetch_customer_for_update(conn, id).await?;
        Self::append_audit(
            conn,
            &AuditEntry::new(actor, "convert", "customer", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// Deletes a customer inside the caller's transaction, audited; one with opportunities is
    /// kept (`CustomerHasOpportunities`, before anything is written).
    pub(in crate::db) async fn delete_in(
        conn: &mut D::Connection,
        actor: &Actor,
        id: i64,
    ) -> StoreResult<()> {
        let before = Self::fetch_customer_for_update(conn, id).await?;
        // A customer with opportunities is kept (合并 would move them; deleting never does).
        let deals: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM opportunity_customers WHERE customer_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if deals > 0 {
            return Err(StoreError::CustomerHasOpportunities);
        }
        D::delete_customer_search(conn, id).await?;
        for sql in [
            "DELETE FROM contacts WHERE customer_id = $1",
            "DELETE FROM customer_shares WHERE customer_id = $1",
            "DELETE FROM customers WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *conn).await?;
        }
        Self::append_audit(
            conn,
            &AuditEntry::new(actor, "delete", "customer", id).before(&before),
        )
        .await?;
        Ok(())
    }

    /// The customer, locked until the transaction ends (PostgreSQL; SQLite's write
    /// transaction already excludes every other writer): a concurrent merge, edit, 转交 or
    /// import of it waits, then sees this one's outcome. Without the lock two merges of
    /// overlapping customers could both pass their version checks.
    pub(in crate::db) async fn fetch_customer_for_update(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Customer, StoreError> {
        if !D::ROW_LOCK.is_empty() {
            let sql = format!("SELECT id FROM customers WHERE id = $1{}", D::ROW_LOCK);
            sqlx::query(&sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        }
        Self::fetch_customer(conn, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub(in crate::db) async fn fetch_customer(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Option<Customer>, sqlx::Error> {
        let sql = format!(
            "SELECT {} FROM customers c WHERE c.id = $1",
            CUSTOMER_COLUMNS
        );
        let row: Option<CustomerRow> = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.map(|r| r.into_customer()))
    }

    /// The city an org unit belongs to: itself, its parent city, or none (province level).
    pub(in crate::db) async fn city_of(
        conn: &mut D::Connection,
        unit_id: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        use app::model::OrgUnitKind;
        let Some(unit) = Self::fetch_org_unit(conn, unit_id).await? else {
            return Err(sqlx::Error::RowNotFound);
        };
        Ok(match (unit.kind, unit.parent_id) {
            (OrgUnitKind::City, _) => Some(unit.id),
            (OrgUnitKind::Department, Some(parent)) => Self::fetch_org_unit(conn, parent)
                .await?
                .filter(|p| p.kind == OrgUnitKind::City)
                .map(|p| p.id),
            _ => None,
        })
    }

    /// Rewrites a customer's quick-find row from its current fields and contacts.
    pub(in crate::db) async fn refresh_search(
        conn: &mut D::Connection,
        customer_id: i64,
    ) -> Result<(), StoreError> {
        let customer = Self::fetch_customer_for_update(conn, customer_id).await?;
        let body = Self::search_body_with_contacts(conn, &customer).await?;
        D::upsert_customer_search(conn, customer_id, &body).await?;
        Ok(())
    }

    /// The quick-find text of a customer with its contacts' names and numbers.
    pub(in crate::db) async fn search_body_with_contacts(
        conn: &mut D::Connection,
        c: &Customer,
    ) -> Result<String, sqlx::Error> {
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT name, phone, mobile FROM contacts WHERE customer_id = $1 ORDER BY id",
        )
        .bind(c.id)
        .fetch_all(&mut *conn)
        .await?;
        let mut body = Self::search_body(c);
        for (name, phone, mobile) in rows {
            for part in [Some(name), phone, mobile].into_iter().flatten() {
                body.push(' ');
                body.push_str(&part);
            }
        }
        Ok(body)
    }

    /// What 快速查找 matches a customer by.
    pub(in crate::db) fn search_body(c: &Customer) -> String {
        [Some(c.name.as_str()), c.phone.as_deref(), c.fax.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
