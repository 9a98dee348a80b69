//! 公告通知: the list, an announcement's page, and the publisher's form.

use crate::model::announcement::AnnouncementForm;
use crate::model::customer::FieldError;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The list's conditions as the address carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementListQuery {
    #[serde(default)]
    pub title: String,
    /// The previous page's last row, as `next` gave it.
    #[serde(default)]
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementRow {
    pub id: i64,
    pub title: String,
    /// The audience's city; `None` for the whole province.
    pub audience: Option<String>,
    pub publisher: String,
    pub published_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementListPage {
    pub rows: Vec<AnnouncementRow>,
    /// Where the next page starts, if there is more.
    pub next: Option<String>,
    /// Whether the viewer may publish (「添加」).
    pub can_publish: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementView {
    pub id: i64,
    pub title: String,
    /// As typed: shown as text with its line breaks.
    pub body: String,
    /// The audience's city; `None` for the whole province.
    pub audience: Option<String>,
    pub publisher: String,
    pub published_at: String,
    /// When it was last changed, if it was.
    pub updated_at: Option<String>,
    pub attachment: Option<(i64, String)>,
    /// Whether the viewer may edit or withdraw it (its publisher, the admin).
    pub can_manage: bool,
}

/// What the publish / edit form offers and starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementFormOptions {
    /// `None` for a new one.
    pub id: Option<i64>,
    pub version: i64,
    pub cities: Vec<(i64, String)>,
    pub form: AnnouncementForm,
}

/// A refused form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedAnnouncement {
    pub form: AnnouncementForm,
    pub version: i64,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AnnouncementService: Send + Sync {
    async fn announcements(
        &self,
        viewer: &crate::model::CurrentUser,
        query: &AnnouncementListQuery,
    ) -> Result<AnnouncementListPage, AppError>;

    async fn announcement(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<AnnouncementView, AppError>;

    /// The form for a new announcement (`None`) or for editing one.
    async fn announcement_form(
        &self,
        viewer: &crate::model::CurrentUser,
        id: Option<i64>,
    ) -> Result<AnnouncementFormOptions, AppError>;
}

#[server(endpoint = "announcements")]
pub async fn list_announcements(
    query: AnnouncementListQuery,
) -> Result<AnnouncementListPage, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AnnouncementService>()?
        .announcements(&viewer, &query)
        .await;
    super::with_status(result)
}

#[server(endpoint = "announcement")]
pub async fn load_announcement(id: i64) -> Result<AnnouncementView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AnnouncementService>()?
        .announcement(&viewer, id)
        .await;
    super::with_status(result)
}

#[server(endpoint = "announcement_form")]
pub async fn load_announcement_form(id: Option<i64>) -> Result<AnnouncementFormOptions, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AnnouncementService>()?
        .announcement_form(&viewer, id)
        .await;
    super::with_status(result)
}
