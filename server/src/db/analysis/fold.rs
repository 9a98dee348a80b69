//! The fold: for a batch of marked opportunities, reads each one's record, works out its new
//! [`Fact`], moves the cells by the difference from its old one, and clears the marks it read.
//! Folds never overlap (SQLite's write lock; a transaction lock on PostgreSQL), and a mark
//! made while one ran survives it (its `mark` moved on), so every change is folded once.

use super::fact::{deltas, Fact, Record};
use crate::db::dialect::Dialect;
use crate::db::sql::{SqlStore, Value};
use crate::db::StoreResult;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, QueryBuilder, Type};
use std::collections::HashMap;

/// Rows written per statement (ten values each at most: within both databases' limits).
const CHUNK: usize = 500;

type OpportunityRow = (
    i64,
    String,
    String,
    Option<i64>,
    i64,
    i64,
    Option<DateTime<Utc>>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// `SELECT … WHERE <column> IN (ids)`.
fn with_ids<'a, D: Dialect>(sql: &str, column: &str, ids: &[i64]) -> QueryBuilder<'a, D>
where
    i64: Value<D>,
{
    let mut qb = QueryBuilder::<D>::new(sql);
    qb.push(format!(" {column} IN ("));
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
    qb
}

pub(super) async fn fold<D>(store: &SqlStore<D>, batch: i64) -> StoreResult<usize>
where
    D: Dialect,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    for<'q> D::Arguments<'q>: IntoArguments<'q, D>,
    for<'n> &'n str: ColumnIndex<D::Row> + Encode<'n, D> + Type<D>,
    usize: ColumnIndex<D::Row>,
    i64: Value<D>,
    Option<i64>: Value<D>,
    String: Value<D>,
    Option<String>: Value<D>,
    Option<DateTime<Utc>>: Value<D>,
{
    let mut tx = store.begin_write().await?;
    sqlx::query(D::FOLD_LOCK).execute(&mut *tx).await?;
    let marked: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT opportunity_id, mark FROM analysis_dirty ORDER BY opportunity_id LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    if marked.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = marked.iter().map(|m| m.0).collect();

    let mut old: HashMap<i64, Fact> = HashMap::new();
    let stored: Vec<(i64, String)> = D::built_as(&mut with_ids(
        "SELECT opportunity_id, fact FROM analysis_facts WHERE",
        "opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, json) in stored {
        match serde_json::from_str(&json) {
            Ok(fact) => {
                old.insert(id, fact);
            }
            // A fact this build cannot read cannot be subtracted: the cells must be rebuilt.
            Err(e) => tracing::error!(id, error = %e, "unreadable analysis fact"),
        }
    }

    let mut records: HashMap<i64, Record> = HashMap::new();
    let rows: Vec<OpportunityRow> = D::built_as(&mut with_ids(
        "SELECT o.id, o.status, o.stage, o.city_id, o.industry_id, o.business_type_id,
                o.filed_at, o.expected_amount_fen, CAST(o.win_probability AS BIGINT),
                o.expected_sign_date
         FROM opportunities o WHERE",
        "o.id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, status, stage, city, industry, bt, filed_at, amount, probability, expected) in rows {
        records.insert(
            id,
            Record {
                status,
                stage,
                city,
                industry,
                business_type: bt,
                filed_at,
                amount,
                probability,
                expected_sign_date: expected,
                ..Record::default()
            },
        );
    }
    let primaries: Vec<(i64, i64)> = D::built_as(&mut with_ids(
        "SELECT opportunity_id, customer_id FROM opportunity_customers WHERE is_primary = TRUE AND",
        "opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, customer) in primaries {
        if let Some(r) = records.get_mut(&id) {
            r.customer = Some(customer);
        }
    }
    let signings: Vec<(i64, String, i64)> = D::built_as(&mut with_ids(
        "SELECT opportunity_id, signed_on, amount_fen FROM signings WHERE",
        "opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, on, amount) in signings {
        if let Some(r) = records.get_mut(&id) {
            r.signing = Some((on, amount));
        }
    }
    let ended: Vec<(i64, Option<String>, Option<i64>)> = D::built_as(&mut with_ids(
        "SELECT t.opportunity_id, d.code, t.competitor_id
         FROM terminations t JOIN dict_items d ON d.id = t.reason_id WHERE",
        "t.opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, code, competitor) in ended {
        if let Some(r) = records.get_mut(&id) {
            r.termination = Some((code, competitor));
        }
    }
    let moves: Vec<(i64, String)> = D::built_as(&mut with_ids(
        "SELECT opportunity_id, to_stage FROM stage_history WHERE",
        "opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, stage) in moves {
        if let Some(r) = records.get_mut(&id) {
            r.stages_reached.push(stage);
        }
    }
    let signing_started: Vec<(i64,)> = D::built_as(&mut with_ids(
        "SELECT DISTINCT opportunity_id FROM approval_records
         WHERE flow = 'signing' AND kind = 'submit' AND",
        "opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id,) in signing_started {
        if let Some(r) = records.get_mut(&id) {
            r.signing_started = true;
        }
    }
    let competitors: Vec<(i64, i64)> = D::built_as(&mut with_ids(
        "SELECT opportunity_id, competitor_id FROM opportunity_competitors WHERE",
        "opportunity_id",
        &ids,
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (id, competitor) in competitors {
        if let Some(r) = records.get_mut(&id) {
            r.competitors.push(competitor);
        }
    }

    let new: HashMap<i64, Fact> = records
        .iter()
        .filter_map(|(id, r)| Fact::of(r).map(|f| (*id, f)))
        .collect();
    let moved: Vec<_> = deltas(old.values(), new.values()).into_iter().collect();
    // Many rows a statement: a fold after an upgrade moves millions of cells.
    for chunk in moved.chunks(CHUNK) {
        let mut qb = QueryBuilder::<D>::new(
            "INSERT INTO analysis_cells
                 (figure, month, city_id, industry_id, business_type_id, k, ref, n, v1, v2) ",
        );
        qb.push_values(chunk, |mut row, (cell, [n, v1, v2])| {
            row.push_bind(cell.figure.to_owned())
                .push_bind(cell.month.clone())
                .push_bind(cell.city)
                .push_bind(cell.industry)
                .push_bind(cell.business_type)
                .push_bind(cell.k.clone())
                .push_bind(cell.r)
                .push_bind(*n)
                .push_bind(*v1)
                .push_bind(*v2);
        });
        qb.push(
            " ON CONFLICT (figure, month, city_id, industry_id, business_type_id, k, ref)
             DO UPDATE SET n = analysis_cells.n + excluded.n,
                 v1 = analysis_cells.v1 + excluded.v1, v2 = analysis_cells.v2 + excluded.v2",
        );
        D::built(&mut qb).execute(&mut *tx).await?;
    }
    D::built(&mut with_ids(
        "DELETE FROM analysis_facts WHERE",
        "opportunity_id",
        &ids,
    ))
    .execute(&mut *tx)
    .await?;
    for chunk in new.iter().collect::<Vec<_>>().chunks(CHUNK) {
        let mut qb = QueryBuilder::<D>::new("INSERT INTO analysis_facts (opportunity_id, fact) ");
        qb.push_values(chunk, |mut row, (id, fact)| {
            row.push_bind(**id)
                .push_bind(serde_json::to_string(fact).unwrap_or_default());
        });
        D::built(&mut qb).execute(&mut *tx).await?;
    }
    for chunk in marked.chunks(CHUNK) {
        let mut qb =
            QueryBuilder::<D>::new("DELETE FROM analysis_dirty WHERE (opportunity_id, mark) IN (");
        qb.push_values(chunk, |mut row, (id, mark)| {
            row.push_bind(*id).push_bind(*mark);
        });
        qb.push(")");
        D::built(&mut qb).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(marked.len())
}
