//! 个人资料 as typed (姓名, 手机, 邮箱) and 修改密码, with their checks: the same in the
//! browser and on the server. Whether a password is among the common ones is the server's to
//! check (the list stays out of the browser's bundle).

use super::customer::{parse_email, parse_phone, parse_text, FieldError};
use serde::{Deserialize, Serialize};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The longest: argon2 takes any length, but a form is no place for a book.
pub const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub name: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedProfile {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl ProfileForm {
    pub fn parse(&self) -> Result<ParsedProfile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = match parse_text(&self.name, 50) {
            Ok(Some(name)) => Some(name),
            Ok(None) => {
                errors.push(FieldError::new("name", "field.required"));
                None
            }
            Err(key) => {
                errors.push(FieldError::new("name", key));
                None
            }
        };
        let phone = parse_phone(&self.phone).unwrap_or_else(|key| {
            errors.push(FieldError::new("phone", key));
            None
        });
        let email = parse_email(&self.email).unwrap_or_else(|key| {
            errors.push(FieldError::new("email", key));
            None
        });
        match name {
            Some(name) if errors.is_empty() => Ok(ParsedProfile { name, phone, email }),
            _ => Err(errors),
        }
    }
}

/// 修改密码 as typed. Never sent back to the page: a refused form comes back empty, with the
/// reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub old_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

impl PasswordForm {
    /// The checks that need no list: the old one given, the new one long enough, not the
    /// login name, typed the same twice, and not the old one again.
    pub fn check(&self, login: &str) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.old_password.is_empty() {
            errors.push(FieldError::new("old_password", "field.required"));
        }
        if let Err(key) = check_new_password(&self.new_password, login) {
            errors.push(FieldError::new("new_password", key));
        } else if self.new_password == self.old_password {
            errors.push(FieldError::new("new_password", "password.same_as_old"));
        }
        if self.confirm_password != self.new_password {
            errors.push(FieldError::new("confirm_password", "password.mismatch"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A new password's own rules (the 系统管理员's initial and reset passwords too): at least
/// [`MIN_PASSWORD_CHARS`] characters, at most [`MAX_PASSWORD_CHARS`], and not the login name
/// (in any case, or reversed).
pub fn check_new_password(password: &str, login: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars == 0 {
        return Err("field.required");
    }
    if chars < MIN_PASSWORD_CHARS {
        return Err("password.too_short");
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err("field.too_long");
    }
    let lower = password.to_lowercase();
    let login = login.trim().to_lowercase();
    let reversed: String = login.chars().rev().collect();
    if !login.is_empty() && (lower == login || lower == reversed) {
        return Err("password.is_login");
    }
    Ok(())
}

/// One of the viewer's live sessions, as 个人资料 lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// When it logged in and when it was last used, China time.
    pub created_at: String,
    pub last_seen_at: String,
    /// The session this page is shown in.
    pub current: bool,
}

/// The 个人资料 page: who the viewer is, the form, and their sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub login: String,
    pub org_unit: String,
    /// The labels' keys of the viewer's roles.
    pub role_keys: Vec<String>,
    pub form: ProfileForm,
    pub version: i64,
    pub sessions: Vec<SessionRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_enough_and_not_the_login() {
        assert_eq!(check_new_password("", "sjz_am1"), Err("field.required"));
        assert_eq!(
            check_new_password("Short1!", "sjz_am1"),
            Err("password.too_short")
        );
        assert_eq!(
            check_new_password("SJZ_AM1", "sjz_am1"),
            Err("password.too_short")
        );
        assert_eq!(
            check_new_password("Wang.Xiaoming", "wang.xiaoming"),
            Err("password.is_login")
        );
        assert_eq!(
            check_new_password("gnimoaix.gnaw", "wang.xiaoming"),
            Err("password.is_login")
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), "a"),
            Err("field.too_long")
        );
        // Counted in characters, not bytes: ten Chinese characters are ten.
        assert_eq!(check_new_password("冀中南集团客户部门经理", "a"), Ok(()));
        assert_eq!(check_new_password("Corr3ct-Horse", "sjz_am1"), Ok(()));
    }

    #[test]
    fn the_password_form_reports_every_field() {
        let form = PasswordForm {
            old_password: String::new(),
            new_password: "short".into(),
            confirm_password: "other".into(),
        };
        let fields: Vec<String> = form
            .check("a")
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["old_password", "new_password", "confirm_password"]);
        let same = PasswordForm {
            old_password: "Corr3ct-Horse".into(),
            new_password: "Corr3ct-Horse".into(),
            confirm_password: "Corr3ct-Horse".into(),
        };
        assert_eq!(same.check("a").unwrap_err()[0].key, "password.same_as_old");
    }

    #[test]
    fn the_profile_needs_a_name_and_checks_phone_and_email() {
        let errors = ProfileForm {
            name: " ".into(),
            phone: "abc".into(),
            email: "a@b".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone", "email"]);
        let parsed = ProfileForm {
            name: " 王小明 ".into(),
            phone: String::new(),
            email: "wxm@example.cn".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(parsed.name, "王小明");
        assert_eq!(parsed.phone, None);
    }
}
