//! 角色 (系统管理员 only): what each role may do, read from the very rules the server enforces
//! (the data scope, the menu, the rights, the approval routing) by asking them about a user who
//! holds that role alone, so the table cannot drift from the code; and who holds each role
//! (with a 行业总监's industries).

use super::Services;
use crate::db::DictKind;
use crate::policy::rights::{is_manager, may_add_customer, may_publish};
use crate::policy::scope::{Reach, Scope};
use crate::workflow::{Directory, Person, State};
use app::api::admin::{RoleHolder, RoleRow, RolesView};
use app::model::opportunity::{Flow, Level, Status};
use app::model::{AppError, CurrentUser, MenuItem, Role};

/// Holders listed on the page per role; the rest are in 用户管理, queried by role.
const HOLDERS_SHOWN: usize = 20;

/// A user with `role` alone, in city 1, responsible for industry 1.
fn holder_of(role: Role) -> CurrentUser {
    CurrentUser {
        id: 1,
        login: String::new(),
        name: String::new(),
        org_unit_id: 1,
        org_unit_name: String::new(),
        city_id: Some(1),
        roles: vec![role],
        industry_ids: vec![1],
        login_time: String::new(),
        directory_version: 0,
        must_change_password: false,
        session_id: 0,
    }
}

/// The steps (flow, level) the routing lets `role` decide, on an opportunity of city 1 and
/// industry 1 filed by someone else.
fn approves(role: Role) -> Vec<(String, String)> {
    let person = Person {
        id: 1,
        roles: vec![role],
        city_id: Some(1),
        industry_ids: vec![1],
    };
    let directory = Directory::default();
    let mut steps = Vec::new();
    for flow in [Flow::Filing, Flow::Signing, Flow::Termination] {
        for level in [Level::City, Level::Province] {
            let state = State {
                status: Status::Active,
                owner_id: 2,
                level,
                city_id: (level == Level::City).then_some(1),
                industry_id: 1,
                open_task: None,
            };
            if directory.eligible(&state, flow, &person) {
                steps.push((flow.label_key().to_owned(), level.label_key().to_owned()));
            }
        }
    }
    steps
}

fn scope_key(user: &CurrentUser) -> &'static str {
    match Scope::of(user).reach {
        Reach::All => "role.scope.all",
        Reach::Province => "role.scope.province",
        Reach::City(_) => "role.scope.city",
        Reach::Industries(_) => "role.scope.industries",
        Reach::Own => "role.scope.own",
    }
}

impl Services {
    pub(crate) async fn roles_view(&self, viewer: &CurrentUser) -> Result<RolesView, AppError> {
        self.require_admin(viewer, "roles").await?;
        let people = self.people_seen_by(viewer).await?;
        let industries = people.dictionary_pairs(DictKind::Industry);
        let rows = Role::ALL
            .into_iter()
            .map(|role| {
                let user = holder_of(role);
                let holding: Vec<&Person> = people
                    .routing
                    .people
                    .iter()
                    .filter(|p| p.has(role))
                    .collect();
                let holders = holding
                    .iter()
                    .take(HOLDERS_SHOWN)
                    .filter_map(|p| {
                        let u = people.users.iter().find(|u| u.id == p.id)?;
                        Some(RoleHolder {
                            login: u.login.clone(),
                            name: u.name.clone(),
                            industries: p
                                .industry_ids
                                .iter()
                                .filter_map(|id| {
                                    industries
                                        .iter()
                                        .find(|(i, _)| i == id)
                                        .map(|(_, l)| l.clone())
                                })
                                .collect(),
                        })
                    })
                    .collect();
                RoleRow {
                    code: role.code().to_owned(),
                    label: role.label_zh().to_owned(),
                    scope_key: scope_key(&user).to_owned(),
                    menu_keys: MenuItem::ALL
                        .into_iter()
                        .filter(|m| m.visible_to(&user))
                        .map(|m| m.label_key().to_owned())
                        .collect(),
                    approves: approves(role),
                    adds_customers: may_add_customer(&user),
                    manages: is_manager(&user),
                    publishes: may_publish(&user),
                    holders,
                    holder_count: holding.len(),
                }
            })
            .collect();
        Ok(RolesView { rows })
    }
}
