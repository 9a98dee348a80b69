//! Writing the workflow's steps: a transition the engine decided (status, tasks, 审批记录,
//! messages, audit, in one transaction), 阶段处理, and the records steps leave (签约信息, 终止原因,
//! stage history).

use super::*;
use crate::db::audit::AuditEntry;
use crate::db::dialect::{Dialect, RowsAffected};
use crate::db::opportunities::Applied;
use crate::db::opportunities::NewMessage;
use crate::db::opportunities::SigningInfo;
use crate::db::opportunities::TerminationInfo;
use crate::db::opportunities::Transition;
use crate::db::sql::{SqlStore, Value};
use crate::db::{Actor, StoreError, StoreResult};
use crate::workflow::TaskKind::Approve;
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// Workflow steps and what they leave.
#[async_trait::async_trait]
pub trait StepStore: Send + Sync {
    /// Writes a workflow step in one transaction: the status (if still at the version the
    /// engine saw), the task closed (if still open) and the one opened, the 审批记录 entry, the
    /// messages and the audit entry. `StoreError::Stale` when someone acted first; nothing is written then.
    async fn apply_transition(
        &self,
        actor: &Actor,
        id: i64,
        transition: &Transition<'_>,
    ) -> StoreResult<Applied>;

    /// 阶段处理: moves an active opportunity to `to` if still at `version`, keeping the move in
    /// its stage history. Audited.
    async fn move_stage(&self, actor: &Actor, id: i64, version: i64, to: Stage) -> StoreResult<()>;

    /// The 签约信息 and 终止原因 last submitted, if any.
    async fn signing(&self, id: i64) -> StoreResult<Option<SigningInfo>>;

    async fn termination(&self, id: i64) -> StoreResult<Option<TerminationInfo>>;
}

#[async_trait::async_trait]
impl<D> StepStore for SqlStore<D>
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
    #[tracing::instrument(skip(self, actor, transition))]
    async fn apply_transition(
        &self,
        actor: &Actor,
        id: i64,
        transition: &Transition<'_>,
    ) -> StoreResult<Applied> {
        let mut tx = self.begin_write().await?;
        let applied = Self::write_transition(&mut tx, actor, id, transition).await?;
        tx.commit().await?;
        Ok(applied)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn move_stage(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        to: app::model::opportunity::Stage,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let changed = sqlx::query(
            "UPDATE opportunities SET stage = $1, version = version + 1, updated_at = $2
             WHERE id = $3 AND version = $4",
        )
        .bind(to.code())
        .bind(actor.at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        sqlx::query(
            "INSERT INTO stage_history (opportunity_id, from_stage, to_stage, actor_id, at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(before.stage.code())
        .bind(to.code())
        .bind(actor.user_id)
        .bind(actor.at)
        .execute(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &AuditEntry::new(actor, "stage", "opportunity", id)
                .before(&serde_json::json!({ "stage": before.stage.code() }))
                .after(&serde_json::json!({ "stage": to.code() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn signing(&self, id: i64) -> StoreResult<Option<SigningInfo>> {
        #[allow(clippy::type_complexity)]
        let row: Option<(String, i64, String, Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT contract_no, amount_fen, signed_on, term, notes, attachment_id FROM signings WHERE opportunity_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(
            |(contract_no, amount, signed_on, term, notes, attachment_id)| {
                Some(SigningInfo {
                    contract_no,
                    amount: app::model::opportunity::Fen(amount),
                    signed_on: chrono::NaiveDate::parse_from_str(&signed_on, "%Y-%m-%d").ok()?,
                    term,
                    notes,
                    attachment_id,
                })
            },
        ))
    }

    async fn termination(&self, id: i64) -> StoreResult<Option<TerminationInfo>> {
        let row: Option<(i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT reason_id, competitor_id, reason_text FROM terminations WHERE opportunity_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map(|(reason_id, competitor_id, reason_text)| TerminationInfo {
                reason_id,
                competitor_id,
                reason_text,
            }),
        )
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
    /// One workflow step, inside the caller's transaction (see `apply_transition`).
    pub(in crate::db) async fn write_transition(
        conn: &mut D::Connection,
        actor: &Actor,
        id: i64,
        t: &Transition<'_>,
    ) -> Result<Applied, StoreError> {
        let outcome = t.outcome;
        let before = Self::fetch_opportunity(conn, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.version != t.expected_version {
            return Err(StoreError::Stale);
        }
        let changes = match t.fields {
            Some(fields) if *fields != before.fields => {
                Self::write_fields(conn, id, fields, actor.at).await?;
                Some(serde_json::json!({ "before": before.fields, "after": fields }).to_string())
            }
            _ => None,
        };
        if let Some(signing) = t.signing {
            sqlx::query(
                "INSERT INTO signings (opportunity_id, contract_no, amount_fen, signed_on, term, notes, updated_at, attachment_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (opportunity_id) DO UPDATE SET contract_no = EXCLUDED.contract_no,
                    amount_fen = EXCLUDED.amount_fen, signed_on = EXCLUDED.signed_on,
                    term = EXCLUDED.term, notes = EXCLUDED.notes, updated_at = EXCLUDED.updated_at,
                    attachment_id = EXCLUDED.attachment_id",
            )
            .bind(id)
            .bind(&signing.contract_no)
            .bind(signing.amount.0)
            .bind(signing.signed_on.format("%Y-%m-%d").to_string())
            .bind(&signing.term)
            .bind(&signing.notes)
            .bind(actor.at)
            .bind(signing.attachment_id)
            .execute(&mut *conn)
            .await?;
        }
        if let Some(end) = t.termination {
            sqlx::query(
                "INSERT INTO terminations (opportunity_id, reason_id, competitor_id, reason_text, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (opportunity_id) DO UPDATE SET reason_id = EXCLUDED.reason_id,
                    competitor_id = EXCLUDED.competitor_id, reason_text = EXCLUDED.reason_text,
                    updated_at = EXCLUDED.updated_at",
            )
            .bind(id)
            .bind(end.reason_id)
            .bind(end.competitor_id)
            .bind(&end.reason_text)
            .bind(actor.at)
            .execute(&mut *conn)
            .await?;
        }
        // A newly signed order starts its follow-up with 开通, 验收 and 回款.
        if outcome.status == Status::Signed && before.status != Status::Signed {
            Self::add_default_milestones(conn, id, actor.at).await?;
        }
        if outcome.effects.convert_customers {
            let potential: Vec<i64> = sqlx::query_scalar(
                "SELECT c.id FROM customers c JOIN opportunity_customers oc ON oc.customer_id = c.id
                 WHERE oc.opportunity_id = $1 AND c.kind = 'potential'",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            for customer in potential {
                sqlx::query(
                    "UPDATE customers SET kind = 'transaction', version = version + 1, updated_at = $1 WHERE id = $2",
                )
                .bind(actor.at)
                .bind(customer)
                .execute(&mut *conn)
                .await?;
                Self::append_audit(
                    conn,
                    &AuditEntry::new(actor, "convert", "customer", customer).after(
                        &serde_json::json!({ "kind": "transaction", "signed_opportunity": id }),
                    ),
                )
                .await?;
            }
        }
        let changed = sqlx::query(
            "UPDATE opportunities SET status = $1, version = version + 1, updated_at = $2,
                submitted_at = CASE WHEN $3 AND submitted_at IS NULL THEN $2 ELSE submitted_at END,
                filed_at = CASE WHEN $4 THEN $2 ELSE filed_at END
             WHERE id = $5 AND version = $6",
        )
        .bind(outcome.status.code())
        .bind(actor.at)
        .bind(outcome.effects.stamp_submitted)
        .bind(outcome.effects.stamp_filed)
        .bind(id)
        .bind(t.expected_version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        if let Some(task_id) = outcome.close_task {
            let closed = sqlx::query(
                "UPDATE tasks SET open = FALSE, closed_at = $1, outcome = $2
                 WHERE id = $3 AND opportunity_id = $4 AND open",
            )
            .bind(actor.at)
            .bind(outcome.record.code())
            .bind(task_id)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if closed == 0 {
                return Err(StoreError::Stale);
            }
        }
        let opened_task = match outcome.open_task {
            Some(task) => Some(
                sqlx::query_scalar(
                    "INSERT INTO tasks (opportunity_id, flow, kind, assignee_id, open, created_at)
                     VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id",
                )
                .bind(id)
                .bind(task.flow.code())
                .bind(task.kind.code())
                .bind(task.assignee_id)
                .bind(actor.at)
                .fetch_one(&mut *conn)
                .await?,
            ),
            None => None,
        };
        // The next approver a submission or forward named.
        let next_approver = outcome
            .open_task
            .filter(|task| task.kind == Approve)
            .map(|task| task.assignee_id);
        let record_id: i64 = sqlx::query_scalar(
            "INSERT INTO approval_records (opportunity_id, task_id, flow, kind, actor_id, at,
                opinion, next_approver_id, changes_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(outcome.close_task.or(opened_task))
        .bind(outcome.flow.code())
        .bind(outcome.record.code())
        .bind(actor.user_id)
        .bind(actor.at)
        .bind(t.opinion.clone().filter(|o| !o.trim().is_empty()))
        .bind(next_approver)
        .bind(changes)
        .fetch_one(&mut *conn)
        .await?;
        let name = t
            .fields
            .map(|f| f.name.clone())
            .unwrap_or_else(|| before.fields.name.clone());
        for (user_id, kind) in &outcome.messages {
            let message = NewMessage {
                user_id: *user_id,
                kind: *kind,
                opportunity_id: Some(id),
                customer_id: None,
                title: name.clone(),
            };
            Self::insert_message(conn, &message, actor.at).await?;
        }
        let after = Self::fetch_opportunity(conn, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::append_audit(
            conn,
            &AuditEntry::new(actor, outcome.record.code(), "opportunity", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(Applied {
            opened_task,
            record_id,
        })
    }
}
