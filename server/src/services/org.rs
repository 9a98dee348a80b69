//! The organisation tree.

use super::Services;
use app::api::org::OrgService;
use app::model::{AppError, OrgUnitView};

#[async_trait::async_trait]
impl OrgService for Services {
    async fn org_units(&self) -> Result<Vec<OrgUnitView>, AppError> {
        let units = self.store.org_units().await?;
        Ok(units.into_iter().map(Into::into).collect())
    }
}
