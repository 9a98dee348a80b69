//! 用户管理: the list (query by 登录名 / 姓名, org unit, role, 状态; keyset paging) and 「添加用户」.

use crate::api::admin::{list_users, UserListPage};
use crate::i18n::t;
use crate::model::admin_user::UserListQuery;
use crate::pages::address;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn UserListPage() -> impl IntoView {
    let query = use_query();
    let chosen = move || {
        query.with(|q| UserListQuery {
            q: q.get("q").unwrap_or_default(),
            org_unit_id: q.get("org_unit_id").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            after: q.get("after").unwrap_or_default(),
        })
    };
    let page = Resource::new(chosen, list_users);
    view! {
        <section class="page">
            <h1>{t("admin.users")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = chosen();
                    match page.await {
                        Ok(p) => view! { <Listing p q/> }.into_any(),
                        Err(e) => crate::pages::status::refusal_page(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `<option>`s of `choices`, `chosen` selected, after an empty one labelled `all`.
fn options(choices: &[(String, String)], chosen: &str, all: &'static str) -> impl IntoView {
    let rest = choices
        .iter()
        .map(|(value, label)| {
            let selected = value == chosen;
            view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    view! {
        <option value="" selected=chosen.is_empty()>{t(all)}</option>
        {rest}
    }
}

#[component]
fn Listing(p: UserListPage, q: UserListQuery) -> impl IntoView {
    let next = p.next.clone().map(|after| {
        address(
            paths::ADMIN_USERS.path(),
            &[
                ("q", &q.q),
                ("org_unit_id", &q.org_unit_id),
                ("role", &q.role),
                ("status", &q.status),
                ("after", &after),
            ],
        )
    });
    let units: Vec<(String, String)> = p
        .units
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let statuses = vec![
        ("active".to_owned(), t("user.active").to_owned()),
        ("disabled".to_owned(), t("user.disabled").to_owned()),
    ];
    let rows = p
        .rows
        .into_iter()
        .map(|u| {
            let status = if u.disabled {
                "user.disabled"
            } else {
                "user.active"
            };
            view! {
                <tr class:disabled=u.disabled>
                    <td><a href=paths::ADMIN_USER.of(u.id)>{u.login}</a></td>
                    <td>{u.name}</td>
                    <td>{u.org_unit}</td>
                    <td>{u.roles.join("、")}</td>
                    <td>{t(status)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="get" action=paths::ADMIN_USERS.path() class="query-form">
            <div class="field">
                <label for="q">{t("user.login_or_name")}</label>
                <input id="q" name="q" type="search" value=q.q.clone()/>
            </div>
            <div class="field">
                <label for="org_unit_id">{t("profile.org_unit")}</label>
                <select id="org_unit_id" name="org_unit_id">{options(&units, &q.org_unit_id, "form.all")}</select>
            </div>
            <div class="field">
                <label for="role">{t("profile.roles")}</label>
                <select id="role" name="role">{options(&p.roles, &q.role, "form.all")}</select>
            </div>
            <div class="field">
                <label for="status">{t("user.status")}</label>
                <select id="status" name="status">{options(&statuses, &q.status, "form.all")}</select>
            </div>
            <button type="submit" class="primary">{t("query.submit")}</button>
            <a href=paths::ADMIN_USER_NEW.path() class="link-button">{t("user.add")}</a>
        </form>
        <div class="table-wrap">
            <table class="list">
                <thead><tr>
                    <th>{t("user.login")}</th>
                    <th>{t("profile.name")}</th>
                    <th>{t("profile.org_unit")}</th>
                    <th>{t("profile.roles")}</th>
                    <th>{t("user.status")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {next.map(|href| view! { <a href=href class="link-button">{t("query.next_page")}</a> })}
    }
}
