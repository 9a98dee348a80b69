//! What one opportunity's page shows besides the opportunity itself, read on one connection:
//! names and labels joined in SQL (never the whole user directory or a dictionary), the 审批记录,
//! the stage history, the 签约信息 and 终止原因, the saved edits and the shares.

use super::{ApprovalRecord, StageChange};
use crate::db::dialect::Dialect;
use crate::db::shares::{Share, Shared};
use crate::db::sql::{SqlStore, Value};
use crate::db::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// The page of one opportunity, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpportunityPage {
    pub head: PageHead,
    /// (id, name), the primary customer first.
    pub customers: Vec<(i64, String)>,
    /// The competitors' labels.
    pub competitors: Vec<String>,
    pub records: Vec<ApprovalRecord>,
    pub stages: Vec<StageChange>,
    /// 商机维护: each saved edit.
    pub edits: Vec<Edit>,
    pub shares: Vec<Share>,
}

/// The names and labels of the opportunity's own columns, and its 签约 / 终止 records.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PageHead {
    pub unit_name: String,
    pub owner_name: String,
    pub business_type: String,
    /// The open task's assignee.
    pub assignee_name: Option<String>,
    pub contract_no: Option<String>,
    pub signed_amount_fen: Option<i64>,
    pub signed_on: Option<String>,
    pub term: Option<String>,
    pub signing_notes: Option<String>,
    pub attachment_id: Option<i64>,
    pub attachment_name: Option<String>,
    pub termination_reason: Option<String>,
    pub termination_competitor: Option<String>,
    pub termination_text: Option<String>,
}

/// A saved edit, from the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Edit {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The reads of an opportunity's page.
#[async_trait::async_trait]
pub trait OpportunityPageStore: Send + Sync {
    /// Everything the page of opportunity `id` shows besides the opportunity: the caller has
    /// checked that the viewer may see it.
    async fn opportunity_page(&self, id: i64) -> StoreResult<OpportunityPage>;
}

#[async_trait::async_trait]
impl<D> OpportunityPageStore for SqlStore<D>
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
    async fn opportunity_page(&self, id: i64) -> StoreResult<OpportunityPage> {
        let mut conn = self.pool.acquire().await?;
        let head: PageHead = sqlx::query_as(
            "SELECT u.name AS unit_name, ow.name AS owner_name, bt.label AS business_type,
                    ta.name AS assignee_name,
                    s.contract_no, s.amount_fen AS signed_amount_fen, s.signed_on, s.term,
                    s.notes AS signing_notes, s.attachment_id, a.file_name AS attachment_name,
                    tr.label AS termination_reason, tc.label AS termination_competitor,
                    t.reason_text AS termination_text
             FROM opportunities o
             JOIN org_units u ON u.id = o.org_unit_id
             JOIN users ow ON ow.id = o.owner_id
             JOIN dict_items bt ON bt.id = o.business_type_id
             LEFT JOIN tasks k ON k.opportunity_id = o.id AND k.open
             LEFT JOIN users ta ON ta.id = k.assignee_id
             LEFT JOIN signings s ON s.opportunity_id = o.id
             LEFT JOIN attachments a ON a.id = s.attachment_id
             LEFT JOIN terminations t ON t.opportunity_id = o.id
             LEFT JOIN dict_items tr ON tr.id = t.reason_id
             LEFT JOIN dict_items tc ON tc.id = t.competitor_id
             WHERE o.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
        let customers = sqlx::query_as(
            "SELECT c.id, c.name FROM opportunity_customers oc
             JOIN customers c ON c.id = oc.customer_id
             WHERE oc.opportunity_id = $1
             ORDER BY oc.is_primary DESC, oc.customer_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let competitors = sqlx::query_scalar(
            "SELECT d.label FROM opportunity_competitors oc
             JOIN dict_items d ON d.id = oc.competitor_id
             WHERE oc.opportunity_id = $1 ORDER BY oc.competitor_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let records = sqlx::query_as(
            "SELECT r.id, r.task_id, r.flow, r.kind, a.name AS actor_name, r.at, r.opinion,
                n.name AS next_approver_name, r.changes_json
             FROM approval_records r
             JOIN users a ON a.id = r.actor_id
             LEFT JOIN users n ON n.id = r.next_approver_id
             WHERE r.opportunity_id = $1 ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let stages = sqlx::query_as(
            "SELECT h.from_stage, h.to_stage, u.name AS actor_name, h.at
             FROM stage_history h JOIN users u ON u.id = h.actor_id
             WHERE h.opportunity_id = $1 ORDER BY h.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let edits = sqlx::query_as(
            "SELECT l.at, u.name AS actor_name, l.before_json, l.after_json
             FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
             WHERE l.entity = 'opportunity' AND l.entity_id = $1 AND l.action = 'update'
             ORDER BY l.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let shares = Self::read_shares(&mut conn, Shared::Opportunity(id)).await?;
        Ok(OpportunityPage {
            head,
            customers,
            competitors,
            records,
            stages,
            edits,
            shares,
        })
    }
}
