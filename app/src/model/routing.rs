//! 审批配置: the posts the workflow engine routes by — each city's 地市副总 and 地市总经理, the
//! province's 集客部副总经理 and 集客部总经理, each industry's 行业总监 — and the form that
//! appoints someone to one or removes them from it.

use super::customer::FieldError;
use super::Role;
use serde::{Deserialize, Serialize};

/// A post, and the role that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Post {
    CityDeputy,
    /// One per city: 「通过，报总经理继续审批」 goes to them.
    CityGm,
    ProvinceDeputy,
    /// One for the province.
    ProvinceGm,
    /// Per industry: 签约 of that industry's customers.
    IndustryDirector,
}

impl Post {
    pub const ALL: [Post; 5] = [
        Post::CityDeputy,
        Post::CityGm,
        Post::ProvinceDeputy,
        Post::ProvinceGm,
        Post::IndustryDirector,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Post::CityDeputy => "city_deputy",
            Post::CityGm => "city_gm",
            Post::ProvinceDeputy => "province_deputy",
            Post::ProvinceGm => "province_gm",
            Post::IndustryDirector => "industry_director",
        }
    }

    pub fn from_code(code: &str) -> Option<Post> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn role(self) -> Role {
        match self {
            Post::CityDeputy => Role::CityDeputyGm,
            Post::CityGm => Role::CityGm,
            Post::ProvinceDeputy => Role::ProvinceDeputyGm,
            Post::ProvinceGm => Role::ProvinceGm,
            Post::IndustryDirector => Role::IndustryDirector,
        }
    }

    /// Whether one person holds it: appointing someone relieves whoever held it.
    pub fn is_single(self) -> bool {
        matches!(self, Post::CityGm | Post::ProvinceGm)
    }

    /// What a relieved holder with no other role becomes: they stay an approver where they were.
    pub fn relieved_to(self) -> Role {
        match self {
            Post::CityGm => Role::CityDeputyGm,
            _ => Role::ProvinceDeputyGm,
        }
    }
}

/// The posted form: 任命 (`appoint`) or 免去 (`remove`) someone at `post` of `unit` (a city's
/// org unit, or an industry's item; empty for the province's posts). 任命 names them by what
/// was typed (`person`, a name or login) or the one chosen among several (`user`); 免去 by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoutingForm {
    pub action: String,
    pub post: String,
    pub unit: String,
    pub person: String,
    pub user: String,
}

/// The form, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedRouting {
    pub appoint: bool,
    pub post: Post,
    pub unit: Option<i64>,
    pub user: Option<i64>,
}

impl RoutingForm {
    pub fn parse(&self) -> Result<ParsedRouting, Vec<FieldError>> {
        let appoint = match self.action.as_str() {
            "appoint" => true,
            "remove" => false,
            _ => return Err(vec![FieldError::new("", "routing.unknown")]),
        };
        let post = Post::from_code(&self.post)
            .ok_or_else(|| vec![FieldError::new("", "routing.unknown")])?;
        let unit = self.unit.trim().parse::<i64>().ok();
        let province = matches!(post, Post::ProvinceDeputy | Post::ProvinceGm);
        if unit.is_none() != province {
            return Err(vec![FieldError::new("", "routing.unknown")]);
        }
        let user = self.user.trim().parse::<i64>().ok();
        if user.is_none() && (!appoint || self.person.trim().is_empty()) {
            return Err(vec![FieldError::new("person", "routing.choose_user")]);
        }
        Ok(ParsedRouting {
            appoint,
            post,
            unit,
            user,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str, post: &str, unit: &str, user: &str) -> RoutingForm {
        RoutingForm {
            action: action.into(),
            post: post.into(),
            unit: unit.into(),
            person: String::new(),
            user: user.into(),
        }
    }

    #[test]
    fn a_post_is_named_with_its_unit_except_the_provinces() {
        assert_eq!(
            form("appoint", "city_gm", "3", "9").parse(),
            Ok(ParsedRouting {
                appoint: true,
                post: Post::CityGm,
                unit: Some(3),
                user: Some(9)
            })
        );
        assert_eq!(
            form("remove", "province_gm", "", "9")
                .parse()
                .map(|p| p.unit),
            Ok(None)
        );
        assert!(form("appoint", "city_gm", "", "9").parse().is_err());
        assert!(form("appoint", "province_gm", "3", "9").parse().is_err());
        assert!(form("promote", "city_gm", "3", "9").parse().is_err());
        let no_user = form("appoint", "city_deputy", "3", "").parse().unwrap_err();
        assert_eq!(no_user[0].field, "person");
        let typed = RoutingForm {
            person: "sjz_am2".into(),
            ..form("appoint", "city_gm", "3", "")
        };
        assert_eq!(typed.parse().map(|p| p.user), Ok(None));
        assert!(RoutingForm {
            person: "sjz_am2".into(),
            ..form("remove", "city_gm", "3", "")
        }
        .parse()
        .is_err());
        assert!(Post::CityGm.is_single() && !Post::CityDeputy.is_single());
        for post in Post::ALL {
            assert_eq!(Post::from_code(post.code()), Some(post));
        }
    }
}
