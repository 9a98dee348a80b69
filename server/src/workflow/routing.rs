//! Who may approve what, from the org data (roles, cities, industries), never from code:
//! 报备 and 终止 go to the 地市副总 / 地市总经理 of the opportunity's city, or to the
//! 集客部副总经理 / 集客部总经理 for a province one; 签约 to the 行业总监 of the primary
//! customer's industry and the 集客部副总经理 / 集客部总经理. 「报总经理继续审批」 goes to the GM of
//! that route.

use super::State;
use app::model::opportunity::{Flow, Level};
use app::model::Role;

/// A user as routing sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub roles: Vec<Role>,
    pub city_id: Option<i64>,
    pub industry_ids: Vec<i64>,
}

impl Person {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Every active user, as routing needs them.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub people: Vec<Person>,
}

impl Directory {
    pub fn person(&self, id: i64) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// Whether `p` may be chosen to approve a step of `flow` on `state` (the filer never).
    pub fn eligible(&self, state: &State, flow: Flow, p: &Person) -> bool {
        if p.id == state.owner_id {
            return false;
        }
        let province = p.has(Role::ProvinceDeputyGm) || p.has(Role::ProvinceGm);
        match (flow, state.level) {
            (Flow::Signing, _) => {
                province
                    || (p.has(Role::IndustryDirector)
                        && p.industry_ids.contains(&state.industry_id))
            }
            (Flow::Filing | Flow::Termination, Level::Province) => province,
            (Flow::Filing | Flow::Termination, Level::City) => {
                (p.has(Role::CityDeputyGm) || p.has(Role::CityGm))
                    && p.city_id.is_some()
                    && p.city_id == state.city_id
            }
        }
    }

    /// The approvers one may choose for a step of `flow`, by id.
    pub fn approvers(&self, state: &State, flow: Flow) -> Vec<&Person> {
        self.people
            .iter()
            .filter(|p| self.eligible(state, flow, p))
            .collect()
    }

    /// Whether `p` is the general manager of the route (to whom nothing is forwarded).
    pub fn is_gm(&self, state: &State, flow: Flow, p: &Person) -> bool {
        match (flow, state.level) {
            (Flow::Filing | Flow::Termination, Level::City) => p.has(Role::CityGm),
            _ => p.has(Role::ProvinceGm),
        }
    }

    /// Where 「通过，报总经理继续审批」 sends the step: the route's GM (the lowest id when there
    /// are several), if that is not the filer.
    pub fn general_manager(&self, state: &State, flow: Flow) -> Option<&Person> {
        self.people
            .iter()
            .filter(|p| self.eligible(state, flow, p) && self.is_gm(state, flow, p))
            .min_by_key(|p| p.id)
    }
}
