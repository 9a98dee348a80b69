//! The roles of PRODUCT.md. A user may hold several.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// 客户经理: keeps own customers, files opportunities.
    AccountManager,
    /// 地市副总: first approver of city-level opportunities.
    CityDeputyGm,
    /// 地市总经理: second approver of city-level opportunities.
    CityGm,
    /// 集客部副总经理
    ProvinceDeputyGm,
    /// 集客部总经理
    ProvinceGm,
    /// 行业总监: approves signings in their industries.
    IndustryDirector,
    /// 销售支持: reads everything in scope.
    SalesSupport,
    /// 商机管理员: announcements; sees all opportunities of the province.
    OpportunityAdmin,
    /// 系统管理员
    SystemAdmin,
}

#[cfg(feature = "ssr")]
crate::stored_as_text!(Role);

impl Role {
    pub const ALL: [Role; 9] = [
        Role::AccountManager,
        Role::CityDeputyGm,
        Role::CityGm,
        Role::ProvinceDeputyGm,
        Role::ProvinceGm,
        Role::IndustryDirector,
        Role::SalesSupport,
        Role::OpportunityAdmin,
        Role::SystemAdmin,
    ];

    /// The code kept in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::AccountManager => "account_manager",
            Role::CityDeputyGm => "city_deputy_gm",
            Role::CityGm => "city_gm",
            Role::ProvinceDeputyGm => "province_deputy_gm",
            Role::ProvinceGm => "province_gm",
            Role::IndustryDirector => "industry_director",
            Role::SalesSupport => "sales_support",
            Role::OpportunityAdmin => "opportunity_admin",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The label users are trained on.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::AccountManager => "客户经理",
            Role::CityDeputyGm => "地市副总",
            Role::CityGm => "地市总经理",
            Role::ProvinceDeputyGm => "集客部副总经理",
            Role::ProvinceGm => "集客部总经理",
            Role::IndustryDirector => "行业总监",
            Role::SalesSupport => "销售支持",
            Role::OpportunityAdmin => "商机管理员",
            Role::SystemAdmin => "系统管理员",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_code() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("superuser"), None);
    }

    #[test]
    fn role_labels_are_the_ones_of_the_manual() {
        assert_eq!(Role::CityDeputyGm.label_zh(), "地市副总");
        assert_eq!(Role::ProvinceGm.label_zh(), "集客部总经理");
    }
}
