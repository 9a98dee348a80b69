//! The 销售活动 list, and the filtered sub-list of one customer or opportunity.

use super::activities::{ActivityList, ActivityTarget, ActivityView};
use crate::model::lookup::PersonLookup;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The list's query conditions, as they stand in the page's address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityListQuery {
    /// 类型: `call`, `visit`, `joint_visit`, or empty for all.
    pub kind: String,
    pub from: String,
    pub to: String,
    /// A part of the customer's name.
    pub customer: String,
    /// A part of the opportunity's name.
    pub opportunity: String,
    /// 负责人 (who logged it) chosen, or empty.
    pub owner_id: String,
    /// 负责人 as typed: a name or login, looked up in the viewer's reach.
    pub owner: String,
    /// 完成状态: `planned`, `done`, `overdue`, or empty for all.
    pub status: String,
    /// `date_desc` (default), `date`, `kind`, `kind_desc`, `customer`, `customer_desc`.
    pub sort: String,
    /// The keyset of the previous page's last row.
    pub after_id: String,
    pub after_key: String,
}

/// The sub-list's conditions on a customer or opportunity page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityFilter {
    pub kind: String,
    pub status: String,
    pub sort: String,
}

impl ActivityFilter {
    /// The filter as the list's conditions (the sub-list has no other conditions).
    pub fn as_query(&self) -> ActivityListQuery {
        ActivityListQuery {
            kind: self.kind.clone(),
            status: self.status.clone(),
            sort: self.sort.clone(),
            ..Default::default()
        }
    }
}

/// A page of the list, and the keyset of the next one if there is more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityListPage {
    pub rows: Vec<ActivityView>,
    pub next: Option<(i64, String)>,
    /// The 负责人 filter, when the viewer reaches more people than themselves.
    pub owner: Option<PersonLookup>,
    /// The optional columns shown, as the viewer chose them.
    pub columns: Vec<String>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ActivityListService: Send + Sync {
    /// The activities of the customers `viewer` may see that `query` finds.
    async fn list(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &ActivityListQuery,
    ) -> Result<ActivityListPage, AppError>;

    /// The activities of a customer or opportunity `viewer` may see, filtered.
    async fn of_record(
        &self,
        viewer: &crate::model::CurrentUser,
        target: ActivityTarget,
        filter: &ActivityFilter,
    ) -> Result<ActivityList, AppError>;
}

#[server(endpoint = "activities")]
pub async fn list_activities(query: ActivityListQuery) -> Result<ActivityListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn ActivityListService>()?
        .list(&viewer, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "record_activities")]
pub async fn record_activities(
    target: ActivityTarget,
    filter: ActivityFilter,
) -> Result<ActivityList, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn ActivityListService>()?
        .of_record(&viewer, target, &filter)
        .await;
    super::with_status(result)
}
