//! 共享, once for customers and opportunities: who may share (their owner, managers in scope:
//! see `policy::rights`), with whom (an active user other than the owner and the sharer, typed
//! and looked up: a province has thousands), and the panel the record's page shows.

use super::lookup::look_up;
use super::Services;
use crate::db::shares::{Share, Shared};
use crate::db::Actor;
use crate::policy::rights::{may_share_customer, may_share_opportunity};
use crate::policy::scope::Scope;
use app::model::lookup::PersonLookup;
use app::model::share::{ShareView, Sharing};
use app::model::{AppError, CurrentUser};

impl Services {
    /// Whom the 共享给 field names: the user `id` chosen or the `text` typed, looked up among
    /// the active users other than the record's owner and the sharer.
    pub async fn share_target(
        &self,
        viewer: &CurrentUser,
        of: Shared,
        id: Option<i64>,
        text: &str,
    ) -> Result<PersonLookup, AppError> {
        let owner = self.shareable(viewer, of).await?;
        let people = self.people().await?;
        let pool: Vec<_> = people
            .users
            .iter()
            .filter(|u| u.id != owner && u.id != viewer.id)
            .collect();
        let mut found = look_up(&people, &pool, id, text);
        if found.chosen.is_none() && found.error.is_none() {
            found.error = Some("field.required".into());
        }
        Ok(found)
    }

    /// Shares the record with a user, read-only or editable (可编辑 / 协作); they get a 待阅消息.
    pub async fn share(
        &self,
        viewer: &CurrentUser,
        of: Shared,
        user_id: i64,
        editable: bool,
    ) -> Result<(), AppError> {
        let owner = self.shareable(viewer, of).await?;
        let target = self.store.user(user_id).await?;
        if target.is_none_or(|u| u.disabled) || user_id == owner {
            return Err(AppError::Field {
                field: "user_id".into(),
                message: "field.invalid".into(),
            });
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store.share(&actor, of, user_id, editable).await?;
        if let Some(events) = &self.events {
            events.user_changed(user_id).await;
        }
        Ok(())
    }

    /// 撤回 a share: access ends at once.
    pub async fn unshare(
        &self,
        viewer: &CurrentUser,
        of: Shared,
        user_id: i64,
    ) -> Result<(), AppError> {
        self.shareable(viewer, of).await?;
        let actor = Actor::user(viewer.id, self.clock.now());
        Ok(self.store.unshare(&actor, of, user_id).await?)
    }

    /// Whether the record is shared with `viewer` as editable (可编辑 / 协作).
    pub(super) async fn shared_editable(
        &self,
        viewer: &CurrentUser,
        of: Shared,
    ) -> Result<bool, AppError> {
        let shares = self.store.shares(of).await?;
        Ok(shares.iter().any(|s| s.user_id == viewer.id && s.editable))
    }

    /// The owner of the record, if `viewer` may see it and share it; `Forbidden` otherwise.
    async fn shareable(&self, viewer: &CurrentUser, of: Shared) -> Result<i64, AppError> {
        let scope = Scope::of(viewer);
        let owner = match of {
            Shared::Customer(id) => self
                .store
                .customer(&scope, id)
                .await?
                .filter(|c| may_share_customer(viewer, c))
                .map(|c| c.owner_id),
            Shared::Opportunity(id) => self
                .store
                .opportunity(&scope, id)
                .await?
                .filter(|o| may_share_opportunity(viewer, o))
                .map(|o| o.owner_id),
        };
        owner.ok_or(AppError::Forbidden)
    }
}

/// The 共享 panel of a record whose shares (`shares`) the viewer may manage.
pub(super) fn sharing(of: Shared, shares: Vec<Share>) -> Sharing {
    Sharing {
        kind: of.kind(),
        record_id: of.id(),
        shares: shares.into_iter().map(share_view).collect(),
    }
}

fn share_view(s: Share) -> ShareView {
    ShareView {
        user_id: s.user_id,
        user_name: s.user_name,
        editable: s.editable,
    }
}
