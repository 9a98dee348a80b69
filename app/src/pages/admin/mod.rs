//! 系统管理 (系统管理员 only; the server refuses anyone else): the index of its parts, and
//! 用户管理.

pub mod audit;
pub mod dictionaries;
pub mod org;
pub mod roles;
pub mod routing;
pub mod transfer;
pub mod user_form;
pub mod users;

use super::status::Forbidden;
use crate::components::shell::Viewer;
use crate::i18n::t;
use crate::model::MenuItem;
use crate::paths;
use leptos::prelude::*;

/// The parts of 系统管理, each a link; those not built yet say so.
#[component]
pub fn AdminPage() -> impl IntoView {
    let allowed = use_context::<Viewer>()
        .and_then(|v| v.0)
        .is_some_and(|u| MenuItem::Admin.visible_to(&u));
    if !allowed {
        return view! { <Forbidden/> }.into_any();
    }
    view! {
        <section class="page">
            <h1>{t("menu.admin")}</h1>
            <ul class="admin-parts">
                <li><a href=paths::ADMIN_USERS.path()>{t("admin.users")}</a></li>
                <li><a href=paths::ADMIN_ORG.path()>{t("admin.org")}</a></li>
                <li><a href=paths::ADMIN_ROLES.path()>{t("admin.roles")}</a></li>
                <li><a href=paths::TRANSFER.path()>{t("transfer.title")}</a></li>
                <li><a href=paths::ADMIN_ROUTING.path()>{t("admin.routing")}</a></li>
                <li><a href=paths::ADMIN_DICTIONARIES.path()>{t("admin.dictionaries")}</a></li>
                <li><a href=paths::ADMIN_AUDIT.path()>{t("admin.audit")}</a></li>
            </ul>
        </section>
    }
    .into_any()
}
