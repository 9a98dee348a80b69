//! 「更多排名」: a month's ranking by person, city, industry or business type, of 报备数量 or
//! 签约金额, for the province or one city. The chart is SVG drawn by the server, so it reads
//! without JavaScript; the table exports as XLSX.

use crate::api::rankings::{load_ranking, RankRow, RankingAddress, RankingView};
use crate::components::live::Live;
use crate::i18n::t;
use crate::model::ranking::{Dimension, Metric};
use crate::pages::address;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn RankingPage() -> impl IntoView {
    let query = use_query();
    let chosen = move || {
        query.with(|q| RankingAddress {
            month: q.get("month").unwrap_or_default(),
            dimension: q.get("dimension").unwrap_or_default(),
            metric: q.get("metric").unwrap_or_default(),
            city: q.get("city").unwrap_or_default(),
        })
    };
    let live = Live::rankings();
    let ranking = Resource::new(move || (chosen(), live.get()), |(a, _)| load_ranking(a));
    view! {
        <section class="page rankings">
            <h1>{t("ranking.title")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match ranking.await {
                        Ok(v) => view! { <RankingBody v/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RankingBody(v: RankingView) -> impl IntoView {
    let metric = Metric::from_code(&v.metric).unwrap_or(Metric::Filed);
    let dimension = Dimension::from_code(&v.dimension).unwrap_or(Dimension::Person);
    let options = |all: &[(&'static str, &'static str)], chosen: &str| {
        all.iter()
            .map(|(code, key)| {
                let selected = *code == chosen;
                view! { <option value=*code selected=selected>{t(key)}</option> }
            })
            .collect_view()
    };
    let dimensions: Vec<_> = Dimension::ALL
        .iter()
        .map(|d| (d.code(), d.label_key()))
        .collect();
    let metrics: Vec<_> = Metric::ALL
        .iter()
        .map(|m| (m.code(), m.label_key()))
        .collect();
    let cities = v
        .cities
        .iter()
        .map(|(id, name)| {
            let selected = v.city == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let export = address(
        "/rankings/export",
        &[
            ("month", &v.month),
            ("dimension", &v.dimension),
            ("metric", &v.metric),
            ("city", &v.city),
        ],
    );
    let person = dimension == Dimension::Person;
    let rows = v
        .rows
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.rank}</td>
                    <td>{r.label.clone()}</td>
                    {person.then(|| view! { <td>{r.city.clone().unwrap_or_default()}</td> })}
                    <td class="number">{r.shown.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = v.rows.is_empty();
    view! {
        <form method="get" action="/rankings" class="query-form no-print">
            <div class="field">
                <label for="month">{t("ranking.month")}</label>
                <input id="month" name="month" type="month" value=v.month.clone()/>
            </div>
            <div class="field">
                <label for="dimension">{t("ranking.dimension")}</label>
                <select id="dimension" name="dimension">{options(&dimensions, &v.dimension)}</select>
            </div>
            <div class="field">
                <label for="metric">{t("ranking.metric")}</label>
                <select id="metric" name="metric">{options(&metrics, &v.metric)}</select>
            </div>
            <div class="field">
                <label for="city">{t("ranking.scope")}</label>
                <select id="city" name="city">
                    <option value="" selected=v.city.is_empty()>{t("ranking.province")}</option>
                    {cities}
                </select>
            </div>
            <button type="submit" class="primary">{t("query.submit")}</button>
            // A server-only address: the browser, not the client router, must follow it.
            <a href=export class="link-button" rel="external" download>{t("ranking.export")}</a>
        </form>
        {if empty {
            view! { <p class="notice">{t("ranking.none")}</p> }.into_any()
        } else {
            view! {
                <div class="ranking-result">
                    <BarChart rows=v.rows.clone() metric/>
                    <table class="list ranking-table">
                        <thead><tr>
                            <th>{t("ranking.rank")}</th>
                            <th>{t(dimension.label_key())}</th>
                            {person.then(|| view! { <th>{t("ranking.city")}</th> })}
                            <th class="number">{t(metric.label_key())}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// Horizontal bars, longest for the highest value, each labelled with its group and value.
#[component]
pub fn BarChart(rows: Vec<RankRow>, metric: Metric) -> impl IntoView {
    const LABEL: f64 = 130.0;
    const BAR: f64 = 300.0;
    const ROW: f64 = 26.0;
    let max = rows.iter().map(|r| r.value).max().unwrap_or(1).max(1) as f64;
    let height = ROW * rows.len() as f64 + 4.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = ROW * i as f64 + 2.0;
            let width = (r.value as f64 / max * BAR).max(1.0);
            view! {
                <g class="bar">
                    <text x=LABEL - 6.0 y=y + 16.0 text-anchor="end">{r.label.clone()}</text>
                    <rect x=LABEL y=y + 3.0 width=format!("{width:.1}") height=ROW - 8.0 rx="2"></rect>
                    <text x=format!("{:.1}", LABEL + width + 6.0) y=y + 16.0>{r.shown.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="bar-chart" role="img" aria-label=t(metric.label_key())
            viewBox=format!("0 0 560 {height}") width="560" height=height>
            {bars}
        </svg>
    }
}
