//! Data scope: which customers and opportunities a user may see (ACCESS.md). Every data query
//! in the store takes a [`Scope`], so none can forget it.

use app::model::{CurrentUser, Role};

/// How far a user's view reaches, beyond what they own or is shared with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// 系统管理员: everything.
    All,
    /// Province roles: every record of the province.
    Province,
    /// City roles: every record of that city.
    City(i64),
    /// 行业总监: records whose primary customer is in these industries.
    Industries(Vec<i64>),
    /// 客户经理: only what they own or is shared with them.
    Own,
}

/// The scope a query runs in. Drafts are visible to their filer (`viewer_id`) alone, whatever
/// the reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub viewer_id: i64,
    pub reach: Reach,
}

impl Scope {
    /// The widest reach among the user's roles.
    pub fn of(user: &CurrentUser) -> Self {
        let reach = if user.has_role(Role::SystemAdmin) {
            Reach::All
        } else if user.has_any_role(&[
            Role::ProvinceGm,
            Role::ProvinceDeputyGm,
            Role::OpportunityAdmin,
            Role::SalesSupport,
        ]) {
            Reach::Province
        } else if let (true, Some(city)) = (
            user.has_any_role(&[Role::CityGm, Role::CityDeputyGm]),
            user.city_id,
        ) {
            Reach::City(city)
        } else if user.has_role(Role::IndustryDirector) && !user.industry_ids.is_empty() {
            Reach::Industries(user.industry_ids.clone())
        } else {
            Reach::Own
        };
        Scope {
            viewer_id: user.id,
            reach,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role], city_id: Option<i64>, industry_ids: &[i64]) -> CurrentUser {
        CurrentUser {
            id: 7,
            login: "u".into(),
            name: "u".into(),
            org_unit_id: 1,
            org_unit_name: "x".into(),
            city_id,
            roles: roles.to_vec(),
            industry_ids: industry_ids.to_vec(),
            login_time: String::new(),
            directory_version: 0,
            must_change_password: false,
            session_id: 0,
        }
    }

    #[test]
    fn an_account_manager_sees_only_their_own() {
        let scope = Scope::of(&user(&[Role::AccountManager], Some(2), &[]));
        assert_eq!(
            scope,
            Scope {
                viewer_id: 7,
                reach: Reach::Own
            }
        );
    }

    #[test]
    fn city_deputies_and_gms_see_their_city() {
        for role in [Role::CityDeputyGm, Role::CityGm] {
            assert_eq!(
                Scope::of(&user(&[role], Some(2), &[])).reach,
                Reach::City(2)
            );
        }
    }

    #[test]
    fn a_city_role_without_a_city_sees_only_their_own() {
        assert_eq!(
            Scope::of(&user(&[Role::CityGm], None, &[])).reach,
            Reach::Own
        );
    }

    #[test]
    fn province_roles_see_the_province() {
        for role in [
            Role::ProvinceGm,
            Role::ProvinceDeputyGm,
            Role::OpportunityAdmin,
            Role::SalesSupport,
        ] {
            assert_eq!(Scope::of(&user(&[role], None, &[])).reach, Reach::Province);
        }
    }

    #[test]
    fn an_industry_director_sees_their_industries() {
        let scope = Scope::of(&user(&[Role::IndustryDirector], None, &[3, 4]));
        assert_eq!(scope.reach, Reach::Industries(vec![3, 4]));
    }

    #[test]
    fn the_system_admin_sees_all() {
        assert_eq!(
            Scope::of(&user(&[Role::SystemAdmin], None, &[])).reach,
            Reach::All
        );
    }

    #[test]
    fn the_widest_of_several_roles_wins() {
        let scope = Scope::of(&user(&[Role::AccountManager, Role::CityGm], Some(2), &[]));
        assert_eq!(scope.reach, Reach::City(2));
    }
}
