//! The demo organisation and users of the README: the province, its cities and the people the
//! manual walks through. Written once, into an empty database, when demo data is on.

use crate::auth::password;
use crate::db::model::{DemoOrgUnit, DemoUser};
use crate::db::{DemoData, Store, StoreError};
use app::model::{OrgUnitKind, Role};
use chrono::{DateTime, Utc};

/// Every demo user's password. Demo users are not asked to change it.
pub const DEMO_PASSWORD: &str = "Demo@2026!";

pub const PROVINCE: &str = "河北省分公司";

const ORG_UNITS: &[(&str, OrgUnitKind, Option<&str>)] = &[
    (PROVINCE, OrgUnitKind::Province, None),
    ("石家庄", OrgUnitKind::City, Some(PROVINCE)),
    ("保定", OrgUnitKind::City, Some(PROVINCE)),
    ("唐山", OrgUnitKind::City, Some(PROVINCE)),
    ("邯郸", OrgUnitKind::City, Some(PROVINCE)),
    ("集团客户事业部", OrgUnitKind::Department, Some(PROVINCE)),
    ("石家庄政企客户部", OrgUnitKind::Department, Some("石家庄")),
    ("保定政企客户部", OrgUnitKind::Department, Some("保定")),
];

/// (login, name, org unit, roles, industries)
type UserSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [Role],
    &'static [&'static str],
);

const USERS: &[UserSpec] = &[
    ("admin", "系统管理员", PROVINCE, &[Role::SystemAdmin], &[]),
    (
        "oppadmin",
        "商机管理员",
        PROVINCE,
        &[Role::OpportunityAdmin],
        &[],
    ),
    (
        "prov_gm",
        "集客部总经理",
        PROVINCE,
        &[Role::ProvinceGm],
        &[],
    ),
    (
        "prov_vp",
        "集客部副总经理",
        PROVINCE,
        &[Role::ProvinceDeputyGm],
        &[],
    ),
    (
        "ind_gov",
        "政务行业总监",
        PROVINCE,
        &[Role::IndustryDirector],
        &["政务"],
    ),
    ("support", "销售支持", PROVINCE, &[Role::SalesSupport], &[]),
    (
        "prov_am1",
        "省客户经理1",
        PROVINCE,
        &[Role::AccountManager],
        &[],
    ),
    (
        "sjz_am1",
        "石家庄客户经理1",
        "石家庄",
        &[Role::AccountManager],
        &[],
    ),
    (
        "sjz_am2",
        "石家庄客户经理2",
        "石家庄",
        &[Role::AccountManager],
        &[],
    ),
    (
        "sjz_vp1",
        "石家庄副总1",
        "石家庄",
        &[Role::CityDeputyGm],
        &[],
    ),
    ("sjz_gm", "石家庄领导", "石家庄", &[Role::CityGm], &[]),
    (
        "bd_am1",
        "保定客户经理1",
        "保定",
        &[Role::AccountManager],
        &[],
    ),
    ("bd_vp1", "保定副总1", "保定", &[Role::CityDeputyGm], &[]),
    ("bd_gm", "保定领导", "保定", &[Role::CityGm], &[]),
];

/// The logins of the demo users.
pub fn demo_logins() -> impl Iterator<Item = &'static str> {
    USERS.iter().map(|u| u.0)
}

/// The demo data with every password hashed (each with its own salt).
pub async fn demo_data() -> anyhow::Result<DemoData> {
    let org_units = ORG_UNITS
        .iter()
        .map(|&(name, kind, parent)| DemoOrgUnit { name, kind, parent })
        .collect();
    let mut users = Vec::with_capacity(USERS.len());
    for &(login, name, org_unit, roles, industries) in USERS {
        users.push(DemoUser {
            login,
            name,
            org_unit,
            roles: roles.to_vec(),
            industries: industries.to_vec(),
            password_hash: password::hash(DEMO_PASSWORD.to_owned()).await?,
        });
    }
    Ok(DemoData { org_units, users })
}

/// Seeds the demo data unless the database already has users. Returns whether it did.
pub async fn seed_demo(store: &dyn Store, at: DateTime<Utc>) -> anyhow::Result<bool> {
    // Checked first so that a normal restart does not pay for fourteen password hashes.
    if store.user_by_login("admin").await?.is_some() {
        return Ok(false);
    }
    let data = demo_data().await?;
    match store.seed_demo(&data, at).await {
        Ok(done) => Ok(done),
        Err(StoreError::Conflict(_)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_user_belongs_to_a_demo_org_unit() {
        for (login, _, org, _, _) in USERS {
            assert!(
                ORG_UNITS.iter().any(|(name, _, _)| name == org),
                "{login} belongs to unknown unit {org}"
            );
        }
    }

    #[test]
    fn every_parent_comes_before_its_children() {
        for (i, (_, _, parent)) in ORG_UNITS.iter().enumerate() {
            if let Some(parent) = parent {
                assert!(ORG_UNITS[..i].iter().any(|(name, _, _)| name == parent));
            }
        }
    }

    #[test]
    fn the_demo_logins_are_unique() {
        let mut logins: Vec<_> = USERS.iter().map(|u| u.0).collect();
        logins.sort();
        logins.dedup();
        assert_eq!(logins.len(), USERS.len());
    }
}
