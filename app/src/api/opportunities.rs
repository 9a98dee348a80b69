//! Opportunities (商机管理), tasks (任务) and messages (待阅消息). Filing and every decision are
//! plain form posts handled by the server's `forms` (so they work before the WASM loads); these
//! functions read.

use crate::model::customer::FieldError;
use crate::model::opportunity::{
    Decision, Flow, Level, MessageKind, RecordKind, Stage, Status, TaskKind,
};
pub use crate::model::opportunity_form::OpportunityForm;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A choice: an id and its label.
pub type Choice = (i64, String);

/// What the 报备商机 form offers the viewer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityFormOptions {
    pub business_types: Vec<Choice>,
    pub competitors: Vec<Choice>,
    /// The eligible approvers (选择审批人).
    pub approvers: Vec<Choice>,
    /// When there is none: the 系统管理员s to ask (审批配置 names the approvers).
    pub ask_instead: Vec<String>,
    /// 商机级别 and 归属, from the filer's org unit (shown, not typed).
    pub level: Level,
    pub org_unit: String,
    /// Customers already chosen, with their names (a refused or prefilled form).
    pub chosen_customers: Vec<Choice>,
    /// Customers found by the customer search step (JavaScript off, or a search typed).
    pub found_customers: Vec<Choice>,
}

/// A refused opportunity form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedOpportunity {
    pub form: OpportunityForm,
    /// The customer search typed (查找客户).
    pub customer_query: String,
    pub errors: Vec<FieldError>,
}

/// One entry of 审批记录 as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub flow: Flow,
    pub kind: RecordKind,
    pub actor: String,
    pub at: String,
    pub opinion: Option<String>,
    pub next_approver: Option<String>,
    /// What an approver changed: (field label key, before, after).
    pub changes: Vec<(String, String, String)>,
}

/// An opportunity as 商机详细 shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityView {
    pub id: i64,
    pub name: String,
    pub customers: Vec<Choice>,
    pub business_type: String,
    pub level: Level,
    pub org_unit: String,
    pub owner: String,
    pub expected_amount: Option<String>,
    pub expected_sign_date: Option<String>,
    pub win_probability: Option<i64>,
    pub competitors: Vec<String>,
    pub description: Option<String>,
    pub status: Status,
    pub created_at: String,
    pub version: i64,
    pub records: Vec<RecordView>,
    /// The open step: its assignee's name, and whether it is the viewer's (a link to it).
    pub waiting_for: Option<String>,
    pub my_task: Option<i64>,
    /// A draft the viewer may submit (提交审批), with the approvers to choose from.
    pub can_submit: bool,
    pub approvers: Vec<Choice>,
    /// When nobody may approve it: the 系统管理员s to ask.
    pub ask_instead: Vec<String>,
    /// Whether the viewer may edit it now.
    pub can_edit: bool,
    /// 阶段 and its history.
    pub stage: Stage,
    pub stage_history: Vec<StageMove>,
    /// Whether the viewer may move its stage or start 签约 / 终止 (its owner, while active and
    /// nothing waits).
    pub can_move_stage: bool,
    pub signing: Option<SigningView>,
    pub termination: Option<TerminationView>,
    /// 商机维护's history: every saved edit.
    pub edits: Vec<EditView>,
    /// 商机共享, for those who may share it (owner, managers in scope).
    pub sharing: Option<crate::model::share::Sharing>,
    /// Whether the edit page is theirs to use (the filer while nobody is deciding; an
    /// approver edits on the 任务处理页面).
    pub can_open_edit: bool,
    /// 销售活动 logged on it.
    pub activities: super::activities::ActivityList,
    /// 报价.
    pub quotes: super::quotes::QuotePanel,
    /// 商机评估's score and suggestion, once evaluated.
    pub evaluation: Option<super::evaluations::EvaluationSummary>,
    /// 订单执行跟踪, once signed.
    pub order: Option<super::milestones::OrderPanel>,
    /// 附件.
    pub files: crate::model::attachment::RecordFiles,
}

/// One move of an opportunity's 阶段.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageMove {
    pub from: Stage,
    pub to: Stage,
    pub by: String,
    pub at: String,
}

/// One saved edit of an opportunity (商机维护).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditView {
    pub at: String,
    pub actor: String,
    /// (field label key, before, after).
    pub changes: Vec<(String, String, String)>,
}

/// 签约信息 as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningView {
    pub contract_no: String,
    pub amount: String,
    pub signed_on: String,
    pub term: Option<String>,
    pub notes: Option<String>,
    /// 附件: (id, file name), downloaded at `/attachments/{id}`.
    pub attachment: Option<(i64, String)>,
}

/// 终止原因 as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationView {
    pub reason: String,
    pub competitor: Option<String>,
    pub text: String,
}

/// What the 签约 / 终止 forms offer, and what they start from (the last one submitted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowFormOptions {
    pub opportunity_id: i64,
    pub opportunity_name: String,
    pub version: i64,
    pub approvers: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub competitors: Vec<Choice>,
    /// The category 输给竞争对手 (which needs the competitor).
    pub lost_to_competitor: Option<i64>,
    pub today: String,
    pub signing: crate::model::lifecycle::SigningForm,
    pub termination: crate::model::lifecycle::TerminationForm,
}

/// A refused 签约 / 终止 form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedFlow {
    pub signing: crate::model::lifecycle::SigningForm,
    pub termination: crate::model::lifecycle::TerminationForm,
    pub errors: Vec<FieldError>,
}

/// What the opportunity's edit page starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityEdit {
    pub id: i64,
    pub version: i64,
    pub form: OpportunityForm,
    pub options: OpportunityFormOptions,
    /// Fields the viewer may not change (a 协作 user: those the approval decided on).
    pub locked: Vec<String>,
}

/// What 阶段处理 did: moved the stage, or (签约 / 终止 chosen) leads on to that flow's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageStep {
    Moved,
    FlowForm(crate::model::opportunity::Flow),
}

/// What a 待阅消息 is about (where opening it leads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAbout {
    Opportunity(i64),
    Customer(i64),
    Announcement(i64),
    /// Nothing that still exists: the message list.
    Nothing,
}

/// The 任务处理页面.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub task_id: i64,
    pub open: bool,
    pub kind: TaskKind,
    pub flow: Flow,
    /// Whether the viewer is the one to act on it now.
    pub mine: bool,
    pub opportunity: OpportunityView,
    /// The opportunity's fields as a form (the assignee may change them).
    pub form: OpportunityForm,
    pub options: OpportunityFormOptions,
    /// The 审批结果 offered.
    pub decisions: Vec<Decision>,
    /// Who 「通过，报总经理继续审批」 would send it to (the prompt before sending).
    pub forward_to: Option<String>,
    /// After a forward: 「下一位审批人员：…」.
    pub next_approver: Option<String>,
    /// For a returned 签约 / 终止: its form's choices and last values.
    pub flow_options: Option<FlowFormOptions>,
}

/// A refused decision or resubmission, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedDecision {
    pub form: OpportunityForm,
    /// For a returned 签约 / 终止: what was typed in its form.
    #[serde(default)]
    pub signing: crate::model::lifecycle::SigningForm,
    #[serde(default)]
    pub termination: crate::model::lifecycle::TerminationForm,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub opinion: String,
    pub errors: Vec<FieldError>,
}

/// The 商机管理 list's conditions as the address carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityListQuery {
    /// `mine` (default), `all` (in scope) or `shared`.
    #[serde(default)]
    pub tab: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub business_type_id: String,
    #[serde(default)]
    pub status: String,
    /// 负责人 chosen (a link's, or a choice among several the text found).
    #[serde(default)]
    pub owner_id: String,
    /// 负责人 as typed: a name or login, looked up in the viewer's reach.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// 商机评估's suggestion: `follow`, `drop`, or empty for all.
    #[serde(default)]
    pub suggestion: String,
    #[serde(default)]
    pub after_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityListRow {
    pub id: i64,
    pub name: String,
    pub customer: String,
    pub business_type: String,
    pub status: Status,
    pub stage: Stage,
    pub owner: String,
    pub expected_amount: Option<String>,
    pub created_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityListPage {
    pub rows: Vec<OpportunityListRow>,
    pub next: Option<i64>,
    pub business_types: Vec<Choice>,
    /// The 负责人 filter, when the viewer reaches more people than themselves.
    pub owner: Option<crate::model::lookup::PersonLookup>,
    pub columns: Vec<String>,
}

/// The task lists' conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskListQuery {
    /// `all` (default), `todo`, `done` or `messages`.
    #[serde(default)]
    pub tab: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub flow: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub after_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskListRow {
    pub id: i64,
    pub opportunity_name: String,
    pub flow: Flow,
    pub kind: TaskKind,
    pub open: bool,
    pub filer: String,
    pub created_at: String,
    /// What was decided, once decided.
    pub outcome: Option<RecordKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: i64,
    pub kind: MessageKind,
    pub title: String,
    pub created_at: String,
    pub read: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskListPage {
    pub tasks: Vec<TaskListRow>,
    pub messages: Vec<MessageRow>,
    pub next: Option<i64>,
    /// 待办's first page: the viewer's planned activities whose day has come (or passed).
    #[serde(default)]
    pub activities_due: Vec<super::activities::ActivityView>,
}

/// The menu's badges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badges {
    pub todo: i64,
    pub unread: i64,
    /// 客户业务预警 on the viewer's own records and steps (at most 99).
    #[serde(default)]
    pub warnings: i64,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OpportunityService: Send + Sync {
    /// The 报备商机 form's choices; `customer_query` searches customers in scope, `chosen`
    /// names the customers already picked.
    async fn form_options(
        &self,
        viewer: &crate::model::CurrentUser,
        customer_query: &str,
        chosen: &[String],
    ) -> Result<OpportunityFormOptions, AppError>;

    async fn opportunity(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<OpportunityView, AppError>;

    /// The edit page's form, if the viewer may edit the opportunity there; `chosen` and
    /// `customer_query` as for [`form_options`](Self::form_options) (a form shown again).
    async fn edit_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
        customer_query: &str,
        chosen: Option<&[String]>,
    ) -> Result<OpportunityEdit, AppError>;

    /// Saves the edit page if the opportunity is still at `version` (「数据已被他人修改」
    /// otherwise, keeping what was typed).
    async fn update(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
        version: i64,
        form: &OpportunityForm,
    ) -> Result<(), AppError>;

    async fn list(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &OpportunityListQuery,
    ) -> Result<OpportunityListPage, AppError>;

    async fn task(&self, viewer: &crate::model::CurrentUser, id: i64)
        -> Result<TaskView, AppError>;

    /// 阶段处理: moves the stage (`identify`, `proposal`, `negotiation`) if still at `version`;
    /// The 签约 / 终止 form of an opportunity the viewer may start it on.
    async fn flow_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
        flow: crate::model::opportunity::Flow,
    ) -> Result<FlowFormOptions, AppError>;

    async fn tasks(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &TaskListQuery,
    ) -> Result<TaskListPage, AppError>;

    async fn badges(&self, viewer: &crate::model::CurrentUser) -> Result<Badges, AppError>;
}

/// The 报备商机 form's choices; `chosen`: the customer ids already picked, comma-separated.
#[server(endpoint = "opportunity_form")]
pub async fn load_opportunity_form(
    customer_query: String,
    chosen: String,
) -> Result<OpportunityFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let chosen: Vec<String> = chosen
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let result = super::service::<dyn OpportunityService>()?
        .form_options(&viewer, &customer_query, &chosen)
        .await;
    super::with_status(result)
}

#[server(endpoint = "opportunity")]
pub async fn load_opportunity(id: i64) -> Result<OpportunityView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn OpportunityService>()?
        .opportunity(&viewer, id)
        .await;
    super::with_status(result)
}

/// The edit page's form. `chosen` (comma-separated ids) and `customer_query` come from a form
/// shown again; empty `chosen` means the stored customers.
#[server(endpoint = "opportunity_edit")]
pub async fn load_opportunity_edit(
    id: i64,
    customer_query: String,
    chosen: String,
) -> Result<OpportunityEdit, AppError> {
    let viewer = super::auth::viewer()?;
    let chosen: Vec<String> = chosen
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let chosen = (!chosen.is_empty()).then_some(chosen.as_slice());
    let result = super::service::<dyn OpportunityService>()?
        .edit_form(&viewer, id, &customer_query, chosen)
        .await;
    super::with_status(result)
}

#[server(endpoint = "opportunity_flow_form")]
pub async fn load_flow_form(
    id: i64,
    flow: crate::model::opportunity::Flow,
) -> Result<FlowFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn OpportunityService>()?
        .flow_form(&viewer, id, flow)
        .await;
    super::with_status(result)
}

#[server(endpoint = "opportunities")]
pub async fn list_opportunities(
    query: OpportunityListQuery,
) -> Result<OpportunityListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn OpportunityService>()?
        .list(&viewer, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "task")]
pub async fn load_task(id: i64) -> Result<TaskView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn OpportunityService>()?
        .task(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "tasks")]
pub async fn list_tasks(query: TaskListQuery) -> Result<TaskListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn OpportunityService>()?
        .tasks(&viewer, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "badges")]
pub async fn load_badges() -> Result<Badges, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn OpportunityService>()?
        .badges(&viewer)
        .await;
    super::with_status(result)
}
