//! 审批配置 (系统管理员): who holds each post the workflow engine routes by, and 任命 / 免去.
//! A post is the role its holder has (so scope, menu and routing read one thing); a change
//! applies to the steps opened after it, and an open task keeps its approver.

use super::lookup::look_up;
use super::people::People;
use super::Services;
use crate::db::admin_users::RoleChange;
use crate::db::{Actor, DictKind, UserBrief};
use crate::workflow::Person;
use app::api::admin::{PostCell, RoutingRow, RoutingView};
use app::model::customer::FieldError;
use app::model::lookup::PersonLookup;
use app::model::routing::{ParsedRouting, Post, RoutingForm};
use app::model::{AppError, CurrentUser, Role};

/// Where a post is held: a city, the province, or an industry (its holders at the province).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seat {
    City(i64),
    Province,
    Industry(i64),
}

impl Seat {
    fn of(post: Post, unit: Option<i64>) -> Option<Seat> {
        match (post, unit) {
            (Post::CityDeputy | Post::CityGm, Some(city)) => Some(Seat::City(city)),
            (Post::ProvinceDeputy | Post::ProvinceGm, None) => Some(Seat::Province),
            (Post::IndustryDirector, Some(industry)) => Some(Seat::Industry(industry)),
            _ => None,
        }
    }

    /// Whether `p` works where the post is held.
    fn seats(self, p: &Person) -> bool {
        match self {
            Seat::City(city) => p.city_id == Some(city),
            Seat::Province | Seat::Industry(_) => p.city_id.is_none(),
        }
    }

    /// Whether `p` holds `post` here.
    fn held_by(self, post: Post, p: &Person) -> bool {
        self.seats(p)
            && p.has(post.role())
            && match self {
                Seat::Industry(industry) => p.industry_ids.contains(&industry),
                _ => true,
            }
    }

    fn unit(self) -> String {
        match self {
            Seat::City(id) | Seat::Industry(id) => id.to_string(),
            Seat::Province => String::new(),
        }
    }
}

/// The post's cell at `seat`: its holders, by name (login). Whom to appoint is typed (a
/// province has thousands of people: too many to list in every cell).
fn cell(people: &People, post: Post, seat: Seat) -> PostCell {
    let label = |id: i64| {
        people
            .users
            .iter()
            .find(|u| u.id == id)
            .map(|u| format!("{}（{}）", u.name, u.login))
            .unwrap_or_default()
    };
    let holders = people
        .routing
        .people
        .iter()
        .filter(|p| seat.held_by(post, p))
        .map(|p| (p.id, label(p.id)))
        .collect();
    PostCell {
        post: post.code().to_owned(),
        unit: seat.unit(),
        holders,
    }
}

impl Services {
    /// 任命 or 免去: the roles of the people it touches, in one transaction.
    pub async fn change_routing(
        &self,
        viewer: &CurrentUser,
        form: &RoutingForm,
    ) -> Result<(), AppError> {
        self.require_admin(viewer, "change_routing").await?;
        let mut parsed = form.parse().map_err(AppError::Invalid)?;
        let people = self.people().await?;
        if parsed.appoint {
            let found = look_up_at(&people, &parsed, form);
            match (found.chosen, found.error) {
                (Some(id), None) => parsed.user = Some(id),
                (_, error) => {
                    let key = error.unwrap_or_else(|| "routing.choose_user".into());
                    return Err(AppError::Invalid(vec![FieldError::new("person", &key)]));
                }
            }
        }
        let changes = routing_changes(&people, &parsed)?;
        if changes.is_empty() {
            return Ok(());
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store.assign_roles(&actor, &changes).await?;
        Ok(())
    }

    /// Whom a refused 任命's text finds (to offer the several it found).
    pub async fn routing_lookup(&self, form: &RoutingForm) -> Result<PersonLookup, AppError> {
        let people = self.people().await?;
        Ok(match form.parse() {
            Ok(parsed) if parsed.appoint => look_up_at(&people, &parsed, form),
            _ => PersonLookup::default(),
        })
    }

    pub(crate) async fn routing_view(&self, viewer: &CurrentUser) -> Result<RoutingView, AppError> {
        self.require_admin(viewer, "routing").await?;
        let people = self.people_seen_by(viewer).await?;
        let cities = people
            .cities()
            .into_iter()
            .map(|(id, name)| {
                let cells = vec![
                    cell(&people, Post::CityDeputy, Seat::City(id)),
                    cell(&people, Post::CityGm, Seat::City(id)),
                ];
                let unstaffed = cells.iter().all(|c| c.holders.is_empty());
                RoutingRow {
                    name,
                    cells,
                    unstaffed,
                }
            })
            .collect();
        let province_cells = vec![
            cell(&people, Post::ProvinceDeputy, Seat::Province),
            cell(&people, Post::ProvinceGm, Seat::Province),
        ];
        let province = RoutingRow {
            name: people
                .units
                .iter()
                .find(|u| u.parent_id.is_none())
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            unstaffed: province_cells.iter().all(|c| c.holders.is_empty()),
            cells: province_cells,
        };
        let industries = people
            .dictionary_pairs(DictKind::Industry)
            .into_iter()
            .map(|(id, name)| {
                let c = cell(&people, Post::IndustryDirector, Seat::Industry(id));
                RoutingRow {
                    name,
                    unstaffed: c.holders.is_empty(),
                    cells: vec![c],
                }
            })
            .collect();
        Ok(RoutingView {
            cities,
            province,
            industries,
        })
    }
}

/// Looks up what a 任命 typed (or chose) among the people working where the post is held.
fn look_up_at(people: &People, parsed: &ParsedRouting, form: &RoutingForm) -> PersonLookup {
    let Some(seat) = Seat::of(parsed.post, parsed.unit) else {
        return PersonLookup::default();
    };
    let pool: Vec<&UserBrief> = people
        .users_with_persons()
        .filter(|(_, p)| seat.seats(p))
        .map(|(u, _)| u)
        .collect();
    look_up(people, &pool, parsed.user, &form.person)
}

/// The roles `parsed` gives each person it touches (none when nothing changes).
fn routing_changes(people: &People, parsed: &ParsedRouting) -> Result<Vec<RoleChange>, AppError> {
    let refuse = |key: &str| AppError::Invalid(vec![FieldError::new("person", key)]);
    let unknown = || AppError::Invalid(vec![FieldError::new("", "routing.unknown")]);
    let seat = Seat::of(parsed.post, parsed.unit).ok_or_else(unknown)?;
    let known = match seat {
        Seat::City(city) => people.cities().iter().any(|(id, _)| *id == city),
        Seat::Industry(id) => people
            .dictionary_pairs(DictKind::Industry)
            .iter()
            .any(|(item, _)| *item == id),
        Seat::Province => true,
    };
    if !known {
        return Err(unknown());
    }
    let person = parsed
        .user
        .and_then(|id| people.routing.person(id))
        .filter(|p| seat.seats(p))
        .ok_or_else(|| refuse("routing.choose_user"))?;
    let role = parsed.post.role();
    let mut changes = Vec::new();
    if parsed.appoint {
        if seat.held_by(parsed.post, person) {
            return Ok(changes);
        }
        let mut change = change_of(person);
        if !change.roles.contains(&role) {
            change.roles.push(role);
        }
        if let Seat::Industry(industry) = seat {
            change.industry_ids.push(industry);
        }
        changes.push(change);
        if parsed.post.is_single() {
            // The post has one holder: whoever held it is relieved, and stays an approver
            // there when it was all they were.
            for other in people.routing.people.iter() {
                if other.id != person.id && seat.held_by(parsed.post, other) {
                    let mut relieved = change_of(other);
                    relieved.roles.retain(|r| *r != role);
                    if relieved.roles.is_empty() {
                        relieved.roles.push(parsed.post.relieved_to());
                    }
                    changes.push(relieved);
                }
            }
        }
    } else {
        if !seat.held_by(parsed.post, person) {
            return Ok(changes);
        }
        let mut change = change_of(person);
        match seat {
            Seat::Industry(industry) => {
                change.industry_ids.retain(|i| *i != industry);
                if change.industry_ids.is_empty() {
                    change.roles.retain(|r| *r != Role::IndustryDirector);
                }
            }
            _ => change.roles.retain(|r| *r != role),
        }
        if change.roles.is_empty() {
            return Err(refuse("routing.last_role"));
        }
        changes.push(change);
    }
    Ok(changes)
}

fn change_of(p: &Person) -> RoleChange {
    RoleChange {
        user_id: p.id,
        roles: p.roles.clone(),
        industry_ids: p.industry_ids.clone(),
    }
}
