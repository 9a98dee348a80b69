//! 个人资料: the page's data (who the viewer is, their details and sessions). Its changes are
//! form posts (`server::forms::profile`).

use crate::model::customer::FieldError;
use crate::model::profile::{ProfileForm, ProfileView};
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A refused 基本信息 form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedProfile {
    pub form: ProfileForm,
    pub version: i64,
    pub errors: Vec<FieldError>,
}

/// A refused 修改密码 form: only the reasons (passwords are never sent back to a page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedPassword {
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ProfileService: Send + Sync {
    async fn profile(&self, viewer: &crate::model::CurrentUser) -> Result<ProfileView, AppError>;
}

#[server(endpoint = "profile")]
pub async fn load_profile() -> Result<ProfileView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn ProfileService>()?
        .profile(&viewer)
        .await;
    super::with_status(result)
}
