//! The organisation tree.

use super::Services;
use app::api::org::OrgService;
use app::model::{AppError, CurrentUser, OrgUnitView};

#[async_trait::async_trait]
impl OrgService for Services {
    async fn org_units(&self, viewer: &CurrentUser) -> Result<Vec<OrgUnitView>, AppError> {
        let people = self.people_seen_by(viewer).await?;
        Ok(people.units.iter().cloned().map(Into::into).collect())
    }
}
