//! The 联系人 list: every contact of the customers the viewer may see.

use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The list's query conditions as the address carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListQuery {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub phone: String,
    /// The previous page's last row.
    #[serde(default)]
    pub after_id: String,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListPage {
    pub rows: Vec<ContactListRow>,
    /// The id after which the next page starts, if there is more.
    pub next: Option<i64>,
    /// The optional columns shown, as the viewer chose them.
    pub columns: Vec<String>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ContactListService: Send + Sync {
    async fn list(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &ContactListQuery,
    ) -> Result<ContactListPage, AppError>;
}

#[server(endpoint = "contacts")]
pub async fn list_contacts(query: ContactListQuery) -> Result<ContactListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn ContactListService>()?
        .list(&viewer, &query)
        .await;
    super::with_status(result)
}
