//! Customers (客户管理). Adding one is a plain form post to `/customers/new` (see the server's
//! `forms` module), so it works before the WASM loads; these functions read.

use crate::model::customer::{CustomerForm, FieldError};
use crate::model::lookup::PersonLookup;
use crate::model::opportunity::{Stage, Status};
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A customer as its page shows it: dictionary ids resolved to their labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub industry: String,
    pub level: String,
    pub kind: crate::model::customer::CustomerKind,
    pub owner: String,
    pub dept: String,
    pub registered_on: String,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// Whether the viewer may 编辑 it.
    pub can_edit: bool,
    /// Whether the viewer may 删除 it: its owner and managers in scope, never a share.
    pub can_delete: bool,
    pub contacts: Vec<ContactView>,
    /// 共享, for those who may share it (owner, managers in scope).
    pub sharing: Option<crate::model::share::Sharing>,
    /// 交易明细: every opportunity of the customer in summary (whoever sees the customer sees
    /// these rows; opening one still needs opportunity scope).
    pub deals: Vec<DealView>,
    /// 销售活动 about the customer (its opportunities' included).
    pub activities: super::activities::ActivityList,
    /// 附件.
    pub files: crate::model::attachment::RecordFiles,
    /// 联系人关系图.
    pub graph: crate::model::relation::ContactGraph,
    /// 邮件 / 短信 sent to its contacts, newest first.
    pub outreach: Vec<crate::model::outreach::OutreachLogView>,
}

/// One row of 交易明细.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealView {
    pub id: i64,
    pub name: String,
    pub status: Status,
    /// 进行中, 已签约, 已终止 or 已作废: the 交易概览 group it counts in.
    pub group: String,
    pub stage: Stage,
    pub owner: String,
    pub expected_amount_fen: Option<i64>,
    /// The approved 签约金额 of a signed one.
    pub signed_amount_fen: Option<i64>,
    pub created_on: String,
    /// The newest 报价: its version and total.
    #[serde(default)]
    pub quote: Option<(i64, i64)>,
}

/// A 联系人 as the customer page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// What editing a 联系人 starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactEdit {
    pub customer_id: i64,
    pub form: crate::model::customer::ContactForm,
}

/// A refused 联系人 form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedContact {
    pub form: crate::model::customer::ContactForm,
    pub errors: Vec<FieldError>,
}

/// What 客户信息编辑 starts from: the stored values as a form, and their version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerEdit {
    pub form: CustomerForm,
    pub version: i64,
    pub options: CustomerFormOptions,
}

/// The choices of the customer form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFormOptions {
    pub industries: Vec<(i64, String)>,
    pub levels: Vec<(i64, String)>,
    /// Today in China time, the default 登记日期.
    pub today: String,
    /// The 负责部门 the viewer may choose (their reach), and the default.
    pub depts: Vec<(i64, String)>,
    pub default_dept: i64,
    /// The 负责人 field as it starts: the adder, or the current owner of an edit.
    pub owner: PersonLookup,
    /// Whether the viewer may change 负责部门 / 负责人 (on an edit: owner and managers).
    pub can_assign: bool,
}

/// A form that came back refused: what was typed and why, so nothing is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedCustomer {
    pub form: CustomerForm,
    pub errors: Vec<FieldError>,
    /// The 负责人 typed, as looked up (whom it found, or the several to choose from).
    pub owner: Option<PersonLookup>,
}

impl SubmittedCustomer {
    /// The translation key of the refusal of `field`, if any.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.key.clone())
    }
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CustomerService: Send + Sync {
    async fn form_options(
        &self,
        viewer: &crate::model::CurrentUser,
    ) -> Result<CustomerFormOptions, AppError>;
    /// The customer if `viewer` may see it; `Forbidden` otherwise, whether or not it exists.
    async fn customer(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<CustomerView, AppError>;
    /// 交易明细 of a customer `viewer` may see: filtered by group, sorted, with the columns the
    /// viewer chose.
    async fn deals(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
        query: &DealQuery,
    ) -> Result<DealsPage, AppError>;
    /// 复制: a visible customer's fields as a new-customer form (登记日期 left for today).
    async fn copy_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<CustomerForm, AppError>;
    /// The stored customer as an edit form, if `viewer` may edit it.
    async fn edit_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<CustomerEdit, AppError>;
    /// A contact as its edit form, if `viewer` may edit its customer.
    async fn contact_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<ContactEdit, AppError>;
}

#[server(endpoint = "customer_form_options")]
pub async fn load_customer_form() -> Result<CustomerFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    super::service::<dyn CustomerService>()?
        .form_options(&viewer)
        .await
}

#[server(endpoint = "customer_copy")]
pub async fn load_customer_copy(id: i64) -> Result<CustomerForm, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerService>()?
        .copy_form(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "contact_edit")]
pub async fn load_contact_edit(id: i64) -> Result<ContactEdit, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerService>()?
        .contact_form(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "customer_edit")]
pub async fn load_customer_edit(id: i64) -> Result<CustomerEdit, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerService>()?
        .edit_form(&viewer, id)
        .await;
    super::with_status(result)
}

/// 交易明细's conditions, as the customer page's address carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealQuery {
    /// `active`, `signed`, `terminated`, `voided`, or empty for all.
    #[serde(default)]
    pub group: String,
    /// `name`, `status`, `amount`, `created` (each `_desc` too); newest first by default.
    #[serde(default)]
    pub sort: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealsPage {
    pub rows: Vec<DealView>,
    pub columns: Vec<String>,
}

#[server(endpoint = "customer_deals")]
pub async fn customer_deals(id: i64, query: DealQuery) -> Result<DealsPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerService>()?
        .deals(&viewer, id, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "customer")]
pub async fn customer(id: i64) -> Result<CustomerView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerService>()?
        .customer(&viewer, id)
        .await;
    super::with_status(result)
}

/// The 客户管理 list's query conditions, as they stand in the page's address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerListQuery {
    /// `potential` (default) or `transaction`.
    pub kind: String,
    pub name: String,
    pub industry_id: String,
    pub level_id: String,
    pub from: String,
    pub to: String,
    /// 负责人 chosen (a link's, or a choice among several the text found), or empty.
    #[serde(default)]
    pub owner_id: String,
    /// 负责人 as typed: a name or login, looked up in the viewer's reach.
    #[serde(default)]
    pub owner: String,
    /// `newest` (default), `name`, `name_desc`, `registered` or `registered_desc`.
    pub sort: String,
    /// The keyset of the previous page's last row: its id (and its sort key, for the sorts
    /// by a column).
    pub after_id: String,
    #[serde(default)]
    pub after_key: String,
    /// `1`: only the customers shared with me (共享给我的).
    #[serde(default)]
    pub shared: String,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerListRow {
    pub id: i64,
    pub name: String,
    pub industry: String,
    pub level: String,
    pub owner: String,
    pub dept: String,
    pub registered_on: String,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
}

/// A page of the list, and the keyset of the next one if there is more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerListPage {
    pub rows: Vec<CustomerListRow>,
    /// The keyset (id, sort key) after this page's last row, if there is more.
    pub next: Option<(i64, String)>,
    pub industries: Vec<(i64, String)>,
    pub levels: Vec<(i64, String)>,
    /// The 负责人 filter, when the viewer reaches more people than themselves.
    pub owner: Option<crate::model::lookup::PersonLookup>,
    /// The optional columns shown, as the viewer chose them.
    pub columns: Vec<String>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CustomerListService: Send + Sync {
    /// 快速查找 among the customers `viewer` may see.
    async fn quick_find(
        &self,
        viewer: &crate::model::CurrentUser,
        text: &str,
    ) -> Result<Vec<CustomerListRow>, AppError>;

    async fn list(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &CustomerListQuery,
    ) -> Result<CustomerListPage, AppError>;
}

#[server(endpoint = "customers")]
pub async fn list_customers(query: CustomerListQuery) -> Result<CustomerListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerListService>()?
        .list(&viewer, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "customers_find")]
pub async fn quick_find(q: String) -> Result<Vec<CustomerListRow>, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn CustomerListService>()?
        .quick_find(&viewer, &q)
        .await;
    super::with_status(result)
}

/// 合并's page: the customer to merge from (`a`), the one found to merge with (`b`), or those a
/// search found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeView {
    pub a: Option<crate::model::merge::MergeSide>,
    pub b: Option<crate::model::merge::MergeSide>,
    pub found: Vec<(i64, String)>,
}

/// A refused merge: why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedMerge {
    pub errors: Vec<crate::model::customer::FieldError>,
}

#[server(endpoint = "customer_merge")]
pub async fn load_merge(a: i64, b: Option<i64>, q: String) -> Result<MergeView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn MergeService>()?
        .merge_view(&viewer, a, b, &q)
        .await;
    super::with_status(result)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MergeService: Send + Sync {
    /// Both customers must be the viewer's to edit.
    async fn merge_view(
        &self,
        viewer: &crate::model::CurrentUser,
        a: i64,
        b: Option<i64>,
        q: &str,
    ) -> Result<MergeView, AppError>;
}
