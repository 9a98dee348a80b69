//! 系统管理 (系统管理员 only): 用户管理's pages. Its changes are form posts
//! (`server::forms::admin`); every call and post checks the role on the server.

use crate::model::admin_user::{UserForm, UserListQuery, UserRow};
use crate::model::customer::FieldError;
use crate::model::dictionary::{DictForm, DictRow};
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListPage {
    pub rows: Vec<UserRow>,
    /// Where the next page starts, if there is more.
    pub next: Option<String>,
    /// The query form's choices: org units (id, name, indented by depth) and roles (code,
    /// label).
    pub units: Vec<(i64, String)>,
    pub roles: Vec<(String, String)>,
}

/// What a user still holds: someone must take it over (转交) before they are disabled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingsView {
    pub open_tasks: i64,
    pub customers: i64,
    pub opportunities: i64,
}

/// The create / edit form: what it offers and starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFormOptions {
    /// `None` for a new user.
    pub id: Option<i64>,
    pub version: i64,
    pub form: UserForm,
    pub units: Vec<(i64, String)>,
    pub roles: Vec<(String, String)>,
    pub industries: Vec<(i64, String)>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub holdings: HoldingsView,
}

/// A refused user form, with what was typed (the initial password excepted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedUser {
    pub form: UserForm,
    pub version: i64,
    pub errors: Vec<FieldError>,
}

/// A refused 重置密码 or 停用 on a user's page: the reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedUserAction {
    pub errors: Vec<FieldError>,
}

/// 数据字典: one dictionary's items, the disabled ones too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DictionaryView {
    /// The dictionary's code.
    pub kind: String,
    pub items: Vec<DictRow>,
}

/// A refused change of a dictionary item, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedDict {
    pub form: DictForm,
    pub errors: Vec<FieldError>,
}

/// Someone who holds a role (with a 行业总监's industries).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHolder {
    pub login: String,
    pub name: String,
    pub industries: Vec<String>,
}

/// 角色: one role, what it may do (each read from the rule the server enforces), who holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    pub code: String,
    pub label: String,
    pub scope_key: String,
    pub menu_keys: Vec<String>,
    /// The steps it decides: (flow, level) label keys.
    pub approves: Vec<(String, String)>,
    pub adds_customers: bool,
    /// Edits, shares and deletes what its scope holds.
    pub manages: bool,
    pub publishes: bool,
    /// The first holders; `holder_count` of them in all.
    pub holders: Vec<RoleHolder>,
    pub holder_count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolesView {
    pub rows: Vec<RoleRow>,
}

/// Something a user holds, as 转交 lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferItem {
    pub id: i64,
    pub name: String,
    /// A task's flow (its label key); empty for customers and opportunities.
    pub detail: String,
}

/// 转交: whom one may take over from (within the viewer's reach), what they hold (the first
/// items of each kind, `holdings` counting all) and to whom each kind may go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub people: Vec<(i64, String)>,
    pub from: Option<i64>,
    pub holdings: HoldingsView,
    pub tasks: Vec<TransferItem>,
    pub customers: Vec<TransferItem>,
    pub opportunities: Vec<TransferItem>,
    /// Who may decide every listed task (the workflow engine says).
    pub task_targets: Vec<(i64, String)>,
    /// Who may hold the customers and opportunities: active users of their city.
    pub record_targets: Vec<(i64, String)>,
}

/// A refused 转交, with what was chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedTransfer {
    pub form: crate::model::transfer::TransferForm,
    pub errors: Vec<FieldError>,
}

/// One post of 审批配置 at one unit: who holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCell {
    /// The post's code.
    pub post: String,
    /// The city's org unit or the industry's item; empty for the province.
    pub unit: String,
    pub holders: Vec<(i64, String)>,
}

/// A city, the province or an industry, with its posts; `unstaffed` when nobody can approve
/// there (a filing there names whom to ask instead).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRow {
    pub name: String,
    pub cells: Vec<PostCell>,
    pub unstaffed: bool,
}

/// 审批配置: what the workflow engine routes by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingView {
    pub cities: Vec<RoutingRow>,
    pub province: RoutingRow,
    pub industries: Vec<RoutingRow>,
}

/// A refused 任命 / 免去, with what was chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedRouting {
    pub form: crate::model::routing::RoutingForm,
    pub errors: Vec<FieldError>,
    /// Whom the typed text found (several to choose from, or nobody).
    pub lookup: crate::model::lookup::PersonLookup,
}

/// A unit of 组织管理, in the tree's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAdminRow {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    /// The kind's code.
    pub kind: String,
    pub active: bool,
}

/// 组织管理: the tree, depth first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAdminView {
    pub units: Vec<OrgAdminRow>,
}

/// A refused change of the tree, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedOrg {
    pub form: crate::model::org_admin::OrgForm,
    pub errors: Vec<FieldError>,
}

/// 审计日志: a page of entries, newest first, and why the query was refused, if it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<crate::model::audit::AuditRow>,
    /// The `before` of the next page, if there is more.
    pub next: Option<String>,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AdminService: Send + Sync {
    /// 审计日志 (系统管理员).
    async fn audit(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &crate::model::audit::AuditQuery,
    ) -> Result<AuditPage, AppError>;

    /// 组织管理 (系统管理员).
    async fn org_admin(&self, viewer: &crate::model::CurrentUser)
        -> Result<OrgAdminView, AppError>;

    /// 审批配置 (系统管理员).
    async fn routing(&self, viewer: &crate::model::CurrentUser) -> Result<RoutingView, AppError>;

    /// 转交 (系统管理员, or a 地市 manager within their city): what `from` holds.
    async fn transfer(
        &self,
        viewer: &crate::model::CurrentUser,
        from: Option<i64>,
    ) -> Result<TransferView, AppError>;

    async fn users(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &UserListQuery,
    ) -> Result<UserListPage, AppError>;

    /// The form for a new user (`None`) or for editing one.
    async fn user_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: Option<i64>,
    ) -> Result<UserFormOptions, AppError>;

    async fn roles(&self, viewer: &crate::model::CurrentUser) -> Result<RolesView, AppError>;

    /// The items of dictionary `kind` (its code).
    async fn dictionary(
        &self,
        viewer: &crate::model::CurrentUser,
        kind: &str,
    ) -> Result<DictionaryView, AppError>;
}

#[server(endpoint = "admin_users")]
pub async fn list_users(query: UserListQuery) -> Result<UserListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?
        .users(&viewer, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "admin_user_form")]
pub async fn load_user_form(id: Option<i64>) -> Result<UserFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?
        .user_form(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "admin_dictionary")]
pub async fn load_dictionary(kind: String) -> Result<DictionaryView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?
        .dictionary(&viewer, &kind)
        .await;
    super::with_status(result)
}

#[server(endpoint = "admin_roles")]
pub async fn load_roles() -> Result<RolesView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?.roles(&viewer).await;
    super::with_status(result)
}

#[server(endpoint = "transfer_view")]
pub async fn load_transfer(from: Option<i64>) -> Result<TransferView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?
        .transfer(&viewer, from)
        .await;
    super::with_status(result)
}

#[server(endpoint = "admin_routing")]
pub async fn load_routing() -> Result<RoutingView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?.routing(&viewer).await;
    super::with_status(result)
}

#[server(endpoint = "admin_org")]
pub async fn load_org_admin() -> Result<OrgAdminView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?
        .org_admin(&viewer)
        .await;
    super::with_status(result)
}

#[server(endpoint = "admin_audit")]
pub async fn load_audit(query: crate::model::audit::AuditQuery) -> Result<AuditPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AdminService>()?
        .audit(&viewer, &query)
        .await;
    super::with_status(result)
}
