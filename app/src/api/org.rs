//! The organisation tree.

#[cfg(feature = "ssr")]
use crate::model::CurrentUser;
use crate::model::{AppError, OrgUnitView};
use leptos::prelude::*;

/// What the server provides for this area.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OrgService: Send + Sync {
    /// Every org unit, parents before children, as `viewer`'s request sees them.
    async fn org_units(&self, viewer: &CurrentUser) -> Result<Vec<OrgUnitView>, AppError>;
}

/// The province and its cities, for the home page.
#[server(endpoint = "org_units")]
pub async fn org_units() -> Result<Vec<OrgUnitView>, AppError> {
    let viewer = super::auth::viewer()?;
    super::service::<dyn OrgService>()?.org_units(&viewer).await
}
