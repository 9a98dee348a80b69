//! 客户管理: 潜在客户 and 交易客户 in two tabs, the query conditions as a GET form (so a query
//! is a shareable address and works without JavaScript), and keyset paging with 下一页.

use crate::api::customers::{list_customers, CustomerListPage, CustomerListQuery};
use crate::components::quick_find::QuickFind;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        params.with(|p| {
            let get = |k: &str| p.get(k).unwrap_or_default();
            CustomerListQuery {
                kind: get("kind"),
                name: get("name"),
                industry_id: get("industry_id"),
                level_id: get("level_id"),
                from: get("from"),
                to: get("to"),
                sort: get("sort"),
                after_id: get("after_id"),
                after_name: get("after_name"),
                shared: get("shared"),
            }
        })
    };
    let page = Resource::new(query, list_customers);
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("customer.list")}</h1>
                <QuickFind/>
                <a href="/customers/new" class="button">{t("customer.new")}</a>
            </div>
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
fn ListView(q: CustomerListQuery, result: CustomerListPage) -> impl IntoView {
    let shared = q.shared == "1";
    let transaction = q.kind == "transaction" && !shared;
    let potential = !transaction && !shared;
    let kind = if transaction {
        "transaction"
    } else {
        "potential"
    };
    let select = |id: &'static str,
                  name: &'static str,
                  items: Vec<(i64, String)>,
                  chosen: String| {
        view! {
            <select id=id name=name>
                <option value="">{t("form.all")}</option>
                {items
                    .into_iter()
                    .map(|(value, label)| {
                        let selected = chosen == value.to_string();
                        view! { <option value=value.to_string() selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let next_href = result.next.clone().map(|(id, name)| {
        let mut next = q.clone();
        next.after_id = id.to_string();
        next.after_name = name;
        list_href(&next)
    });
    let empty = result.rows.is_empty();
    view! {
        <nav class="tabs">
            <a href="/customers?kind=potential" class:active=potential>{t("customer.kind.potential")}</a>
            <a href="/customers?kind=transaction" class:active=transaction>{t("customer.kind.transaction")}</a>
            <a href="/customers?shared=1" class:active=shared>{t("customer.shared_with_me")}</a>
        </nav>
        <form method="get" action="/customers" class="query-form">
            <input type="hidden" name="kind" value=kind/>
            {shared.then(|| view! { <input type="hidden" name="shared" value="1"/> })}
            <div class="field">
                <label for="q-name">{t("customer.name")}</label>
                <input id="q-name" name="name" type="search" value=q.name.clone()/>
            </div>
            <div class="field">
                <label for="q-industry">{t("customer.industry")}</label>
                {select("q-industry", "industry_id", result.industries.clone(), q.industry_id.clone())}
            </div>
            <div class="field">
                <label for="q-level">{t("customer.level")}</label>
                {select("q-level", "level_id", result.levels.clone(), q.level_id.clone())}
            </div>
            <div class="field">
                <label for="q-from">{t("query.date_from")}</label>
                <input id="q-from" name="from" type="date" value=q.from.clone()/>
            </div>
            <div class="field">
                <label for="q-to">{t("query.date_to")}</label>
                <input id="q-to" name="to" type="date" value=q.to.clone()/>
            </div>
            <div class="field">
                <label for="q-sort">{t("query.sort")}</label>
                <select id="q-sort" name="sort">
                    <option value="newest" selected=q.sort != "name">{t("query.sort.newest")}</option>
                    <option value="name" selected=q.sort == "name">{t("customer.name")}</option>
                </select>
            </div>
            <button type="submit" class="primary">{t("query.submit")}</button>
        </form>
        <div class="table-wrap">
            <table class="list">
                <thead>
                    <tr>
                        <th>{t("customer.name")}</th>
                        <th>{t("customer.industry")}</th>
                        <th>{t("customer.level")}</th>
                        <th>{t("customer.owner")}</th>
                        <th>{t("customer.registered_on")}</th>
                        <th>{t("customer.phone")}</th>
                    </tr>
                </thead>
                <tbody>
                    {result
                        .rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td><a href=format!("/customers/{}", r.id)>{r.name}</a></td>
                                    <td>{r.industry}</td>
                                    <td>{r.level}</td>
                                    <td>{r.owner}</td>
                                    <td>{r.registered_on}</td>
                                    <td>{r.phone.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="notice">{t("customer.none")}</p> })}
        {next_href.map(|href| view! { <p class="pager"><a href=href>{t("query.next_page")}</a></p> })}
    }
}

/// The address of the list for `q`.
fn list_href(q: &CustomerListQuery) -> String {
    let pairs = [
        ("kind", &q.kind),
        ("name", &q.name),
        ("industry_id", &q.industry_id),
        ("level_id", &q.level_id),
        ("from", &q.from),
        ("to", &q.to),
        ("sort", &q.sort),
        ("after_id", &q.after_id),
        ("after_name", &q.after_name),
        ("shared", &q.shared),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("/customers?{}", query.join("&"))
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_address_keeps_the_conditions_and_encodes_them() {
        let q = CustomerListQuery {
            kind: "potential".into(),
            name: "石家庄 & 保定".into(),
            after_id: "42".into(),
            after_name: "客户".into(),
            ..Default::default()
        };
        assert_eq!(
            list_href(&q),
            "/customers?kind=potential&name=%E7%9F%B3%E5%AE%B6%E5%BA%84%20%26%20%E4%BF%9D%E5%AE%9A\
             &after_id=42&after_name=%E5%AE%A2%E6%88%B7"
        );
    }
}
