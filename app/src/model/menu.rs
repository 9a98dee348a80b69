//! The menu bar: which entries exist and who sees them (ACCESS.md). The server refuses the
//! same pages to the same people; the menu only follows.

use super::{CurrentUser, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    Home,
    Customers,
    Opportunities,
    Activities,
    Tasks,
    Warnings,
    Announcements,
    Rankings,
    Analysis,
    Admin,
    Profile,
}

impl MenuItem {
    pub const ALL: [MenuItem; 11] = [
        MenuItem::Home,
        MenuItem::Customers,
        MenuItem::Opportunities,
        MenuItem::Activities,
        MenuItem::Tasks,
        MenuItem::Warnings,
        MenuItem::Announcements,
        MenuItem::Rankings,
        MenuItem::Analysis,
        MenuItem::Admin,
        MenuItem::Profile,
    ];

    pub fn path(self) -> &'static str {
        match self {
            MenuItem::Home => "/",
            MenuItem::Customers => "/customers",
            MenuItem::Opportunities => "/opportunities",
            MenuItem::Activities => "/activities",
            MenuItem::Tasks => "/tasks",
            MenuItem::Warnings => "/warnings",
            MenuItem::Announcements => "/announcements",
            MenuItem::Rankings => "/rankings",
            MenuItem::Analysis => "/analysis",
            MenuItem::Admin => "/admin",
            MenuItem::Profile => "/profile",
        }
    }

    /// The translation key of the entry's label.
    pub fn label_key(self) -> &'static str {
        match self {
            MenuItem::Home => "menu.home",
            MenuItem::Customers => "menu.customers",
            MenuItem::Opportunities => "menu.opportunities",
            MenuItem::Activities => "menu.activities",
            MenuItem::Tasks => "menu.tasks",
            MenuItem::Warnings => "menu.warnings",
            MenuItem::Announcements => "menu.announcements",
            MenuItem::Rankings => "menu.rankings",
            MenuItem::Analysis => "menu.analysis",
            MenuItem::Admin => "menu.admin",
            MenuItem::Profile => "menu.profile",
        }
    }

    /// Whether `user` may use this entry.
    pub fn visible_to(self, user: &CurrentUser) -> bool {
        match self {
            MenuItem::Analysis => user.has_any_role(&[
                Role::SalesSupport,
                Role::CityDeputyGm,
                Role::CityGm,
                Role::ProvinceDeputyGm,
                Role::ProvinceGm,
                Role::IndustryDirector,
                Role::OpportunityAdmin,
                Role::SystemAdmin,
            ]),
            MenuItem::Admin => user.has_role(Role::SystemAdmin),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role]) -> CurrentUser {
        CurrentUser {
            id: 1,
            login: "u".into(),
            name: "u".into(),
            org_unit_id: 1,
            org_unit_name: "x".into(),
            city_id: None,
            roles: roles.to_vec(),
            industry_ids: vec![],
            login_time: String::new(),
            directory_version: 0,
            must_change_password: false,
            session_id: 0,
        }
    }

    #[test]
    fn an_account_manager_sees_neither_analysis_nor_system_management() {
        let am = user(&[Role::AccountManager]);
        assert!(!MenuItem::Analysis.visible_to(&am));
        assert!(!MenuItem::Admin.visible_to(&am));
        assert!(MenuItem::Customers.visible_to(&am));
    }

    #[test]
    fn only_the_system_admin_sees_system_management() {
        assert!(MenuItem::Admin.visible_to(&user(&[Role::SystemAdmin])));
        assert!(!MenuItem::Admin.visible_to(&user(&[Role::OpportunityAdmin])));
    }

    #[test]
    fn approvers_and_sales_support_see_analysis() {
        for role in [
            Role::SalesSupport,
            Role::CityDeputyGm,
            Role::IndustryDirector,
        ] {
            assert!(MenuItem::Analysis.visible_to(&user(&[role])));
        }
    }
}
