//! 销售活动: logged on a customer or on one of its opportunities, listed on both pages.

use crate::model::activity::{ActivityForm, ActivityKind};
use crate::model::customer::FieldError;
use crate::model::AppError;
use crate::paths;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an activity is logged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityTarget {
    Customer(i64),
    Opportunity(i64),
}

impl ActivityTarget {
    /// The page it is listed on (and the form's address, plus `/activities/new`).
    pub fn page(self) -> String {
        match self {
            ActivityTarget::Customer(id) => paths::CUSTOMER.of(id),
            ActivityTarget::Opportunity(id) => paths::OPPORTUNITY.of(id),
        }
    }
}

/// One activity as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub id: i64,
    pub kind: ActivityKind,
    pub date: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub opportunity: Option<(i64, String)>,
    pub contacts: Vec<String>,
    pub notes: String,
    pub done: bool,
    pub creator: String,
    /// Whether the viewer may mark it 已完成 (its creator, while 计划中).
    pub may_complete: bool,
    /// Whether the viewer may 编辑 / 删除 it (its creator or a manager in scope, while 计划中).
    pub may_edit: bool,
    /// 计划中 and its day has passed (China time).
    pub overdue: bool,
}

/// The activities of a page, and whether the viewer may log one there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityList {
    pub rows: Vec<ActivityView>,
    pub can_log: bool,
    /// The conditions the rows were found by.
    pub filter: super::activity_list::ActivityFilter,
    /// The optional columns shown, as the viewer chose them.
    pub columns: Vec<String>,
}

/// What the 添加活动 form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFormOptions {
    pub target: ActivityTarget,
    /// The customer's or the opportunity's name.
    pub title: String,
    /// The customers it may be about (one for a customer; an opportunity's customers).
    pub customers: Vec<(i64, String)>,
    /// (customer, contact, name): the contacts that may be ticked.
    pub contacts: Vec<(i64, i64, String)>,
    pub today: String,
    /// An edit: the activity, the version it was read at, and its fields.
    pub editing: Option<(i64, i64, ActivityForm)>,
}

/// A refused 添加活动 form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedActivity {
    pub form: ActivityForm,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ActivityService: Send + Sync {
    /// The form's choices, if the viewer may log an activity on `target`.
    async fn activity_form(
        &self,
        viewer: &crate::model::CurrentUser,
        target: ActivityTarget,
    ) -> Result<ActivityFormOptions, AppError>;
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ActivityEditService: Send + Sync {
    /// The edit form of activity `id`, if the viewer may change it.
    async fn activity_edit(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<ActivityFormOptions, AppError>;
}

#[server(endpoint = "activity_edit")]
pub async fn load_activity_edit(id: i64) -> Result<ActivityFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn ActivityEditService>()?
        .activity_edit(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "activity_form")]
pub async fn load_activity_form(target: ActivityTarget) -> Result<ActivityFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn ActivityService>()?
        .activity_form(&viewer, target)
        .await;
    super::with_status(result)
}
