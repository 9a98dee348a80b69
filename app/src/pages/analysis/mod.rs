//! 统计分析: one page per figure (销售漏斗, 客户价值金字塔, 销售预测, 竞争分析), each a form of
//! choices (a GET, so it works without JavaScript), an SVG chart drawn on the server, the same
//! numbers as a table, and the table as XLSX.

mod charts;
mod table;

use crate::api::analysis::{load_analysis, AnalysisAddress, AnalysisView, Figure};
use crate::components::form_check::field_message;
use crate::components::live::Live;
use crate::i18n::t;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use table::DataTable;

#[component]
pub fn AnalysisPage(figure: Figure) -> impl IntoView {
    let query = use_query();
    let chosen = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            AnalysisAddress {
                from: get("from"),
                to: get("to"),
                city: get("city"),
                industry: get("industry"),
                business_type: get("business_type"),
                tiers: get("tiers"),
                tier: get("tier"),
                page: get("page"),
            }
        })
    };
    let (mine, province) = (Live::revision(), Live::rankings());
    let data = Resource::new(
        move || (chosen(), mine.get(), province.get()),
        move |(a, _, _)| load_analysis(figure, a),
    );
    view! {
        <section class="page analysis">
            <h1>{t("menu.analysis")}</h1>
            <nav class="tabs">
                {Figure::ALL
                    .iter()
                    .map(|&each| view! {
                        <a href=each.path() class:active=each == figure>{t(each.label_key())}</a>
                    })
                    .collect_view()}
            </nav>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { <AnalysisBody v/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The XLSX of a figure's table with these choices.
fn export_href(address: &AnalysisAddress, figure: Figure) -> String {
    let href = address.href(paths::ANALYSIS_EXPORT.path());
    let join = if href.contains('?') { '&' } else { '?' };
    format!("{href}{join}figure={}", figure.code())
}

/// `(id, label)` choices with an empty 「全部」 first.
fn options(all: &[(i64, String)], chosen: &str, everything: bool) -> impl IntoView {
    let first = everything.then(|| {
        view! { <option value="" selected=chosen.is_empty()>{t("analysis.all")}</option> }
    });
    let rest = all
        .iter()
        .map(|(id, label)| {
            let selected = chosen == id.to_string();
            view! { <option value=id.to_string() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    view! { {first}{rest} }
}

#[component]
fn AnalysisBody(v: AnalysisView) -> impl IntoView {
    let figure = v.figure;
    let c = &v.choices;
    let a = &c.address;
    let errors = c.errors.clone();
    let pyramid = figure == Figure::Pyramid;
    // What was typed stays in the fields, also when it could not be used.
    let typed = |raw: &str, used: &str| {
        if raw.is_empty() {
            used.to_owned()
        } else {
            raw.to_owned()
        }
    };
    let (from, to) = (typed(&a.from, &c.from), typed(&a.to, &c.to));
    let one_city = c.cities.len() == 1;
    let mut export = a.clone();
    export.page = String::new();
    export.tier = String::new();
    let export = export_href(&export, figure);
    let members = v.members.clone().map(|(tier, table, more)| {
        let page: i64 = a.page.trim().parse().unwrap_or(1).max(1);
        let at = |p: i64| {
            let mut q = a.clone();
            q.page = if p > 1 { p.to_string() } else { String::new() };
            q.href(figure.path())
        };
        let mut whole = a.clone();
        whole.page = String::new();
        let export_tier = export_href(&whole, figure);
        view! {
            <section class="tier-members" id="tier-members">
                <h2>{t(&format!("analysis.tier{tier}"))}{" · "}{t("analysis.tier_customers")}</h2>
                <a href=export_tier class="link-button no-print" rel="external" download>{t("analysis.export")}</a>
                <DataTable table/>
                <nav class="pager no-print">
                    {(page > 1).then(|| view! { <a href=at(page - 1)>{t("query.previous_page")}</a> })}
                    {more.then(|| view! { <a href=at(page + 1)>{t("query.next_page")}</a> })}
                </nav>
            </section>
        }
    });
    view! {
        <form method="get" action=figure.path() class="query-form no-print">
            {if pyramid {
                let chosen = a.from.trim().to_owned();
                let years = c.years.iter().map(|y| {
                    let selected = chosen == *y || (chosen.is_empty() && c.from == *y);
                    view! { <option value=y.clone() selected=selected>{y.clone()}</option> }
                }).collect_view();
                view! {
                    <div class="field">
                        <label for="from">{t("analysis.year")}</label>
                        <select id="from" name="from">
                            {years}
                            <option value="all" selected=chosen == "all">{t("analysis.all_years")}</option>
                        </select>
                        {field_message(&errors, "from")}
                    </div>
                }.into_any()
            } else {
                view! {
                    <fieldset class="period">
                        <legend>{t("analysis.months")}</legend>
                        <div class="field">
                            <label for="from">{t("analysis.from")}</label>
                            <input id="from" name="from" type="month" value=from/>
                            {field_message(&errors, "from")}
                        </div>
                        <div class="field">
                            <label for="to">{t("analysis.to")}</label>
                            <input id="to" name="to" type="month" value=to/>
                            {field_message(&errors, "to")}
                        </div>
                    </fieldset>
                }.into_any()
            }}
            <div class="field">
                <label for="city">{t("analysis.city")}</label>
                <select id="city" name="city">{options(&c.cities, &a.city, !one_city)}</select>
            </div>
            <div class="field">
                <label for="industry">{t("analysis.industry")}</label>
                <select id="industry" name="industry">{options(&c.industries, &a.industry, true)}</select>
            </div>
            {(!pyramid).then(|| view! {
                <div class="field">
                    <label for="business_type">{t("analysis.business_type")}</label>
                    <select id="business_type" name="business_type">
                        {options(&c.business_types, &a.business_type, true)}
                    </select>
                </div>
            })}
            {pyramid.then(|| view! {
                <div class="field">
                    <label for="tiers">{t("analysis.tiers")}</label>
                    <input id="tiers" name="tiers" value=a.tiers.clone() placeholder="5,15,30"
                        aria-describedby="tiers-hint"/>
                    <small id="tiers-hint" class="hint">{t("analysis.tiers_hint")}</small>
                    {field_message(&errors, "tiers")}
                </div>
            })}
            <button type="submit" class="primary">{t("query.submit")}</button>
            // A server-only address: the browser, not the client router, must follow it.
            <a href=export class="link-button" rel="external" download>{t("analysis.export")}</a>
        </form>
        <p class="hint">{t(&format!("analysis.{}_note", figure.code()))}</p>
        <div class="analysis-result">
            {charts::chart(figure, v.chart.clone())}
            <DataTable table=v.table.clone()/>
        </div>
        {members}
    }
}
