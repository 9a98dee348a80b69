//! What the store keeps of opportunities (商机) and their approvals: tasks (任务), 审批记录 and
//! 待阅消息. Reads of opportunities take the caller's [`Scope`]; a workflow transition is written
//! as one transaction that checks the step it was computed from (compare-and-set).

pub mod lists;
pub mod page;
mod sql;
pub mod steps;

use super::{Actor, StoreResult};
use crate::policy::scope::{Reach, Scope};
use crate::workflow::engine::Outcome;
use crate::workflow::{MessageKind, OpenTask, TaskKind};
use app::model::opportunity::{Fen, Flow, Level, RecordKind, Stage, Status};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{Database, Encode, QueryBuilder, Type};

/// The fields a filer types (and an approver may change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpportunityFields {
    pub name: String,
    pub business_type_id: i64,
    /// The primary customer first; at least one.
    pub customer_ids: Vec<i64>,
    pub expected_amount: Option<Fen>,
    pub expected_sign_date: Option<NaiveDate>,
    pub win_probability: Option<i64>,
    pub competitor_ids: Vec<i64>,
    pub description: Option<String>,
}

/// A new opportunity: its fields, and what the filer's org unit decides.
#[derive(Debug, Clone)]
pub struct NewOpportunity {
    pub fields: OpportunityFields,
    pub owner_id: i64,
    pub org_unit_id: i64,
    pub level: Level,
    pub city_id: Option<i64>,
}

/// An opportunity as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opportunity {
    pub id: i64,
    pub fields: OpportunityFields,
    pub level: Level,
    pub org_unit_id: i64,
    pub city_id: Option<i64>,
    pub industry_id: i64,
    pub owner_id: i64,
    pub stage: Stage,
    pub status: Status,
    pub submitted_at: Option<DateTime<Utc>>,
    pub filed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    /// The step waiting for someone, if any.
    pub open_task: Option<OpenTask>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OpportunityRow {
    pub id: i64,
    pub name: String,
    pub business_type_id: i64,
    pub level: Level,
    pub org_unit_id: i64,
    pub city_id: Option<i64>,
    pub industry_id: i64,
    pub owner_id: i64,
    pub expected_amount_fen: Option<i64>,
    pub expected_sign_date: Option<String>,
    pub win_probability: Option<i64>,
    pub description: Option<String>,
    pub stage: Stage,
    pub status: Status,
    pub submitted_at: Option<DateTime<Utc>>,
    pub filed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl OpportunityRow {
    pub fn into_opportunity(
        self,
        customer_ids: Vec<i64>,
        competitor_ids: Vec<i64>,
        open_task: Option<OpenTask>,
    ) -> Opportunity {
        Opportunity {
            id: self.id,
            fields: OpportunityFields {
                name: self.name,
                business_type_id: self.business_type_id,
                customer_ids,
                expected_amount: self.expected_amount_fen.map(Fen),
                expected_sign_date: self
                    .expected_sign_date
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                win_probability: self.win_probability,
                competitor_ids,
                description: self.description,
            },
            level: self.level,
            org_unit_id: self.org_unit_id,
            city_id: self.city_id,
            industry_id: self.industry_id,
            owner_id: self.owner_id,
            stage: self.stage,
            status: self.status,
            submitted_at: self.submitted_at,
            filed_at: self.filed_at,
            version: self.version,
            created_at: self.created_at,
            open_task,
        }
    }
}

/// The columns of [`OpportunityRow`], qualified by the alias `o`.
pub(crate) const OPPORTUNITY_COLUMNS: &str =
    "o.id, o.name, o.business_type_id, o.level, o.org_unit_id, o.city_id, o.industry_id, \
     o.owner_id, o.expected_amount_fen, o.expected_sign_date, o.win_probability, o.description, \
     o.stage, o.status, o.submitted_at, o.filed_at, o.version, o.created_at";

/// A workflow step to write: the engine's outcome, and the state it was computed from.
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    /// The opportunity's version the engine saw.
    pub expected_version: i64,
    pub outcome: &'a Outcome,
    pub opinion: Option<String>,
    /// Field changes made with the step (by the approver, or by the filer resubmitting),
    /// applied first and kept in the record.
    pub fields: Option<&'a OpportunityFields>,
    /// 签约信息 or 终止原因 submitted with a 签约 / 终止 step (kept for a resubmission).
    pub signing: Option<&'a SigningInfo>,
    pub termination: Option<&'a TerminationInfo>,
}

/// 签约信息 as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningInfo {
    pub contract_no: String,
    pub amount: Fen,
    pub signed_on: NaiveDate,
    pub term: Option<String>,
    pub notes: Option<String>,
    /// The contract's file (附件), if one was uploaded.
    pub attachment_id: Option<i64>,
}

/// 终止原因 as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerminationInfo {
    pub reason_id: i64,
    pub competitor_id: Option<i64>,
    pub reason_text: String,
}

/// One move of 阶段处理.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StageChange {
    pub from_stage: Stage,
    pub to_stage: Stage,
    pub actor_name: String,
    pub at: DateTime<Utc>,
}

/// What a written transition produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub opened_task: Option<i64>,
    pub record_id: i64,
}

/// The 商机管理 list's query conditions.
#[derive(Debug, Clone, Default)]
pub struct OpportunityQuery {
    pub name_contains: Option<String>,
    pub customer_contains: Option<String>,
    pub business_type_id: Option<i64>,
    pub status: Option<Status>,
    pub owner_id: Option<i64>,
    /// Only those shared with this user (共享给我的).
    pub shared_with: Option<i64>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    /// Only those 商机评估 suggests this for (`follow` or `drop`).
    pub suggestion: Option<&'static str>,
    /// The id of the previous page's last row (newest first).
    pub after_id: Option<i64>,
    pub limit: u32,
}

/// One row of the 商机管理 list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpportunityListItem {
    pub id: i64,
    pub name: String,
    pub customer_name: String,
    pub business_type_id: i64,
    pub status: Status,
    pub stage: Stage,
    pub owner_name: String,
    pub expected_amount_fen: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// One entry of 审批记录.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApprovalRecord {
    pub id: i64,
    pub task_id: Option<i64>,
    pub flow: Flow,
    pub kind: RecordKind,
    pub actor_name: String,
    pub at: DateTime<Utc>,
    pub opinion: Option<String>,
    pub next_approver_name: Option<String>,
    pub changes_json: Option<String>,
}

/// Which of a user's tasks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskFilter {
    /// 全部任务: to do and done.
    #[default]
    All,
    /// 待办任务.
    Todo,
    /// 已办任务: decided by the user.
    Done,
}

#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub filter: TaskFilter,
    pub name_contains: Option<String>,
    pub flow: Option<Flow>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub after_id: Option<i64>,
    pub limit: u32,
}

/// A task as the task lists and the 任务处理页面 show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskItem {
    pub id: i64,
    pub opportunity_id: i64,
    pub opportunity_name: String,
    pub flow: Flow,
    pub kind: TaskKind,
    pub assignee_id: i64,
    pub open: bool,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<RecordKind>,
    pub filer_name: String,
}

/// A 待阅消息.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub kind: MessageKind,
    pub opportunity_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub announcement_id: Option<i64>,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub user_id: i64,
    pub kind: MessageKind,
    pub opportunity_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub title: String,
}

/// A 交易明细 row: one opportunity of a customer, in summary.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DealRow {
    pub id: i64,
    pub name: String,
    pub status: Status,
    pub stage: Stage,
    pub owner_name: String,
    pub expected_amount_fen: Option<i64>,
    /// The approved 签约金额, once signed.
    pub signed_amount_fen: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// The newest 报价 version's number and total, if quoted.
    pub quote_version: Option<i64>,
    pub quote_fen: Option<i64>,
}

/// Who holds which role and industries (for routing), read in one go.
#[derive(Debug, Clone, Default)]
pub struct RoleAssignments {
    pub roles: Vec<(i64, String)>,
    pub industries: Vec<(i64, i64)>,
}

#[async_trait]
pub trait OpportunityStore: Send + Sync {
    /// Adds an opportunity as a 草稿 or, with `submit`, submitted at once (its first step
    /// written in the same transaction). Audited.
    async fn create_opportunity(
        &self,
        actor: &Actor,
        new: &NewOpportunity,
        submit: Option<&Outcome>,
    ) -> StoreResult<i64>;

    /// The opportunity if `scope` may see it (its scope, a share, or having been one of its
    /// approvers; drafts only their filer).
    async fn opportunity(&self, scope: &Scope, id: i64) -> StoreResult<Option<Opportunity>>;

    /// The opportunity whatever the scope: for the workflow, after the caller's checks.
    async fn opportunity_for_workflow(&self, id: i64) -> StoreResult<Option<Opportunity>>;

    /// Replaces the fields if still at `version` (`Stale` otherwise). Audited.
    async fn update_opportunity(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &OpportunityFields,
    ) -> StoreResult<Opportunity>;

    /// Who an opportunity concerns: its owner, everyone who held one of its tasks, and those
    /// it is shared with (the receivers of its live events).
    async fn opportunity_people(&self, id: i64) -> StoreResult<Vec<i64>>;

    /// Every user's roles and industries, for routing.
    async fn role_assignments(&self) -> StoreResult<RoleAssignments>;
}

/// One way an opportunity can be in a list's scope; a list is the union of its branches, each
/// walking its own index newest first and stopping at a page (an `OR` over them would scan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListBranch {
    Everything,
    Owner(i64),
    Shared(i64),
    /// Opportunities whose tasks the user held or holds.
    Assigned(i64),
    City(i64),
    Industries(Vec<i64>),
}

impl ListBranch {
    /// The branches of a list: a 共享给我的 list has one (shares are in scope); a list of one
    /// owner's walks that owner's opportunities, checking the scope on each (`true`); any
    /// other is the union of every way into the scope.
    pub(crate) fn of(scope: &Scope, query: &OpportunityQuery) -> Vec<(ListBranch, bool)> {
        let me = scope.viewer_id;
        match (query.shared_with, query.owner_id) {
            (Some(user), _) if user == me => return vec![(ListBranch::Shared(user), false)],
            (_, Some(owner)) => return vec![(ListBranch::Owner(owner), owner != me)],
            _ => {}
        }
        let mine = [
            ListBranch::Owner(me),
            ListBranch::Shared(me),
            ListBranch::Assigned(me),
        ];
        let reach = match &scope.reach {
            Reach::All | Reach::Province => return vec![(ListBranch::Everything, false)],
            Reach::City(city) => vec![ListBranch::City(*city)],
            Reach::Industries(ids) if !ids.is_empty() => vec![ListBranch::Industries(ids.clone())],
            Reach::Industries(_) | Reach::Own => Vec::new(),
        };
        mine.into_iter().chain(reach).map(|b| (b, false)).collect()
    }
}

/// Appends ` AND (<the scope's condition on opportunity alias o>)`: drafts only for their
/// filer; otherwise the owner, a share, a past or present approver, or the reach.
pub(crate) fn push_opportunity_scope<'a, DB: Database>(
    qb: &mut QueryBuilder<'a, DB>,
    scope: &'a Scope,
) where
    i64: Encode<'a, DB> + Type<DB>,
{
    qb.push(" AND (o.status <> 'draft' OR o.owner_id = ")
        .push_bind(scope.viewer_id)
        .push(") AND (o.owner_id = ")
        .push_bind(scope.viewer_id)
        .push(" OR EXISTS (SELECT 1 FROM opportunity_shares s WHERE s.opportunity_id = o.id AND s.user_id = ")
        .push_bind(scope.viewer_id)
        .push(") OR EXISTS (SELECT 1 FROM tasks t WHERE t.opportunity_id = o.id AND t.assignee_id = ")
        .push_bind(scope.viewer_id)
        .push(")");
    match &scope.reach {
        Reach::All | Reach::Province => {
            qb.push(" OR TRUE");
        }
        Reach::City(city) => {
            qb.push(" OR o.city_id = ").push_bind(*city);
        }
        Reach::Industries(ids) if !ids.is_empty() => {
            qb.push(" OR o.industry_id IN (");
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            qb.push(")");
        }
        Reach::Industries(_) | Reach::Own => {}
    }
    qb.push(")");
}
