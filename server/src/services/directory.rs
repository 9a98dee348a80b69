//! The people and org units a user reaches: whom they may name as 负责人, filter a list by,
//! and which 负责部门 they may choose. It follows the data scope, so a record assigned within it
//! stays visible to the one who assigned it.

use super::lookup::look_up;
use super::people::{city_of, People};
use super::Services;
use crate::db::{OrgUnit, UserBrief};
use crate::policy::scope::{Reach, Scope};
use app::model::lookup::PersonLookup;
use app::model::{AppError, CurrentUser};

/// Who and what a viewer reaches.
pub(crate) struct Reachable {
    pub users: Vec<UserBrief>,
    pub units: Vec<OrgUnit>,
    /// Every unit, to walk the tree.
    pub all_units: Vec<OrgUnit>,
}

/// A list's 负责人 filter: its field, and the owner the list is filtered by.
pub(crate) struct OwnerFilter {
    /// The field, when the viewer reaches more people than themselves.
    pub field: Option<PersonLookup>,
    /// The owner id as the list's query takes it (empty: anyone); `None` when the text named
    /// nobody in particular, so the list shows nothing until one is chosen.
    pub owner_id: Option<String>,
}

/// The active users within `viewer`'s reach, by name (see [`Services::reachable`]).
fn reach_of<'a>(people: &'a People, viewer: &CurrentUser) -> Vec<&'a UserBrief> {
    match Scope::of(viewer).reach {
        Reach::All | Reach::Province => people.users.iter().collect(),
        Reach::City(city) => people
            .users
            .iter()
            .filter(|u| city_of(&people.units, u.org_unit_id) == Some(city))
            .collect(),
        Reach::Industries(_) | Reach::Own => Vec::new(),
    }
}

impl Services {
    /// The 负责人 filter for `owner_id` (a link's or a choice's) and the typed `text`.
    pub(crate) async fn owner_filter(
        &self,
        viewer: &CurrentUser,
        owner_id: &str,
        text: &str,
    ) -> Result<OwnerFilter, AppError> {
        let people = self.people_seen_by(viewer).await?;
        let pool = reach_of(&people, viewer);
        if pool.len() <= 1 {
            // Nobody else to filter by; an id asked for still goes to the scoped query.
            return Ok(OwnerFilter {
                field: None,
                owner_id: Some(owner_id.to_owned()),
            });
        }
        let lookup = look_up(&people, &pool, owner_id.trim().parse().ok(), text);
        Ok(OwnerFilter {
            owner_id: (!lookup.unresolved())
                .then(|| lookup.chosen.map(|id| id.to_string()).unwrap_or_default()),
            field: Some(lookup),
        })
    }

    /// A customer form's 负责人: the person `id` (a choice among several) or `text` names
    /// among the viewer's reach. The viewer, and `current` (the owner an edit starts from,
    /// even one disabled or out of reach since), stand while the text is exactly their name,
    /// so a name that several people share does not ask again who was meant. Whether the
    /// viewer may assign to them is [`Services::assignment`]'s to say.
    pub(crate) async fn owner_field(
        &self,
        viewer: &CurrentUser,
        id: Option<i64>,
        text: &str,
        current: Option<i64>,
    ) -> Result<PersonLookup, AppError> {
        let people = self.people().await?;
        let typed = text.trim();
        if id.is_none() && !typed.is_empty() {
            // The current owner by any name they have had (a disabled one is not in `people`).
            let names = match current {
                Some(owner) => self.store.user_names(&[owner]).await?,
                None => Default::default(),
            };
            let named = |who: &i64| {
                names
                    .get(who)
                    .or_else(|| people.names.get(who))
                    .is_some_and(|n| n == typed)
            };
            for standing in current.into_iter().chain([viewer.id]) {
                if named(&standing) {
                    return Ok(PersonLookup {
                        text: typed.to_owned(),
                        chosen: Some(standing),
                        ..Default::default()
                    });
                }
            }
        }
        let mut pool = reach_of(&people, viewer);
        if !pool.iter().any(|u| u.id == viewer.id) {
            pool.extend(people.users.iter().filter(|u| u.id == viewer.id));
        }
        Ok(look_up(&people, &pool, id, text))
    }

    /// The active users and the org units within `viewer`'s reach: all of them for province
    /// roles and the admin, their city's for city roles, only themselves (and their unit)
    /// otherwise.
    pub(crate) async fn reachable(&self, viewer: &CurrentUser) -> Result<Reachable, AppError> {
        let people = self.people_seen_by(viewer).await?;
        let all_units = people.units.clone();
        let (users, units) = match Scope::of(viewer).reach {
            Reach::All | Reach::Province => (people.users.clone(), all_units.clone()),
            Reach::City(city) => {
                let units: Vec<OrgUnit> = all_units
                    .iter()
                    .filter(|u| city_of(&all_units, u.id) == Some(city))
                    .cloned()
                    .collect();
                let users = people
                    .users
                    .iter()
                    .filter(|u| units.iter().any(|unit| unit.id == u.org_unit_id))
                    .cloned()
                    .collect();
                (users, units)
            }
            Reach::Industries(_) | Reach::Own => (
                vec![UserBrief {
                    id: viewer.id,
                    login: viewer.login.clone(),
                    name: viewer.name.clone(),
                    org_unit_id: viewer.org_unit_id,
                }],
                all_units
                    .iter()
                    .filter(|u| u.id == viewer.org_unit_id)
                    .cloned()
                    .collect(),
            ),
        };
        Ok(Reachable {
            users,
            units,
            all_units,
        })
    }
}
