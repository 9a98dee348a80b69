//! The figures' SVG charts, drawn on the server so they read without JavaScript; every number
//! in them is also in the table beside.

use crate::api::analysis::{Chart, Figure};
use crate::i18n::t;
use leptos::prelude::*;

const WIDTH: f64 = 560.0;

pub fn chart(figure: Figure, chart: Chart) -> AnyView {
    match figure {
        Figure::Funnel => view! { <Funnel chart/> }.into_any(),
        Figure::Pyramid => view! { <Pyramid chart/> }.into_any(),
        Figure::Forecast => view! { <Columns chart/> }.into_any(),
        Figure::Competition => view! { <Pairs chart/> }.into_any(),
    }
}

fn label(text: &str) -> String {
    // Fixed labels are translation keys; data (months, names) is shown as it is.
    if text.starts_with("analysis.") || text.starts_with("stage.") {
        t(text).to_string()
    } else {
        text.to_owned()
    }
}

fn points(values: impl Iterator<Item = (f64, f64)>) -> String {
    values
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 销售漏斗: a band per stage, as wide as its count (a sliver when none), narrowing to the next.
#[component]
fn Funnel(chart: Chart) -> impl IntoView {
    const BAND: f64 = 48.0;
    const SPAN: f64 = 300.0;
    const MIDDLE: f64 = 260.0;
    let max = chart
        .points
        .iter()
        .map(|p| p.values[0])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let widths: Vec<f64> = chart
        .points
        .iter()
        .map(|p| (p.values[0] as f64 / max * SPAN).max(12.0))
        .collect();
    let height = BAND * chart.points.len() as f64 + 8.0;
    let bands = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let top = widths[i];
            let bottom = top * 0.8;
            let y = 4.0 + BAND * i as f64;
            let shape = points(
                [
                    (MIDDLE - top / 2.0, y),
                    (MIDDLE + top / 2.0, y),
                    (MIDDLE + bottom / 2.0, y + BAND - 4.0),
                    (MIDDLE - bottom / 2.0, y + BAND - 4.0),
                ]
                .into_iter(),
            );
            view! {
                <g class=format!("band band-{i}")>
                    <polygon points=shape></polygon>
                    <text x="8" y=y + BAND / 2.0>{label(&p.label)}</text>
                    <text x=MIDDLE + SPAN / 2.0 + 16.0 y=y + BAND / 2.0>{p.shown[0].clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart funnel-chart" role="img" aria-label=t("analysis.funnel")
            viewBox=format!("0 0 {WIDTH} {height}") width=WIDTH height=height>
            {bands}
        </svg>
    }
}

/// 客户价值金字塔: a triangle cut into the tiers, the top tier at the apex.
#[component]
fn Pyramid(chart: Chart) -> impl IntoView {
    const HEIGHT: f64 = 220.0;
    const BASE: f64 = 280.0;
    const MIDDLE: f64 = 150.0;
    let rows = chart.points.len().max(1) as f64;
    let half_at = |y: f64| BASE / 2.0 * (y / HEIGHT);
    let bands = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (y0, y1) = (HEIGHT * i as f64 / rows, HEIGHT * (i + 1) as f64 / rows);
            let shape = points(
                [
                    (MIDDLE - half_at(y0), y0 + 4.0),
                    (MIDDLE + half_at(y0), y0 + 4.0),
                    (MIDDLE + half_at(y1), y1 + 2.0),
                    (MIDDLE - half_at(y1), y1 + 2.0),
                ]
                .into_iter(),
            );
            let y = (y0 + y1) / 2.0 + 8.0;
            view! {
                <g class=format!("band band-{i}")>
                    <polygon points=shape></polygon>
                    <text x=MIDDLE + BASE / 2.0 + 16.0 y=y>
                        {label(&p.label)}{" "}{p.shown[0].clone()}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart pyramid-chart" role="img" aria-label=t("analysis.pyramid")
            viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 8.0) width=WIDTH height=HEIGHT + 8.0>
            {bands}
        </svg>
    }
}

/// The largest value of any point (at least 1, the scale's denominator).
fn largest(chart: &Chart) -> f64 {
    chart
        .points
        .iter()
        .flat_map(|p| p.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64
}

fn legend(series: &[String], y: f64) -> impl IntoView {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = 8.0 + 200.0 * i as f64;
            view! {
                <g class=format!("series-{i}")>
                    <rect x=x y=y - 10.0 width="12" height="12"></rect>
                    <text x=x + 18.0 y=y>{t(s)}</text>
                </g>
            }
        })
        .collect_view()
}

/// 销售预测: per month, a column per series (forecast beside actual).
#[component]
fn Columns(chart: Chart) -> impl IntoView {
    const TOP: f64 = 28.0;
    const TALL: f64 = 180.0;
    let count = chart.points.len().max(1) as f64;
    let slot = (WIDTH - 16.0) / count;
    let series = chart.series.len().max(1) as f64;
    let bar = (slot - 6.0) / series;
    let max = largest(&chart);
    let columns = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x0 = 8.0 + slot * i as f64;
            let bars = p
                .values
                .iter()
                .enumerate()
                .map(|(s, v)| {
                    let h = (*v as f64 / max * TALL).max(if *v > 0 { 1.0 } else { 0.0 });
                    view! {
                        <rect class=format!("series-{s}") x=x0 + 3.0 + bar * s as f64
                            y=TOP + TALL - h width=bar.max(1.0) height=h>
                            <title>{format!("{} {}: {}", p.label, t(&chart.series[s]), p.shown[s])}</title>
                        </rect>
                    }
                })
                .collect_view();
            let month = p.label.get(2..).unwrap_or(&p.label).to_owned();
            view! {
                <g class="column">
                    {bars}
                    <text class="axis" x=x0 + slot / 2.0 y=TOP + TALL + 14.0 text-anchor="middle">{month}</text>
                </g>
            }
        })
        .collect_view();
    let height = TOP + TALL + 22.0;
    view! {
        <svg class="chart column-chart" role="img" aria-label=t("analysis.forecast")
            viewBox=format!("0 0 {WIDTH} {height}") width=WIDTH height=height>
            {legend(&chart.series, 16.0)}
            {columns}
        </svg>
    }
}

/// 竞争分析: per competitor, a bar per series (won above lost).
#[component]
fn Pairs(chart: Chart) -> impl IntoView {
    const LABEL: f64 = 110.0;
    const SPAN: f64 = 360.0;
    const ROW: f64 = 40.0;
    const TOP: f64 = 26.0;
    let max = largest(&chart);
    let rows = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let y = TOP + ROW * i as f64;
            let bars = p
                .values
                .iter()
                .enumerate()
                .map(|(s, v)| {
                    let w = (*v as f64 / max * SPAN).max(1.0);
                    let by = y + 2.0 + 17.0 * s as f64;
                    view! {
                        <rect class=format!("series-{s}") x=LABEL y=by width=w height="14"></rect>
                        <text x=LABEL + w + 6.0 y=by + 12.0>{p.shown[s].clone()}</text>
                    }
                })
                .collect_view();
            view! {
                <g class="pair">
                    <text x=LABEL - 8.0 y=y + 22.0 text-anchor="end">{p.label.clone()}</text>
                    {bars}
                </g>
            }
        })
        .collect_view();
    let height = TOP + ROW * chart.points.len() as f64 + 6.0;
    view! {
        <svg class="chart pairs-chart" role="img" aria-label=t("analysis.competition")
            viewBox=format!("0 0 {WIDTH} {height}") width=WIDTH height=height>
            {legend(&chart.series, 16.0)}
            {rows}
        </svg>
    }
}
