//! A job's page: a batch or an import running in the background, its progress and the rows it
//! refused. Only the user who started it sees it.

use crate::model::batch::JobView;
use crate::model::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait JobService: Send + Sync {
    async fn job(&self, viewer: &crate::model::CurrentUser, id: i64) -> Result<JobView, AppError>;
}

#[server(endpoint = "job")]
pub async fn load_job(id: i64) -> Result<JobView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn JobService>()?.job(&viewer, id).await;
    super::with_status(result)
}
