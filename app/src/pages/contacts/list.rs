//! 联系人: every contact of the customers the viewer may see, queried by name, customer and
//! phone (a GET form, so a query is an address and works without JavaScript), newest first
//! with keyset paging, columns chosen per user.

use crate::api::contacts::{list_contacts, ContactListPage, ContactListQuery, ContactListRow};
use crate::components::column_chooser::ColumnChooser;
use crate::i18n::t;
use crate::model::columns::CONTACT_LIST;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ContactListPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        params.with(|p| {
            let get = |k: &str| p.get(k).unwrap_or_default();
            ContactListQuery {
                name: get("name"),
                customer: get("customer"),
                phone: get("phone"),
                after_id: get("after_id"),
            }
        })
    };
    let page = Resource::new(query, list_contacts);
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("contact.list")}</h1>
                <a href="/contacts/new" class="button">{t("contact.new")}</a>
            </div>
            <nav class="tabs">
                <a href=paths::CUSTOMERS.path()>{t("customer.list")}</a>
                <a href="/contacts" class="active">{t("contact.list")}</a>
            </nav>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => view! { <ListView q result/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ListView(q: ContactListQuery, result: ContactListPage) -> impl IntoView {
    let next_href = result.next.map(|id| {
        let mut next = q.clone();
        next.after_id = id.to_string();
        list_href(&next)
    });
    let here = {
        let mut first = q.clone();
        first.after_id.clear();
        list_href(&first)
    };
    let columns = result.columns.clone();
    let shown = move |code: &str| columns.iter().any(|c| c == code);
    let empty = result.rows.is_empty();
    view! {
        <form method="get" action="/contacts" class="query-form">
            <div class="field">
                <label for="q-name">{t("contact.name")}</label>
                <input id="q-name" name="name" type="search" value=q.name.clone()/>
            </div>
            <div class="field">
                <label for="q-customer">{t("contact.customer")}</label>
                <input id="q-customer" name="customer" type="search" value=q.customer.clone()/>
            </div>
            <div class="field">
                <label for="q-phone">{t("customer.phone")}</label>
                <input id="q-phone" name="phone" type="search" value=q.phone.clone()/>
            </div>
            <button type="submit" class="primary">{t("query.submit")}</button>
        </form>
        <ColumnChooser list=&CONTACT_LIST visible=result.columns.clone() back=here/>
        <div class="table-wrap">
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">{t("contact.name")}</th>
                        {CONTACT_LIST
                            .columns
                            .iter()
                            .filter(|c| shown(c.code))
                            .map(|c| view! { <th scope="col">{t(c.label_key)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {result
                        .rows
                        .into_iter()
                        .map(|r| {
                            let cells: Vec<_> = CONTACT_LIST
                                .columns
                                .iter()
                                .filter(|c| shown(c.code))
                                .map(|c| cell(&r, c.code))
                                .collect();
                            view! {
                                <tr>
                                    <td><a href=format!("/customers/{}#contacts", r.customer_id)>{r.name.clone()}</a></td>
                                    {cells}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="notice">{t("contact.none")}</p> })}
        {next_href.map(|href| view! { <p class="pager"><a href=href>{t("query.next_page")}</a></p> })}
    }
}

/// One optional column of a row; the customer links to its page.
fn cell(r: &ContactListRow, code: &str) -> AnyView {
    let text = |v: &Option<String>| view! { <td>{v.clone().unwrap_or_default()}</td> }.into_any();
    match code {
        "customer" => view! {
            <td><a href=paths::CUSTOMER.of(r.customer_id)>{r.customer_name.clone()}</a></td>
        }
        .into_any(),
        "title" => text(&r.title),
        "department" => text(&r.department),
        "phone" => text(&r.phone),
        "mobile" => text(&r.mobile),
        "email" => text(&r.email),
        _ => view! { <td></td> }.into_any(),
    }
}

fn list_href(q: &ContactListQuery) -> String {
    crate::pages::address(
        "/contacts",
        &[
            ("name", &q.name),
            ("customer", &q.customer),
            ("phone", &q.phone),
            ("after_id", &q.after_id),
        ],
    )
}
