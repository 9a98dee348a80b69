//! 用户管理's form as typed (create and edit), and its checks: the same in the browser and on
//! the server. Whether the org unit and the industries exist, whether the login is free and
//! whether the password is a common one are the server's to check.

use super::customer::{parse_email, parse_phone, parse_text, FieldError};
use super::posted::distinct_ids;
use super::profile::check_new_password;
use super::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserForm {
    /// 登录名: fixed once created (sessions, the audit trail and people's habits name it).
    pub login: String,
    pub name: String,
    pub org_unit_id: String,
    /// Role codes, one per ticked box.
    #[serde(rename = "role", deserialize_with = "distinct_ids")]
    pub roles: Vec<String>,
    /// 行业 item ids, for a 行业总监.
    #[serde(rename = "industry", deserialize_with = "distinct_ids")]
    pub industry_ids: Vec<String>,
    pub phone: String,
    pub email: String,
    /// The initial password (create only; to be changed at the first login).
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUser {
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
    pub roles: Vec<Role>,
    pub industry_ids: Vec<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A login: 1 to 64 of `a-z 0-9 _ . -`, kept in lower case.
pub fn parse_login(raw: &str) -> Result<String, &'static str> {
    let login = raw.trim().to_lowercase();
    if login.is_empty() {
        return Err("field.required");
    }
    let allowed = login
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !allowed || login.chars().count() > 64 {
        return Err("user.invalid_login");
    }
    Ok(login)
}

impl UserForm {
    /// Checks every field and reports all refusals at once. `creating`: the login and the
    /// initial password are checked too (an edit keeps both).
    pub fn parse(&self, creating: bool) -> Result<ParsedUser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, key: &str| errors.push(FieldError::new(field, key));
        let login = if creating {
            parse_login(&self.login).unwrap_or_else(|key| {
                refuse("login", key);
                String::new()
            })
        } else {
            self.login.trim().to_lowercase()
        };
        let name = match parse_text(&self.name, 50) {
            Ok(Some(name)) => name,
            Ok(None) => {
                refuse("name", "field.required");
                String::new()
            }
            Err(key) => {
                refuse("name", key);
                String::new()
            }
        };
        let org_unit_id = self.org_unit_id.trim().parse::<i64>().unwrap_or_else(|_| {
            refuse("org_unit_id", "field.required");
            0
        });
        let mut roles = Vec::new();
        for code in &self.roles {
            match Role::from_code(code) {
                Some(role) => roles.push(role),
                None => refuse("roles", "field.invalid"),
            }
        }
        if roles.is_empty() && self.roles.is_empty() {
            refuse("roles", "user.role_required");
        }
        let industry_ids: Vec<i64> = self
            .industry_ids
            .iter()
            .filter_map(|id| id.trim().parse().ok())
            .collect();
        if industry_ids.len() != self.industry_ids.len() {
            refuse("industries", "field.invalid");
        }
        let director = roles.contains(&Role::IndustryDirector);
        if director && industry_ids.is_empty() {
            refuse("industries", "user.industry_required");
        }
        if !director && !industry_ids.is_empty() {
            refuse("industries", "user.industry_only_director");
        }
        let phone = parse_phone(&self.phone).unwrap_or_else(|key| {
            refuse("phone", key);
            None
        });
        let email = parse_email(&self.email).unwrap_or_else(|key| {
            refuse("email", key);
            None
        });
        if creating {
            if let Err(key) = check_new_password(&self.password, &login) {
                refuse("password", key);
            }
        }
        roles.sort();
        if errors.is_empty() {
            Ok(ParsedUser {
                login,
                name,
                org_unit_id,
                roles,
                industry_ids,
                phone,
                email,
            })
        } else {
            Err(errors)
        }
    }
}

/// The list's conditions as the address carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserListQuery {
    /// 登录名 or 姓名 containing this.
    pub q: String,
    pub org_unit_id: String,
    pub role: String,
    /// `active`, `disabled`, or empty for both.
    pub status: String,
    /// The previous page's last row (its id), as `next` gave it.
    pub after: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub org_unit: String,
    pub roles: Vec<String>,
    pub disabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::posted::FormBody;

    fn form(pairs: &[(&str, &str)]) -> UserForm {
        FormBody::from_pairs(pairs).read()
    }

    #[test]
    fn a_new_user_needs_login_name_unit_a_role_and_a_good_password() {
        let errors = form(&[]).parse(true).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["login", "name", "org_unit_id", "roles", "password"]
        );
        let parsed = form(&[
            ("login", " Zhang.San "),
            ("name", "张三"),
            ("org_unit_id", "3"),
            ("role", "account_manager"),
            ("password", "Chu-Shi-Mi-Ma-1"),
        ])
        .parse(true)
        .unwrap();
        assert_eq!(parsed.login, "zhang.san");
        assert_eq!(parsed.roles, [Role::AccountManager]);
        assert_eq!(parse_login("张三"), Err("user.invalid_login"));
    }

    #[test]
    fn an_industry_director_needs_an_industry_and_nobody_else_has_one() {
        let base = [("login", "ind"), ("name", "总监"), ("org_unit_id", "1")];
        let director = [&base[..], &[("role", "industry_director")]].concat();
        let errors = form(&director).parse(false).unwrap_err();
        assert_eq!(errors[0].key, "user.industry_required");
        let manager = [&base[..], &[("role", "account_manager"), ("industry", "4")]].concat();
        assert_eq!(
            form(&manager).parse(false).unwrap_err()[0].key,
            "user.industry_only_director"
        );
        let ok = [
            &base[..],
            &[("role", "industry_director"), ("industry", "4")],
        ]
        .concat();
        assert_eq!(form(&ok).parse(false).unwrap().industry_ids, [4]);
    }
}
