//! The 销售活动 list: conditions from the page's address to a scoped, keyset-paged query;
//! and the filtered sub-list of a customer or opportunity the viewer may see.

use super::customer_list::PAGE_SIZE;
use super::Services;
use crate::db::activities::ActivitiesOf;
use crate::db::activity_list::{ActivityQuery, ActivitySortKey, ActivityState};
use crate::policy::rights::may_log_activity;
use crate::policy::scope::Scope;
use app::api::activities::{ActivityList, ActivityTarget, ActivityView};
use app::api::activity_list::{
    ActivityFilter, ActivityListPage, ActivityListQuery, ActivityListService,
};
use app::model::activity::ActivityKind;
use app::model::{AppError, CurrentUser};
use chrono::NaiveDate;

/// The list's `sort` parameter; anything unknown is the default (newest day first).
fn sort_of(code: &str) -> (ActivitySortKey, bool) {
    match code {
        "date" => (ActivitySortKey::Date, false),
        "kind" => (ActivitySortKey::Kind, false),
        "kind_desc" => (ActivitySortKey::Kind, true),
        "customer" => (ActivitySortKey::Customer, false),
        "customer_desc" => (ActivitySortKey::Customer, true),
        _ => (ActivitySortKey::Date, true),
    }
}

/// The store's query for `q` (`today` decides 已逾期), by the 负责人 resolved from it.
pub(crate) fn activity_query(
    q: &ActivityListQuery,
    today: NaiveDate,
    owner_id: Option<&str>,
) -> ActivityQuery {
    let id = |s: &str| s.trim().parse::<i64>().ok();
    let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
    let (sort, descending) = sort_of(&q.sort);
    ActivityQuery {
        customer_id: None,
        opportunity_id: None,
        kind: ActivityKind::from_code(q.kind.trim()),
        from: app::model::date::parse_day(&q.from),
        to: app::model::date::parse_day(&q.to),
        customer_name: text(&q.customer),
        opportunity_name: text(&q.opportunity),
        creator_id: owner_id.and_then(id),
        state: match q.status.as_str() {
            "planned" => Some(ActivityState::Planned),
            "done" => Some(ActivityState::Done),
            "overdue" => Some(ActivityState::OverdueBefore(today)),
            _ => None,
        },
        sort,
        descending,
        after: id(&q.after_id).map(|id| (id, q.after_key.clone())),
        // One more than shown, to know whether a next page exists.
        limit: PAGE_SIZE + 1,
    }
}

impl Services {
    /// The viewer's own planned activities whose day has come or passed (oldest first), among
    /// the customers in their scope: their 待办 beside the approval tasks.
    pub(crate) async fn due_activities(
        &self,
        viewer: &CurrentUser,
        limit: u32,
    ) -> Result<Vec<ActivityView>, AppError> {
        let today = self.today();
        let query = ActivityQuery {
            creator_id: Some(viewer.id),
            state: Some(ActivityState::Planned),
            to: Some(today),
            limit,
            ..activity_query(
                &ActivityListQuery {
                    sort: "date".into(),
                    ..Default::default()
                },
                today,
                None,
            )
        };
        let rows = self.store.activity_list(&Scope::of(viewer), &query).await?;
        self.activity_views(viewer, rows).await
    }
}

#[async_trait::async_trait]
impl ActivityListService for Services {
    async fn list(
        &self,
        viewer: &CurrentUser,
        q: &ActivityListQuery,
    ) -> Result<ActivityListPage, AppError> {
        let filter = self.owner_filter(viewer, &q.owner_id, &q.owner).await?;
        let query = activity_query(q, self.today(), filter.owner_id.as_deref());
        let mut found = match filter.owner_id {
            Some(_) => self.store.activity_list(&Scope::of(viewer), &query).await?,
            // The text named nobody in particular: nothing until one is chosen.
            None => Vec::new(),
        };
        let more = found.len() > PAGE_SIZE as usize;
        found.truncate(PAGE_SIZE as usize);
        let next = more
            .then(|| found.last().map(|r| (r.id, query.sort.key_of(r))))
            .flatten();
        Ok(ActivityListPage {
            rows: self.activity_views(viewer, found).await?,
            next,
            owner: filter.field,
            columns: self.activity_columns(viewer).await?,
        })
    }

    async fn of_record(
        &self,
        viewer: &CurrentUser,
        target: ActivityTarget,
        filter: &ActivityFilter,
    ) -> Result<ActivityList, AppError> {
        let (of, can_log) = match target {
            ActivityTarget::Customer(id) => {
                let c = self
                    .store
                    .customer(&Scope::of(viewer), id)
                    .await?
                    .ok_or(AppError::Forbidden)?;
                (ActivitiesOf::Customer(id), self.may_edit(viewer, &c).await?)
            }
            ActivityTarget::Opportunity(id) => {
                let o = self.seen_opportunity(viewer, id, |_| true).await?;
                let collaborates = self.collaborates(viewer, id).await?;
                (
                    ActivitiesOf::Opportunity(id),
                    may_log_activity(&o, viewer.id, collaborates),
                )
            }
        };
        self.activity_list(viewer, of, can_log, filter).await
    }
}
