//! 邮件 / 短信: the compose page's data (the contacts it may go to, and what is configured). The
//! sending is a form post (`server::forms::outreach`).

use crate::model::outreach::OutreachDraft;
use crate::model::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OutreachService: Send + Sync {
    /// The contacts of `customer` (all of them) or the contacts `contacts`, among those of
    /// customers the viewer may edit.
    async fn outreach_draft(
        &self,
        viewer: &crate::model::CurrentUser,
        customer: Option<i64>,
        contacts: Vec<i64>,
    ) -> Result<OutreachDraft, AppError>;
}

/// `contacts`: ids separated by commas.
#[server(endpoint = "outreach_draft")]
pub async fn load_outreach_draft(
    customer: Option<i64>,
    contacts: String,
) -> Result<OutreachDraft, AppError> {
    let viewer = super::auth::viewer()?;
    let contacts = contacts
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    let result = super::service::<dyn OutreachService>()?
        .outreach_draft(&viewer, customer, contacts)
        .await;
    super::with_status(result)
}
