//! 首页 (集成页面): the newest few of each list the widgets show, in one call.

use super::announcements::AnnouncementRow;
use super::opportunities::{MessageRow, OpportunityListRow, TaskListRow};
use super::rankings::HomeRankings;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub tasks_all: Vec<TaskListRow>,
    pub tasks_todo: Vec<TaskListRow>,
    /// The viewer's planned activities whose day has come (shown with 待办).
    pub activities_due: Vec<super::activities::ActivityView>,
    pub messages: Vec<MessageRow>,
    pub mine: Vec<OpportunityListRow>,
    pub shared: Vec<OpportunityListRow>,
    pub announcements: Vec<AnnouncementRow>,
    pub can_publish: bool,
    /// Open milestones of signed orders in scope whose planned day has passed.
    pub overdue_milestones: i64,
    pub rankings: HomeRankings,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait HomeService: Send + Sync {
    async fn home(&self, viewer: &crate::model::CurrentUser) -> Result<HomeView, AppError>;
}

#[server(endpoint = "home")]
pub async fn load_home() -> Result<HomeView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn HomeService>()?.home(&viewer).await;
    super::with_status(result)
}
