//! 组织管理 (系统管理员): the tree province → cities → departments. Add, rename, move (never
//! under itself; a city stays under the province; to another city only while nothing lies in
//! it, since records keep their city), 停用 a unit nobody active works in, 启用 under an active
//! parent. Units are never deleted: users and records keep naming them.

use super::people::{city_of, is_within, People};
use super::Services;
use crate::db::{Actor, NewOrgUnit, OrgUnit, StoreError};
use app::api::admin::{OrgAdminRow, OrgAdminView};
use app::model::customer::FieldError;
use app::model::org_admin::{OrgChange, OrgForm};
use app::model::{AppError, CurrentUser, OrgUnitKind};

fn refused(field: &str, key: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, key)])
}

/// The units of the subtree under `id`, itself included.
fn subtree(units: &[OrgUnit], id: i64) -> Vec<i64> {
    units
        .iter()
        .filter(|u| is_within(units, u.id, id))
        .map(|u| u.id)
        .collect()
}

/// The tree depth first, children by id.
fn tree_order(units: &[OrgUnit]) -> Vec<(usize, &OrgUnit)> {
    fn walk<'a>(
        units: &'a [OrgUnit],
        parent: Option<i64>,
        depth: usize,
        out: &mut Vec<(usize, &'a OrgUnit)>,
    ) {
        let mut children: Vec<&OrgUnit> = units.iter().filter(|u| u.parent_id == parent).collect();
        children.sort_by_key(|u| u.id);
        for child in children {
            out.push((depth, child));
            walk(units, Some(child.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(units.len());
    walk(units, None, 0, &mut out);
    out
}

impl Services {
    pub async fn change_org(&self, viewer: &CurrentUser, form: &OrgForm) -> Result<(), AppError> {
        self.require_admin(viewer, "change_org").await?;
        let change = form.parse().map_err(AppError::Invalid)?;
        let people = self.people().await?;
        let actor = Actor::user(viewer.id, self.clock.now());
        let unit = |id: i64| people.units.iter().find(|u| u.id == id);
        let result = match change {
            OrgChange::Add {
                name,
                kind,
                parent_id,
            } => {
                let parent = unit(parent_id)
                    .filter(|p| p.active)
                    .ok_or_else(|| refused("parent_id", "field.invalid"))?;
                if kind == OrgUnitKind::City && parent.kind != OrgUnitKind::Province {
                    return Err(refused("parent_id", "org.city_under_province"));
                }
                let new = NewOrgUnit {
                    parent_id: Some(parent_id),
                    name,
                    kind,
                };
                self.store.create_org_unit(&actor, &new).await.map(|_| ())
            }
            OrgChange::Rename { id, name } => {
                unit(id).ok_or(AppError::NotFound)?;
                self.store
                    .rename_org_unit(&actor, id, &name)
                    .await
                    .map(|_| ())
            }
            OrgChange::Move { id, parent_id } => {
                self.check_move(&people, id, parent_id).await?;
                self.store.move_org_unit(&actor, id, parent_id).await
            }
            OrgChange::SetActive { id, active } => {
                let u = unit(id).ok_or(AppError::NotFound)?;
                if active {
                    let parent_active = u.parent_id.and_then(unit).is_none_or(|p| p.active);
                    if !parent_active {
                        return Err(refused("", "org.parent_disabled"));
                    }
                } else {
                    if u.parent_id.is_none() {
                        return Err(refused("", "org.keep_province"));
                    }
                    if people
                        .units
                        .iter()
                        .any(|c| c.parent_id == Some(id) && c.active)
                    {
                        return Err(refused("", "org.children_first"));
                    }
                }
                self.store.set_org_unit_active(&actor, id, active).await
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(why)) if why == "org.has_users" => Err(refused("", &why)),
            // The unique index on (parent, name).
            Err(StoreError::Conflict(_)) => Err(refused("name", "org.name_taken")),
            Err(e) => Err(e.into()),
        }
    }

    /// A move keeps the tree a tree, a city under the province, and every record in its city.
    async fn check_move(&self, people: &People, id: i64, parent_id: i64) -> Result<(), AppError> {
        let units = &people.units;
        let u = units
            .iter()
            .find(|u| u.id == id)
            .ok_or(AppError::NotFound)?;
        let parent = units
            .iter()
            .find(|p| p.id == parent_id && p.active)
            .ok_or_else(|| refused("parent_id", "field.invalid"))?;
        if u.kind != OrgUnitKind::Department {
            return Err(refused("id", "org.fixed_place"));
        }
        if is_within(units, parent.id, id) {
            return Err(refused("parent_id", "org.cycle"));
        }
        if city_of(units, parent.id) != city_of(units, id) {
            let usage = self.store.org_unit_usage(&subtree(units, id)).await?;
            if usage.users > 0 || usage.records > 0 {
                return Err(refused("parent_id", "org.move_has_people"));
            }
        }
        Ok(())
    }

    pub(crate) async fn org_admin_view(
        &self,
        viewer: &CurrentUser,
    ) -> Result<OrgAdminView, AppError> {
        self.require_admin(viewer, "org_admin").await?;
        let people = self.people_seen_by(viewer).await?;
        Ok(OrgAdminView {
            units: tree_order(&people.units)
                .into_iter()
                .map(|(depth, u)| OrgAdminRow {
                    id: u.id,
                    name: u.name.clone(),
                    depth,
                    kind: u.kind.code().to_owned(),
                    active: u.active,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent_id: Option<i64>) -> OrgUnit {
        OrgUnit {
            id,
            parent_id,
            name: format!("u{id}"),
            kind: OrgUnitKind::Department,
            active: true,
        }
    }

    #[test]
    fn the_tree_is_walked_depth_first_whatever_the_ids() {
        // 5 was moved under 7, made later.
        let units = vec![
            unit(1, None),
            unit(2, Some(1)),
            unit(5, Some(7)),
            unit(7, Some(2)),
        ];
        let order: Vec<(usize, i64)> = tree_order(&units)
            .into_iter()
            .map(|(d, u)| (d, u.id))
            .collect();
        assert_eq!(order, [(0, 1), (1, 2), (2, 7), (3, 5)]);
        assert_eq!(subtree(&units, 2), [2, 5, 7]);
    }
}
