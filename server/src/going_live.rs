//! Going live: the first 系统管理员 of an empty database (`server create-admin`), and the
//! refusal to serve in production while a demo user keeps the published demo password.

use crate::auth::password;
use crate::db::{Actor, NewOrgUnit, NewUser, Store, User};
use crate::policy::passwords::is_common;
use crate::seed;
use app::i18n::{tr, Locale};
use app::model::profile::check_new_password;
use app::model::{OrgUnitKind, Role};
use chrono::{DateTime, Utc};

/// Who the first 系统管理员 is. The password never comes from the command line (it would sit
/// in the shell's history and the process list): from the terminal or an environment variable.
pub struct FirstAdmin {
    pub login: String,
    pub name: String,
    /// The province's org unit, created with this name if the database has none.
    pub province: String,
    pub password: String,
}

/// Creates the first 系统管理员 (audited, by the system), with the province's org unit if there
/// is none; refused when an active one exists or the login or password would not do.
pub async fn create_first_admin(
    store: &dyn Store,
    admin: &FirstAdmin,
    at: DateTime<Utc>,
) -> anyhow::Result<User> {
    if store.system_admin_exists().await? {
        anyhow::bail!("a 系统管理员 already exists: add further users in 系统管理 → 用户管理");
    }
    let login = admin.login.trim().to_lowercase();
    if login.is_empty()
        || login.chars().count() > 64
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        anyhow::bail!("the login must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    if store.user_by_login(&login).await?.is_some() {
        anyhow::bail!("the login {login:?} is taken");
    }
    if let Err(key) = check_new_password(&admin.password, &login) {
        anyhow::bail!("the password will not do: {}", tr(Locale::En, key));
    }
    if is_common(&admin.password) {
        anyhow::bail!(
            "the password will not do: {}",
            tr(Locale::En, "password.common")
        );
    }
    let actor = Actor::system(at);
    let units = store.org_units().await?;
    let province = match units.iter().find(|u| u.kind == OrgUnitKind::Province) {
        Some(unit) => unit.clone(),
        None => {
            let name = admin.province.trim();
            if name.is_empty() {
                anyhow::bail!("the province's org unit needs a name (--province)");
            }
            let unit = NewOrgUnit {
                parent_id: None,
                name: name.to_owned(),
                kind: OrgUnitKind::Province,
            };
            store.create_org_unit(&actor, &unit).await?
        }
    };
    let name = admin.name.trim();
    let user = NewUser {
        login,
        name: if name.is_empty() {
            "系统管理员"
        } else {
            name
        }
        .to_owned(),
        org_unit_id: province.id,
        password_hash: password::hash(admin.password.clone()).await?,
        phone: None,
        email: None,
        must_change_password: false,
        roles: vec![Role::SystemAdmin],
        industry_ids: Vec::new(),
    };
    Ok(store.create_user(&actor, &user).await?)
}

/// The demo users (README's logins) that are active and still have the published password.
pub async fn demo_users_with_demo_password(store: &dyn Store) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    for login in seed::demo_logins() {
        if let Some(user) = store.user_by_login(login).await? {
            if !user.disabled
                && password::verify(seed::DEMO_PASSWORD.to_owned(), user.password_hash).await
            {
                found.push(login.to_owned());
            }
        }
    }
    Ok(found)
}

/// Refuses a production start (`BIZOPP_HTTPS=true`) while any demo user can log in with the
/// password printed in the README.
pub async fn refuse_published_passwords(store: &dyn Store) -> anyhow::Result<()> {
    let exposed = demo_users_with_demo_password(store).await?;
    if exposed.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "BIZOPP_HTTPS=true says this server is in production, but these demo users still have \
         the demo password printed in the README: {}. Change their passwords (个人资料) or \
         disable them first, or start on a new database with BIZOPP_DEMO_DATA=false and \
         `server create-admin` (README, \"Going live\").",
        exposed.join(", ")
    )
}
