//! 个人资料: a user's own details, password and sessions. Everyone may change these, and
//! only their own: every method acts on the viewer's id, never on one from the request.

use super::Services;
use crate::auth::login::china_time;
use crate::auth::password;
use crate::db::profile::ProfileChange;
use crate::db::{Actor, StoreError};
use crate::policy::passwords::is_common;
use app::api::profile::ProfileService;
use app::model::customer::FieldError;
use app::model::profile::{PasswordForm, ProfileForm, ProfileView, SessionRow};
use app::model::{AppError, CurrentUser};

#[async_trait::async_trait]
impl ProfileService for Services {
    async fn profile(&self, viewer: &CurrentUser) -> Result<ProfileView, AppError> {
        let user = self
            .store
            .user(viewer.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let sessions = self.store.live_sessions(viewer.id).await?;
        Ok(ProfileView {
            login: user.login,
            org_unit: viewer.org_unit_name.clone(),
            role_keys: user.roles.iter().map(|r| r.label_zh().to_owned()).collect(),
            form: ProfileForm {
                name: user.name,
                phone: user.phone.unwrap_or_default(),
                email: user.email.unwrap_or_default(),
            },
            version: user.version,
            sessions: sessions
                .into_iter()
                .map(|s| SessionRow {
                    created_at: china_time(s.created_at),
                    last_seen_at: china_time(self.touches.last_seen(s.id, s.last_seen_at)),
                    current: s.id == viewer.session_id,
                })
                .collect(),
        })
    }
}

impl Services {
    /// Saves the viewer's 姓名, 手机 and 邮箱, if nobody changed them since `version` was read.
    pub async fn save_profile(
        &self,
        viewer: &CurrentUser,
        version: i64,
        form: &ProfileForm,
    ) -> Result<(), AppError> {
        let parsed = form.parse().map_err(AppError::Invalid)?;
        let change = ProfileChange {
            name: parsed.name,
            phone: parsed.phone,
            email: parsed.email,
        };
        let actor = Actor::user(viewer.id, self.clock.now());
        match self
            .store
            .update_profile(&actor, viewer.id, version, &change)
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )])),
            Err(e) => Err(e.into()),
        }
    }

    /// 修改密码: the current password proves it is the user; the new one must pass the rules
    /// and not be a common one. The user's other sessions end; this one goes on.
    pub async fn change_password(
        &self,
        viewer: &CurrentUser,
        form: &PasswordForm,
    ) -> Result<(), AppError> {
        let mut errors = form.check(&viewer.login).err().unwrap_or_default();
        if !errors.iter().any(|e| e.field == "new_password") && is_common(&form.new_password) {
            errors.push(FieldError::new("new_password", "password.common"));
        }
        let user = self
            .store
            .user(viewer.id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Checked even when the rest is refused, so a wrong current password is said at once.
        if !form.old_password.is_empty()
            && !password::verify(form.old_password.clone(), user.password_hash.clone()).await
        {
            errors.insert(0, FieldError::new("old_password", "password.wrong_old"));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let hash = password::hash(form.new_password.clone())
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })?;
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store
            .change_password(&actor, viewer.id, &hash, Some(viewer.session_id))
            .await?;
        Ok(())
    }

    /// 「退出其他会话」: ends every session of the viewer but this one.
    pub async fn end_other_sessions(&self, viewer: &CurrentUser) -> Result<u64, AppError> {
        let actor = Actor::user(viewer.id, self.clock.now());
        Ok(self
            .store
            .end_other_sessions(&actor, viewer.id, viewer.session_id)
            .await?)
    }
}
