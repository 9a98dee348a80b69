//! 角色: what each role may do (read from the rules the server enforces) and who holds it.

use crate::api::admin::{load_roles, RoleRow, RolesView};
use crate::i18n::t;
use crate::pages::status::record_page;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn RolesPage() -> impl IntoView {
    let roles = Resource::new(|| (), |_| load_roles());
    record_page(roles, |v| view! { <RolesTable v/> })
}

fn yes_no(yes: bool) -> &'static str {
    if yes {
        "role.yes"
    } else {
        "role.no"
    }
}

#[component]
fn RolesTable(v: RolesView) -> impl IntoView {
    let rows = v
        .rows
        .into_iter()
        .map(|r| view! { <Row r/> })
        .collect_view();
    view! {
        <section class="page">
            <p><a href=paths::ADMIN.path()>{t("menu.admin")}</a></p>
            <h1>{t("admin.roles")}</h1>
            <p class="hint">{t("role.from_policy")}</p>
            <div class="table-wrap">
                <table class="list roles">
                    <thead><tr>
                        <th>{t("profile.roles")}</th>
                        <th>{t("role.scope")}</th>
                        <th>{t("role.menu")}</th>
                        <th>{t("role.approves")}</th>
                        <th>{t("role.adds_customers")}</th>
                        <th>{t("role.manages")}</th>
                        <th>{t("role.publishes")}</th>
                        <th>{t("role.holders")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Row(r: RoleRow) -> impl IntoView {
    let menu = r
        .menu_keys
        .iter()
        .map(|k| t(k))
        .collect::<Vec<_>>()
        .join("、");
    let approves = r
        .approves
        .iter()
        .map(|(flow, level)| format!("{}（{}）", t(flow), t(level)))
        .collect::<Vec<_>>()
        .join("、");
    let holders = r
        .holders
        .iter()
        .map(|h| {
            let industries =
                (!h.industries.is_empty()).then(|| format!("（{}）", h.industries.join("、")));
            view! { <li>{format!("{} {}", h.name, h.login)}{industries}</li> }
        })
        .collect_view();
    let all = format!("{}?role={}", paths::ADMIN_USERS.path(), r.code);
    view! {
        <tr>
            <td>{r.label}</td>
            <td>{t(&r.scope_key)}</td>
            <td>{menu}</td>
            <td>{approves}</td>
            <td>{t(yes_no(r.adds_customers))}</td>
            <td>{t(yes_no(r.manages))}</td>
            <td>{t(yes_no(r.publishes))}</td>
            <td>
                <ul class="holders">{holders}</ul>
                <a href=all>{format!("{} {}", t("role.all_holders"), r.holder_count)}</a>
            </td>
        </tr>
    }
}
