//! 导入: the rows of one chunk (up to 1,000) written in one transaction, each the way its form
//! would write it (audited, in the quick-find index), with the job's progress and every refused
//! row — the service's refusals and the store's own (a 客户名称 that exists) — in the same
//! transaction.

use super::customers::{Customer, NewCustomer};
use super::jobs::JobError;
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use crate::policy::scope::Scope;
use app::model::customer::ParsedContact;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// One imported row: where it is in the file, what it is called, and what it became.
#[derive(Debug, Clone)]
pub struct ImportedRow<T> {
    pub row_no: i64,
    pub label: String,
    /// The record to write, or the row's refusals (field key, reason key).
    pub outcome: Result<T, Vec<(String, String)>>,
}

/// Why a customer row was refused by the store.
pub const NAME_TAKEN: &str = "field.name_taken";

#[async_trait::async_trait]
pub trait ImportStore: Send + Sync {
    /// Adds a chunk of customers; a name whose key is taken (before or earlier in the file) is
    /// refused, not doubled. Returns how many were added.
    async fn import_customers(
        &self,
        actor: &Actor,
        job_id: i64,
        rows: &[ImportedRow<NewCustomer>],
    ) -> StoreResult<usize>;

    /// Adds a chunk of contacts, each to its customer (the service found it and checked the
    /// right to edit it). Returns how many were added.
    async fn import_contacts(
        &self,
        actor: &Actor,
        job_id: i64,
        rows: &[ImportedRow<(i64, ParsedContact)>],
    ) -> StoreResult<usize>;

    /// The customer `scope` may see whose normalised name is `name_key`.
    async fn customer_by_name_key(
        &self,
        scope: &Scope,
        name_key: &str,
    ) -> StoreResult<Option<Customer>>;
}

#[async_trait::async_trait]
impl<D> ImportStore for SqlStore<D>
where
    D: super::dialect::Dialect,
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
    #[tracing::instrument(skip(self, actor, rows), fields(rows = rows.len()))]
    async fn import_customers(
        &self,
        actor: &Actor,
        job_id: i64,
        rows: &[ImportedRow<NewCustomer>],
    ) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        let mut errors = Vec::new();
        let (mut added, mut failed) = (0, 0);
        for row in rows {
            let refusals = match &row.outcome {
                Err(refusals) => refusals.clone(),
                Ok(customer) => {
                    // Checked first: a unique violation would end a PostgreSQL transaction.
                    let taken: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE name_key = $1")
                            .bind(customer.name.key())
                            .fetch_one(&mut *tx)
                            .await?;
                    if taken > 0 {
                        vec![("customer.name".to_owned(), NAME_TAKEN.to_owned())]
                    } else {
                        Self::create_customer_in(&mut tx, actor, customer, actor.at).await?;
                        added += 1;
                        continue;
                    }
                }
            };
            failed += 1;
            errors.extend(refusals.into_iter().map(|(field, reason)| JobError {
                row_no: Some(row.row_no),
                label: row.label.clone(),
                field,
                reason,
            }));
        }
        Self::job_chunk_done(&mut tx, job_id, rows.len() as i64, failed, &errors).await?;
        tx.commit().await?;
        Ok(added)
    }

    #[tracing::instrument(skip(self, actor, rows), fields(rows = rows.len()))]
    async fn import_contacts(
        &self,
        actor: &Actor,
        job_id: i64,
        rows: &[ImportedRow<(i64, ParsedContact)>],
    ) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        // PostgreSQL: the chunk's customers locked first, in id order (as a merge or 转交 waits
        // for them then), so none is merged away or deleted between its check and its contact;
        // one already gone is refused below. (SQLite's write transaction excludes other writers.)
        if !D::ROW_LOCK.is_empty() {
            let mut ids: Vec<i64> = rows
                .iter()
                .filter_map(|r| r.outcome.as_ref().ok().map(|(c, _)| *c))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            if !ids.is_empty() {
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                let sql = format!(
                    "SELECT id FROM customers WHERE id IN ({}) ORDER BY id{}",
                    list.join(", "),
                    D::ROW_LOCK
                );
                sqlx::query(&sql).fetch_all(&mut *tx).await?;
            }
        }
        let mut errors = Vec::new();
        let (mut added, mut failed) = (0, 0);
        for row in rows {
            match &row.outcome {
                Ok((customer_id, contact)) => {
                    match Self::create_contact_in(&mut tx, actor, *customer_id, contact).await {
                        Ok(_) => added += 1,
                        // Merged away or deleted since the row was checked.
                        Err(StoreError::NotFound) => {
                            failed += 1;
                            errors.push(JobError {
                                row_no: Some(row.row_no),
                                label: row.label.clone(),
                                field: "contact.customer".into(),
                                reason: "import.no_customer".into(),
                            });
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(refusals) => {
                    failed += 1;
                    errors.extend(refusals.iter().map(|(field, reason)| JobError {
                        row_no: Some(row.row_no),
                        label: row.label.clone(),
                        field: field.clone(),
                        reason: reason.clone(),
                    }));
                }
            }
        }
        Self::job_chunk_done(&mut tx, job_id, rows.len() as i64, failed, &errors).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn customer_by_name_key(
        &self,
        scope: &Scope,
        name_key: &str,
    ) -> StoreResult<Option<Customer>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE name_key = $1")
            .bind(name_key.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        match id {
            Some(id) => super::customers::CustomerStore::customer(self, scope, id).await,
            None => Ok(None),
        }
    }
}
