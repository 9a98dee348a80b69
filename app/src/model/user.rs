//! The logged-in user as the pages see it. Made by the server from the session, never from
//! anything the browser sends.

use super::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
    pub org_unit_name: String,
    /// The city the user's org unit belongs to; `None` at province level.
    pub city_id: Option<i64>,
    pub roles: Vec<Role>,
    /// For 行业总监: the ids of their 行业 dictionary items.
    pub industry_ids: Vec<i64>,
    /// When this session logged in, China time, as 「2026-11-27 09:30」.
    pub login_time: String,
    /// The version of the user directory this request read the user from (server side only;
    /// the pages' reference data comes from the same copy).
    #[serde(skip)]
    pub directory_version: i64,
    /// Set by the 系统管理员 (a new user, a reset): nothing but 修改密码 until it is changed.
    pub must_change_password: bool,
    /// The session this request came in (server side only: 个人资料 keeps it when it ends the
    /// others).
    #[serde(skip)]
    pub session_id: i64,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any_role(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }
}
