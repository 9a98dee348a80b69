//! 客户管理: 潜在客户 and 交易客户 in two tabs, the query conditions as a GET form (so a query
//! is a shareable address and works without JavaScript), and keyset paging with 下一页.

use crate::api::customers::{list_customers, CustomerListPage, CustomerListQuery, CustomerListRow};
use crate::components::column_chooser::ColumnChooser;
use crate::components::quick_find::QuickFind;
use crate::i18n::t;
use crate::model::columns::CUSTOMER_LIST;
use crate::paths;
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
                owner_id: get("owner_id"),
                sort: get("sort"),
                after_id: get("after_id"),
                after_key: get("after_key"),
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
                <a href="/contacts" class="button secondary">{t("contact.list")}</a>
                <a href=paths::CUSTOMER_NEW.path() class="button">{t("customer.new")}</a>
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
    let next_href = result.next.clone().map(|(id, key)| {
        let mut next = q.clone();
        next.after_id = id.to_string();
        next.after_key = key;
        list_href(&next)
    });
    // The list as it is now, from its first page: where the column chooser comes back to.
    let here = {
        let mut first = q.clone();
        first.after_id.clear();
        first.after_key.clear();
        list_href(&first)
    };
    let columns = result.columns.clone();
    let shown = move |code: &str| columns.iter().any(|c| c == code);
    let header = {
        let q = q.clone();
        move |code: &'static str| {
            let label = CUSTOMER_LIST
                .columns
                .iter()
                .find(|c| c.code == code)
                .map(|c| c.label_key)
                .unwrap_or_default();
            match code {
                "registered_on" => {
                    sort_header(&q, label, "registered", "registered_desc").into_any()
                }
                _ => view! { <th scope="col">{t(label)}</th> }.into_any(),
            }
        }
    };
    let empty = result.rows.is_empty();
    view! {
        <nav class="tabs">
            <a href="/customers?kind=potential" class:active=potential>{t("customer.kind.potential")}</a>
            <a href="/customers?kind=transaction" class:active=transaction>{t("customer.kind.transaction")}</a>
            <a href="/customers?shared=1" class:active=shared>{t("customer.shared_with_me")}</a>
        </nav>
        <form method="get" action=paths::CUSTOMERS.path() class="query-form">
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
            {(result.owners.len() > 1).then(|| view! {
                <div class="field">
                    <label for="q-owner">{t("customer.owner")}</label>
                    {select("q-owner", "owner_id", result.owners.clone(), q.owner_id.clone())}
                </div>
            })}
            <div class="field">
                <label for="q-from">{t("query.date_from")}</label>
                <input id="q-from" name="from" type="date" value=q.from.clone()/>
            </div>
            <div class="field">
                <label for="q-to">{t("query.date_to")}</label>
                <input id="q-to" name="to" type="date" value=q.to.clone()/>
            </div>
            <input type="hidden" name="sort" value=q.sort.clone()/>
            <button type="submit" class="primary">{t("query.submit")}</button>
        </form>
        <ColumnChooser list=&CUSTOMER_LIST visible=result.columns.clone() back=here/>
        <div class="table-wrap">
            <table class="list">
                <thead>
                    <tr>
                        {sort_header(&q, "customer.name", "name", "name_desc")}
                        {CUSTOMER_LIST
                            .columns
                            .iter()
                            .filter(|c| shown(c.code))
                            .map(|c| header(c.code))
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {result
                        .rows
                        .into_iter()
                        .map(|r| {
                            let cells: Vec<Option<String>> = CUSTOMER_LIST
                                .columns
                                .iter()
                                .filter(|c| shown(c.code))
                                .map(|c| cell(&r, c.code))
                                .collect();
                            view! {
                                <tr>
                                    <td><a href=paths::CUSTOMER.of(r.id)>{r.name.clone()}</a></td>
                                    {cells
                                        .into_iter()
                                        .map(|v| view! { <td>{v.unwrap_or_default()}</td> })
                                        .collect_view()}
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

/// The value of one optional column of a row.
fn cell(r: &CustomerListRow, code: &str) -> Option<String> {
    match code {
        "industry" => Some(r.industry.clone()),
        "level" => Some(r.level.clone()),
        "owner" => Some(r.owner.clone()),
        "dept" => Some(r.dept.clone()),
        "registered_on" => Some(r.registered_on.clone()),
        "phone" => r.phone.clone(),
        "fax" => r.fax.clone(),
        "website" => r.website.clone(),
        "address" => r.address.clone(),
        _ => None,
    }
}

/// A sortable column head: a link that sorts by it ascending, or (when it already does)
/// descending; the current order is marked for eyes and for screen readers.
fn sort_header(
    q: &CustomerListQuery,
    label: &'static str,
    ascending: &'static str,
    descending: &'static str,
) -> impl IntoView {
    let (aria, mark, next) = if q.sort == ascending {
        ("ascending", " ▲", descending)
    } else if q.sort == descending {
        ("descending", " ▼", ascending)
    } else {
        ("none", "", ascending)
    };
    let mut sorted = q.clone();
    sorted.sort = next.to_owned();
    sorted.after_id.clear();
    sorted.after_key.clear();
    view! {
        <th scope="col" aria-sort=aria>
            <a href=list_href(&sorted) class="sort">{t(label)}{mark}</a>
        </th>
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
        ("owner_id", &q.owner_id),
        ("sort", &q.sort),
        ("after_id", &q.after_id),
        ("after_key", &q.after_key),
        ("shared", &q.shared),
    ];
    crate::pages::address("/customers", &pairs)
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
            after_key: "客户".into(),
            ..Default::default()
        };
        assert_eq!(
            list_href(&q),
            "/customers?kind=potential&name=%E7%9F%B3%E5%AE%B6%E5%BA%84%20%26%20%E4%BF%9D%E5%AE%9A\
             &after_id=42&after_key=%E5%AE%A2%E6%88%B7"
        );
    }
}
