//! 首页: the newest few of each widget's list, from the same services as the full pages (so
//! the same scope applies).

use super::Services;
use app::api::announcements::{AnnouncementListQuery, AnnouncementService};
use app::api::home::{HomeService, HomeView};
use app::api::opportunities::{OpportunityListQuery, OpportunityService, TaskListQuery};
use app::api::rankings::RankingService;
use app::model::tabs::{OpportunityTab, TaskTab};
use app::model::{AppError, CurrentUser};

/// Rows per widget tab.
const FEW: u32 = 5;

fn newest<T>(mut rows: Vec<T>) -> Vec<T> {
    rows.truncate(FEW as usize);
    rows
}

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
        let todo = self.tasks(viewer, &tasks(TaskTab::Todo)).await?;
        let announcements = self
            .announcements(viewer, &AnnouncementListQuery::default())
            .await?;
        Ok(HomeView {
            tasks_all: newest(self.tasks(viewer, &tasks(TaskTab::All)).await?.tasks),
            tasks_todo: newest(todo.tasks),
            activities_due: newest(todo.activities_due),
            messages: newest(
                self.tasks(viewer, &tasks(TaskTab::Messages))
                    .await?
                    .messages,
            ),
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
            announcements: newest(announcements.rows),
            rankings: self.home_rankings(viewer).await?,
        })
    }
}
