//! 数据字典 (系统管理员 only): add, rename, order, 停用 / 启用. An item is never deleted (records
//! name it), and one that carries behaviour keeps its code whatever it is called.

use super::Services;
use crate::db::{Actor, DictKind, StoreError};
use app::api::admin::DictionaryView;
use app::model::customer::FieldError;
use app::model::dictionary::{DictChange, DictForm, DictRow};
use app::model::{AppError, CurrentUser};

impl Services {
    pub(crate) async fn dictionary_view(
        &self,
        viewer: &CurrentUser,
        kind: &str,
    ) -> Result<DictionaryView, AppError> {
        self.require_admin(viewer, "dictionary").await?;
        let kind = DictKind::from_code(kind).unwrap_or(DictKind::Industry);
        let items = self.store.dictionary_entries(kind).await?;
        Ok(DictionaryView {
            kind: kind.code().to_owned(),
            items: items
                .into_iter()
                .map(|i| DictRow {
                    id: i.id,
                    label: i.label,
                    sort_order: i.sort_order,
                    active: i.active,
                    code: i.code,
                })
                .collect(),
        })
    }

    /// Applies one change of a dictionary item; a label the dictionary has is refused beside
    /// the field.
    pub async fn change_dictionary(
        &self,
        viewer: &CurrentUser,
        form: &DictForm,
    ) -> Result<(), AppError> {
        self.require_admin(viewer, "change_dictionary").await?;
        let kind = DictKind::from_code(&form.kind).ok_or(AppError::BadRequest)?;
        let change = form.parse().map_err(AppError::Invalid)?;
        let actor = Actor::user(viewer.id, self.clock.now());
        let result = match change {
            DictChange::Add { label, sort_order } => self
                .store
                .add_dict_item(&actor, kind, &label, sort_order)
                .await
                .map(|_| ()),
            DictChange::Save {
                id,
                label,
                sort_order,
            } => {
                self.store
                    .update_dict_item(&actor, kind, id, &label, sort_order)
                    .await
            }
            DictChange::SetActive { id, active } => {
                self.store
                    .set_dict_item_active(&actor, kind, id, active)
                    .await
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(_)) => Err(AppError::Invalid(vec![FieldError::new(
                "label",
                "dict.label_taken",
            )])),
            Err(e) => Err(e.into()),
        }
    }
}
