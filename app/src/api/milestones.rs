//! 订单后续执行跟踪: a signed order's milestones on its opportunity page, their form, and the
//! list of overdue ones in the viewer's scope.

use crate::model::customer::FieldError;
use crate::model::milestone::{MilestoneForm, MilestoneKind, MilestoneStatus};
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One milestone as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub id: i64,
    pub kind: MilestoneKind,
    /// A custom one's name (empty for the defaults, named by their kind).
    pub name: String,
    pub planned_on: Option<String>,
    pub actual_on: Option<String>,
    pub amount_fen: Option<i64>,
    pub status: MilestoneStatus,
    pub note: String,
    /// Open, and its planned day has passed (China time).
    pub overdue: bool,
}

/// One change, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneChangeView {
    pub at: String,
    pub user: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// The milestone's label key and custom name at the time.
    pub milestone: (String, String),
    /// (field, before, after), values as stored (codes, days, fen).
    pub changes: Vec<(String, String, String)>,
}

/// The 订单执行跟踪 panel of a signed opportunity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPanel {
    pub milestones: Vec<MilestoneView>,
    pub signed_amount_fen: i64,
    /// The sum of the 回款 milestones 已完成.
    pub paid_fen: i64,
    /// Whether the viewer may add and change milestones (the signer, managers in scope).
    pub can_edit: bool,
    pub history: Vec<MilestoneChangeView>,
}

/// What the milestone form shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneFormOptions {
    pub opportunity_id: i64,
    pub opportunity_name: String,
    /// An edit: the milestone, the revision it was read at, its fields.
    pub editing: Option<(i64, i64, MilestoneForm)>,
}

/// A refused milestone form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedMilestone {
    pub form: MilestoneForm,
    pub errors: Vec<FieldError>,
}

/// The overdue list's conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneListQuery {
    /// `overdue` (default) or `open` (every open one with a planned day).
    pub tab: String,
    pub after_key: String,
    pub after_id: String,
}

/// A milestone on the list, with its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueMilestoneView {
    pub milestone: MilestoneView,
    pub opportunity_id: i64,
    pub opportunity_name: String,
    pub owner: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneListPage {
    pub rows: Vec<DueMilestoneView>,
    pub next: Option<(String, i64)>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MilestoneService: Send + Sync {
    /// The new-milestone form of a signed order the viewer may follow up.
    async fn milestone_form(
        &self,
        viewer: &crate::model::CurrentUser,
        opportunity_id: i64,
    ) -> Result<MilestoneFormOptions, AppError>;

    /// The edit form of milestone `id`, if the viewer may change it.
    async fn milestone_edit(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<MilestoneFormOptions, AppError>;

    async fn milestone_list(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &MilestoneListQuery,
    ) -> Result<MilestoneListPage, AppError>;
}

#[server(endpoint = "milestone_form")]
pub async fn load_milestone_form(opportunity_id: i64) -> Result<MilestoneFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn MilestoneService>()?
        .milestone_form(&viewer, opportunity_id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "milestone_edit")]
pub async fn load_milestone_edit(id: i64) -> Result<MilestoneFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn MilestoneService>()?
        .milestone_edit(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "milestones")]
pub async fn list_milestones(query: MilestoneListQuery) -> Result<MilestoneListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn MilestoneService>()?
        .milestone_list(&viewer, &query)
        .await;
    super::with_status(result)
}
