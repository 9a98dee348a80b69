//! 首页: the newest few of each widget's list, from the same services as the full pages (so
//! the same scope applies).

use super::Services;
use app::api::announcements::AnnouncementListQuery;
use app::api::home::{HomeService, HomeView};
use app::api::opportunities::{OpportunityListQuery, TaskListQuery};
use app::api::rankings::RankingService;
use app::model::tabs::{OpportunityTab, TaskTab};
use app::model::{AppError, CurrentUser};

/// Rows per widget tab.
const FEW: u32 = 5;

#[async_trait::async_trait]
impl HomeService for Services {
    async fn home(&self, viewer: &CurrentUser) -> Result<HomeView, AppError> {
        let tasks = |tab: TaskTab| TaskListQuery {
            tab: tab.code().to_owned(),
            ..Default::default()
        };
        let opportunities = |tab: OpportunityTab| OpportunityListQuery {
            tab: tab.code().to_owned(),
            ..Default::default()
        };
        let todo = self
            .task_page(viewer, &tasks(TaskTab::Todo), FEW, FEW)
            .await?;
        let announcements = self
            .announcement_page(viewer, &AnnouncementListQuery::default(), FEW)
            .await?;
        Ok(HomeView {
            tasks_all: self
                .task_page(viewer, &tasks(TaskTab::All), FEW, 0)
                .await?
                .tasks,
            tasks_todo: todo.tasks,
            activities_due: todo.activities_due,
            messages: self
                .task_page(viewer, &tasks(TaskTab::Messages), FEW, 0)
                .await?
                .messages,
            mine: self
                .opportunity_rows(viewer, &opportunities(OpportunityTab::Mine), FEW)
                .await?
                .rows,
            shared: self
                .opportunity_rows(viewer, &opportunities(OpportunityTab::Shared), FEW)
                .await?
                .rows,
            can_publish: announcements.can_publish,
            overdue_milestones: self.overdue_milestones(viewer).await?,
            announcements: announcements.rows,
            rankings: self.home_rankings(viewer).await?,
        })
    }
}
