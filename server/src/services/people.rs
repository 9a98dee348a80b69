//! The user directory (active users, their names and logins, org units, roles and industries
//! as routing sees them, and the dictionaries), kept once per instance while the database's
//! directory version stands. Every change to users, roles, industries, org units or dictionary
//! items bumps that version in its own transaction (triggers, migrations 16 and 17), so a copy
//! is never used after a change on any instance: each use costs one read of one row instead of
//! 5,000 users (about 19 ms through sqlx) on every task page, decision and list. A page reads
//! no row at all: it uses the copy its session's read named (`CurrentUser::directory_version`).

use super::Services;
use crate::db::opportunities::RoleAssignments;
use crate::db::{DictItem, DictKind, OrgUnit, UserBrief};
use crate::workflow::{Directory, Person};
use app::model::{AppError, CurrentUser, OrgUnitKind, Role};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// The 地市公司 an org unit belongs to (itself, or an ancestor), if any.
pub(crate) fn city_of(units: &[OrgUnit], id: i64) -> Option<i64> {
    let mut current = units.iter().find(|u| u.id == id)?;
    loop {
        if current.kind == OrgUnitKind::City {
            return Some(current.id);
        }
        current = units.iter().find(|u| Some(u.id) == current.parent_id)?;
    }
}

/// Whether `unit` is `ancestor` or lies under it.
pub(crate) fn is_within(units: &[OrgUnit], unit: i64, ancestor: i64) -> bool {
    let mut current = units.iter().find(|u| u.id == unit);
    while let Some(u) = current {
        if u.id == ancestor {
            return true;
        }
        current = u.parent_id.and_then(|p| units.iter().find(|x| x.id == p));
    }
    false
}

/// One version of the directory.
pub(crate) struct People {
    version: i64,
    /// Every org unit, parents before children.
    pub units: Vec<OrgUnit>,
    /// The active users, by name.
    pub users: Vec<UserBrief>,
    /// The active users' names by id.
    pub names: Arc<HashMap<i64, String>>,
    /// The active users as routing sees them.
    pub routing: Arc<Directory>,
    /// The active items of each dictionary, in their order.
    dictionaries: Vec<(DictKind, Vec<DictItem>)>,
    /// The active users who must change their password first.
    must_change_password: HashSet<i64>,
}

impl People {
    fn new(
        version: i64,
        units: Vec<OrgUnit>,
        users: Vec<UserBrief>,
        assigned: RoleAssignments,
        dictionaries: Vec<(DictKind, Vec<DictItem>)>,
        must_change_password: HashSet<i64>,
    ) -> Self {
        // Grouped by user first: matching each user against every assignment was quadratic
        // (25 million comparisons for a province of 5,000 people).
        let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
        for (id, code) in &assigned.roles {
            if let Some(role) = Role::from_code(code) {
                roles.entry(*id).or_default().push(role);
            }
        }
        let mut industries: HashMap<i64, Vec<i64>> = HashMap::new();
        for (id, industry) in &assigned.industries {
            industries.entry(*id).or_default().push(*industry);
        }
        let people = users
            .iter()
            .map(|u| Person {
                id: u.id,
                roles: roles.remove(&u.id).unwrap_or_default(),
                city_id: city_of(&units, u.org_unit_id),
                industry_ids: industries.remove(&u.id).unwrap_or_default(),
            })
            .collect();
        let names = users.iter().map(|u| (u.id, u.name.clone())).collect();
        Self {
            version,
            units,
            users,
            names: Arc::new(names),
            routing: Arc::new(Directory { people }),
            dictionaries,
            must_change_password,
        }
    }

    /// A directory of org units and nobody else.
    #[cfg(test)]
    pub(crate) fn for_tests(units: Vec<OrgUnit>) -> Self {
        Self::new(
            1,
            units,
            Vec::new(),
            RoleAssignments::default(),
            Vec::new(),
            HashSet::new(),
        )
    }

    /// The logged-in user `id` as pages see them; `None` when they are not an active user.
    pub(crate) fn current_user(&self, id: i64, login_time: String) -> Option<CurrentUser> {
        let user = self.users.iter().find(|u| u.id == id)?;
        let unit = self.units.iter().find(|u| u.id == user.org_unit_id)?;
        let person = self.routing.person(id)?;
        Some(CurrentUser {
            id,
            login: user.login.clone(),
            name: user.name.clone(),
            org_unit_id: unit.id,
            org_unit_name: unit.name.clone(),
            city_id: person.city_id,
            roles: person.roles.clone(),
            industry_ids: person.industry_ids.clone(),
            login_time,
            directory_version: self.version,
            must_change_password: self.must_change_password.contains(&id),
            session_id: 0,
        })
    }

    /// The active items of dictionary `kind`, in their order.
    pub fn dictionary(&self, kind: DictKind) -> &[DictItem] {
        self.dictionaries
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, items)| items.as_slice())
    }

    /// Each active user with how routing sees them, in one pass (the two lists are built in the
    /// same order, so no user is looked up among thousands).
    pub fn users_with_persons(&self) -> impl Iterator<Item = (&UserBrief, &Person)> {
        debug_assert_eq!(self.users.len(), self.routing.people.len());
        self.users.iter().zip(self.routing.people.iter())
    }

    /// (id, label) of each active item of dictionary `kind`.
    pub fn dictionary_pairs(&self, kind: DictKind) -> Vec<(i64, String)> {
        self.dictionary(kind)
            .iter()
            .map(|i| (i.id, i.label.clone()))
            .collect()
    }

    /// (id, name) of every city.
    pub fn cities(&self) -> Vec<(i64, String)> {
        self.units
            .iter()
            .filter(|u| u.kind == OrgUnitKind::City)
            .map(|u| (u.id, u.name.clone()))
            .collect()
    }

    /// The name of an org unit (empty if unknown).
    pub fn unit_name(&self, id: i64) -> &str {
        self.units
            .iter()
            .find(|u| u.id == id)
            .map_or("", |u| u.name.as_str())
    }
}

/// The kept copy; loads are one at a time, so a burst after a change reads the users once.
#[derive(Default)]
pub struct PeopleCache {
    kept: Mutex<Option<Arc<People>>>,
    loading: tokio::sync::Mutex<()>,
}

impl PeopleCache {
    fn get(&self, version: i64) -> Option<Arc<People>> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref().filter(|p| p.version >= version).cloned()
    }

    fn keep(&self, people: &Arc<People>) {
        if let Ok(mut kept) = self.kept.lock() {
            if kept.as_ref().is_none_or(|k| k.version <= people.version) {
                *kept = Some(people.clone());
            }
        }
    }
}

impl Services {
    /// The directory as it stands now (read its version again: for decisions and other writes).
    pub(crate) async fn people(&self) -> Result<Arc<People>, AppError> {
        self.people_at(self.store.directory_version().await?).await
    }

    /// The directory `viewer` was read from at the start of their request, or a newer copy:
    /// what pages show (names, units, dictionaries) without a query of their own.
    pub(crate) async fn people_seen_by(
        &self,
        viewer: &CurrentUser,
    ) -> Result<Arc<People>, AppError> {
        self.people_at(viewer.directory_version).await
    }

    /// The directory at `version`, just read from the database (with a session, say), or a
    /// newer copy.
    pub(crate) async fn people_at(&self, version: i64) -> Result<Arc<People>, AppError> {
        if let Some(people) = self.people.get(version) {
            return Ok(people);
        }
        let _one_at_a_time = self.people.loading.lock().await;
        if let Some(people) = self.people.get(version) {
            return Ok(people);
        }
        // Read after the version: a change committed in between makes the copy newer than
        // its number, and the next use reads it again; never older.
        let units = self.store.org_units().await?;
        let users = self.store.user_directory().await?;
        let assigned = self.store.role_assignments().await?;
        let mut dictionaries = Vec::new();
        for kind in DictKind::ALL {
            dictionaries.push((kind, self.store.dictionary(kind).await?));
        }
        let must_change = self.store.users_to_change_password().await?;
        let people = Arc::new(People::new(
            version,
            units,
            users,
            assigned,
            dictionaries,
            must_change.into_iter().collect(),
        ));
        self.people.keep(&people);
        Ok(people)
    }

    /// Every active user as routing sees them (roles, city, industries).
    pub async fn routing_directory(&self) -> Result<Arc<Directory>, AppError> {
        Ok(self.people().await?.routing.clone())
    }

    /// The active users' names by id.
    pub(crate) async fn names(&self) -> Result<Arc<HashMap<i64, String>>, AppError> {
        Ok(self.people().await?.names.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent_id: Option<i64>, kind: OrgUnitKind) -> OrgUnit {
        OrgUnit {
            id,
            parent_id,
            name: format!("unit {id}"),
            kind,
            active: true,
        }
    }

    fn tree() -> Vec<OrgUnit> {
        vec![
            unit(1, None, OrgUnitKind::Province),
            unit(2, Some(1), OrgUnitKind::City),
            unit(3, Some(2), OrgUnitKind::Department),
            unit(4, Some(1), OrgUnitKind::Department),
        ]
    }

    #[test]
    fn a_department_belongs_to_the_city_above_it() {
        let units = tree();
        assert_eq!(city_of(&units, 3), Some(2));
        assert_eq!(city_of(&units, 2), Some(2));
        assert_eq!(city_of(&units, 4), None);
        assert_eq!(city_of(&units, 1), None);
        assert_eq!(city_of(&units, 99), None);
    }

    #[test]
    fn a_unit_lies_within_itself_and_its_ancestors_only() {
        let units = tree();
        assert!(is_within(&units, 3, 3));
        assert!(is_within(&units, 3, 2));
        assert!(is_within(&units, 3, 1));
        assert!(!is_within(&units, 2, 3));
        assert!(!is_within(&units, 4, 2));
    }
}
