//! 联系人关系图 (services): a customer's editors add and remove relations between its contacts.

use crate::db::{Actor, StoreError};
use crate::services::Services;
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};

impl Services {
    /// 联系人关系图: 添加 or 删除 a relation between customer `id`'s contacts (its editors).
    pub async fn change_relation(
        &self,
        viewer: &CurrentUser,
        id: i64,
        form: &app::model::relation::RelationForm,
    ) -> Result<(), AppError> {
        use app::model::relation::RelationChange;
        self.editable(viewer, id).await?;
        let change = form.parse().map_err(AppError::Invalid)?;
        let actor = Actor::user(viewer.id, self.clock.now());
        let result = match change {
            RelationChange::Add { from, to, kind } => self
                .store
                .add_relation(&actor, id, from, to, &kind)
                .await
                .map(|_| ()),
            RelationChange::Delete { id: relation } => {
                self.store.delete_relation(&actor, id, relation).await
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(_)) => Err(AppError::Invalid(vec![FieldError::new(
                "relation_kind",
                "relation.exists",
            )])),
            Err(StoreError::NotFound) => Err(AppError::Invalid(vec![FieldError::new(
                "relation_to",
                "relation.not_contacts",
            )])),
            Err(e) => Err(e.into()),
        }
    }
}
