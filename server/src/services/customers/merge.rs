//! 合并 (services): both customers must be the viewer's to edit; the survivor keeps its owner
//! and 负责部门 and takes, per field, the value chosen; it is a 交易客户 when either was.

use crate::db::customers::merge::Merge;
use crate::db::customers::{Customer, NewCustomer};
use crate::db::{Actor, DictKind, StoreError};
use crate::policy::scope::Scope;
use crate::services::Services;
use app::api::customers::{MergeService, MergeView};
use app::model::customer::{CustomerKind, CustomerName, FieldError};
use app::model::merge::{MergeForm, MergeSide};
use app::model::{AppError, CurrentUser};

impl Services {
    async fn merge_side(&self, viewer: &CurrentUser, c: &Customer) -> Result<MergeSide, AppError> {
        let label = |pairs: Vec<(i64, String)>, id: i64| {
            pairs
                .into_iter()
                .find(|(i, _)| *i == id)
                .map(|(_, l)| l)
                .unwrap_or_default()
        };
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let owner = self.store.user_names(&[c.owner_id]).await?;
        Ok(MergeSide {
            id: c.id,
            version: c.version,
            owner: owner.get(&c.owner_id).cloned().unwrap_or_default(),
            values: vec![
                ("name".into(), c.name.clone()),
                ("industry".into(), label(industries, c.industry_id)),
                ("level".into(), label(levels, c.level_id)),
                ("registered_on".into(), c.registered_on.clone()),
                ("phone".into(), opt(&c.phone)),
                ("fax".into(), opt(&c.fax)),
                ("website".into(), opt(&c.website)),
                ("address".into(), opt(&c.address)),
                ("notes".into(), opt(&c.notes)),
            ],
        })
    }

    /// 合并 as posted; returns the survivor's id.
    pub async fn merge_customers(
        &self,
        viewer: &CurrentUser,
        form: &MergeForm,
    ) -> Result<i64, AppError> {
        let id = |s: &str| s.trim().parse::<i64>().map_err(|_| AppError::NotFound);
        let (a, b) = (id(&form.a)?, id(&form.b)?);
        if a == b {
            return Err(AppError::Invalid(vec![FieldError::new("", "merge.same")]));
        }
        let ca = self.editable(viewer, a).await?;
        let cb = self.editable(viewer, b).await?;
        let version = |s: &str| s.trim().parse::<i64>().unwrap_or(-1);
        let (keep, gone) = if form.survivor == "b" {
            (&cb, &ca)
        } else {
            (&ca, &cb)
        };
        let pick = |field: &str| if form.picks_b(field) { &cb } else { &ca };
        let name = CustomerName::parse(&pick("name").name)
            .map_err(|key| AppError::Invalid(vec![FieldError::new("", key)]))?;
        let registered_on =
            chrono::NaiveDate::parse_from_str(&pick("registered_on").registered_on, "%Y-%m-%d")
                .map_err(|_| AppError::Internal)?;
        let transaction = [ca.kind, cb.kind].contains(&CustomerKind::Transaction);
        let values = NewCustomer {
            name,
            industry_id: pick("industry").industry_id,
            level_id: pick("level").level_id,
            kind: if transaction {
                CustomerKind::Transaction
            } else {
                CustomerKind::Potential
            },
            owner_id: keep.owner_id,
            dept_id: keep.dept_id,
            registered_on,
            website: pick("website").website.clone(),
            phone: pick("phone").phone.clone(),
            fax: pick("fax").fax.clone(),
            address: pick("address").address.clone(),
            notes: pick("notes").notes.clone(),
        };
        let (keep_version, gone_version) = if form.survivor == "b" {
            (version(&form.version_b), version(&form.version_a))
        } else {
            (version(&form.version_a), version(&form.version_b))
        };
        let merge = Merge {
            survivor: keep.id,
            survivor_version: keep_version,
            merged: gone.id,
            merged_version: gone_version,
            values,
        };
        let actor = Actor::user(viewer.id, self.clock.now());
        match crate::db::retrying(|| self.store.merge_customers(&actor, &merge)).await {
            Ok(()) => Ok(keep.id),
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )])),
            Err(e) => Err(e.into()),
        }
    }
}

#[async_trait::async_trait]
impl MergeService for Services {
    async fn merge_view(
        &self,
        viewer: &CurrentUser,
        a: i64,
        b: Option<i64>,
        q: &str,
    ) -> Result<MergeView, AppError> {
        let ca = self.editable(viewer, a).await?;
        let mut view = MergeView {
            a: Some(self.merge_side(viewer, &ca).await?),
            ..Default::default()
        };
        match b.filter(|b| *b != a) {
            Some(b) => {
                let cb = self.editable(viewer, b).await?;
                view.b = Some(self.merge_side(viewer, &cb).await?);
            }
            None if !q.trim().is_empty() => {
                view.found = self
                    .store
                    .quick_find(&Scope::of(viewer), q.trim(), 20)
                    .await?
                    .into_iter()
                    .filter(|c| c.id != a)
                    .map(|c| (c.id, c.name))
                    .collect();
            }
            None => {}
        }
        Ok(view)
    }
}
