//! 商机管理: 我的商机 / 全部 (in my scope) / 共享给我的, query conditions as a GET form, keyset
//! paging, columns chosen per user, and 报备商机. Live: a step decided elsewhere refreshes it.

use crate::api::opportunities::{
    list_opportunities, OpportunityListPage, OpportunityListQuery, OpportunityListRow,
};
use crate::components::column_chooser::ColumnChooser;
use crate::components::live::Live;
use crate::i18n::t;
use crate::model::columns::OPPORTUNITY_LIST;
use crate::model::opportunity::Status;
use crate::model::tabs::OpportunityTab;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OpportunityListPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        params.with(|p| {
            let get = |k: &str| p.get(k).unwrap_or_default();
            OpportunityListQuery {
                tab: get("tab"),
                name: get("name"),
                customer: get("customer"),
                business_type_id: get("business_type_id"),
                status: get("status"),
                owner_id: get("owner_id"),
                from: get("from"),
                to: get("to"),
                after_id: get("after_id"),
            }
        })
    };
    let live = Live::revision();
    let page = Resource::new(
        move || (query(), live.get()),
        |(q, _)| list_opportunities(q),
    );
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("opportunity.list")}</h1>
                <a href=paths::OPPORTUNITY_NEW.path() class="button">{t("opportunity.new")}</a>
            </div>
            <Transition fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => view! { <ListView q result/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn list_href(q: &OpportunityListQuery) -> String {
    crate::pages::address(
        "/opportunities",
        &[
            ("tab", &q.tab),
            ("name", &q.name),
            ("customer", &q.customer),
            ("business_type_id", &q.business_type_id),
            ("status", &q.status),
            ("owner_id", &q.owner_id),
            ("from", &q.from),
            ("to", &q.to),
            ("after_id", &q.after_id),
        ],
    )
}

fn cell(r: &OpportunityListRow, code: &str) -> String {
    match code {
        "customer" => r.customer.clone(),
        "business_type" => r.business_type.clone(),
        "status" => t(r.status.label_key()).to_owned(),
        "stage" => t(r.stage.label_key()).to_owned(),
        "owner" => r.owner.clone(),
        "expected_amount" => r.expected_amount.clone().unwrap_or_default(),
        "created_on" => r.created_on.clone(),
        _ => String::new(),
    }
}

#[component]
fn ListView(q: OpportunityListQuery, result: OpportunityListPage) -> impl IntoView {
    let tab = OpportunityTab::of(&q.tab);
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
    let select =
        |id: &'static str, name: &'static str, items: Vec<(String, String)>, chosen: String| {
            view! {
                <select id=id name=name>
                    <option value="">{t("form.all")}</option>
                    {items
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = chosen == value;
                            view! { <option value=value selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            }
        };
    let ids = |v: Vec<(i64, String)>| {
        v.into_iter()
            .map(|(id, l)| (id.to_string(), l))
            .collect::<Vec<_>>()
    };
    let statuses: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| (s.code().to_owned(), t(s.label_key()).to_owned()))
        .collect();
    let empty = result.rows.is_empty();
    view! {
        <nav class="tabs">
            {OpportunityTab::ALL
                .iter()
                .map(|&each| view! {
                    <a href=format!("/opportunities?tab={}", each.code()) class:active=tab == each>
                        {t(each.label_key())}
                    </a>
                })
                .collect_view()}
        </nav>
        <form method="get" action="/opportunities" class="query-form">
            <input type="hidden" name="tab" value=tab.code()/>
            <div class="field">
                <label for="q-name">{t("opportunity.name")}</label>
                <input id="q-name" name="name" type="search" value=q.name.clone()/>
            </div>
            <div class="field">
                <label for="q-customer">{t("opportunity.customer")}</label>
                <input id="q-customer" name="customer" type="search" value=q.customer.clone()/>
            </div>
            <div class="field">
                <label for="q-type">{t("opportunity.business_type")}</label>
                {select("q-type", "business_type_id", ids(result.business_types.clone()), q.business_type_id.clone())}
            </div>
            <div class="field">
                <label for="q-status">{t("opportunity.status")}</label>
                {select("q-status", "status", statuses, q.status.clone())}
            </div>
            {(tab != OpportunityTab::Mine && result.owners.len() > 1).then(|| view! {
                <div class="field">
                    <label for="q-owner">{t("opportunity.owner")}</label>
                    {select("q-owner", "owner_id", ids(result.owners.clone()), q.owner_id.clone())}
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
            <button type="submit" class="primary">{t("query.submit")}</button>
        </form>
        <ColumnChooser list=&OPPORTUNITY_LIST visible=result.columns.clone() back=here/>
        <div class="table-wrap">
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">{t("opportunity.name")}</th>
                        {OPPORTUNITY_LIST
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
                            let cells: Vec<String> = OPPORTUNITY_LIST
                                .columns
                                .iter()
                                .filter(|c| shown(c.code))
                                .map(|c| cell(&r, c.code))
                                .collect();
                            view! {
                                <tr>
                                    <td><a href=paths::OPPORTUNITY.of(r.id)>{r.name.clone()}</a></td>
                                    {cells.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="notice">{t("opportunity.none")}</p> })}
        {next_href.map(|href| view! { <p class="pager"><a href=href>{t("query.next_page")}</a></p> })}
    }
}
