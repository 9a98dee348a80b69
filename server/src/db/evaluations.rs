//! 商机评估 as stored: one evaluation per opportunity, replaced on the revision read, audited.
//! Who may evaluate is the service's to check.

use super::dialect::{Dialect, RowsAffected};
use super::sql::{SqlStore, Value};
use super::{Actor, StoreError, StoreResult};
use crate::db::audit::AuditEntry;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvaluationRow {
    pub answers: String,
    pub score: i64,
    pub suggestion: String,
    pub revision: i64,
    pub updated_by_name: String,
    pub updated_at: DateTime<Utc>,
}

/// An evaluation to keep.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    /// JSON, as the table keeps it.
    pub answers: String,
    pub score: i64,
    pub suggestion: &'static str,
}

#[async_trait]
pub trait EvaluationStore {
    async fn evaluation(&self, opportunity_id: i64) -> StoreResult<Option<EvaluationRow>>;

    /// Keeps the evaluation of an opportunity: the first one when `revision` is `None`, else
    /// a replacement of the one at `revision`; `Stale` when someone saved in between.
    async fn save_evaluation(
        &self,
        actor: &Actor,
        opportunity_id: i64,
        revision: Option<i64>,
        new: &NewEvaluation,
    ) -> StoreResult<()>;
}

#[async_trait::async_trait]
impl<D> EvaluationStore for SqlStore<D>
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
    async fn evaluation(&self, opportunity_id: i64) -> StoreResult<Option<EvaluationRow>> {
        Ok(sqlx::query_as(
            "SELECT e.answers, e.score, e.suggestion, e.revision, u.name AS updated_by_name,
                    e.updated_at
             FROM opportunity_evaluations e JOIN users u ON u.id = e.updated_by
             WHERE e.opportunity_id = $1",
        )
        .bind(opportunity_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor, new))]
    async fn save_evaluation(
        &self,
        actor: &Actor,
        opportunity_id: i64,
        revision: Option<i64>,
        new: &NewEvaluation,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let user = actor.user_id.ok_or(StoreError::NotFound)?;
        let before: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT answers, score, suggestion FROM opportunity_evaluations WHERE opportunity_id = $1",
        )
        .bind(opportunity_id)
        .fetch_optional(&mut *tx)
        .await?;
        let changed = match revision {
            None => sqlx::query(
                "INSERT INTO opportunity_evaluations
                     (opportunity_id, answers, score, suggestion, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(opportunity_id)
            .bind(&new.answers)
            .bind(new.score)
            .bind(new.suggestion)
            .bind(user)
            .bind(actor.at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Stale,
                e => e.into(),
            })?
            .rows_affected(),
            Some(revision) => sqlx::query(
                "UPDATE opportunity_evaluations SET answers = $1, score = $2, suggestion = $3,
                     updated_by = $4, updated_at = $5, revision = revision + 1
                 WHERE opportunity_id = $6 AND revision = $7",
            )
            .bind(&new.answers)
            .bind(new.score)
            .bind(new.suggestion)
            .bind(user)
            .bind(actor.at)
            .bind(opportunity_id)
            .bind(revision)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        let mut entry = AuditEntry::new(actor, "evaluate", "opportunity", opportunity_id).after(
            &serde_json::json!({
                "answers": serde_json::from_str::<serde_json::Value>(&new.answers).unwrap_or_default(),
                "score": new.score, "suggestion": new.suggestion,
            }),
        );
        if let Some((answers, score, suggestion)) = before {
            entry = entry.before(&serde_json::json!({
                "answers": serde_json::from_str::<serde_json::Value>(&answers).unwrap_or_default(),
                "score": score, "suggestion": suggestion,
            }));
        }
        Self::append_audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }
}
