//! A 统计分析 table: heads and rows of values, numbers right-aligned.

use crate::api::analysis::{Table, Value};
use crate::i18n::t;
use crate::model::opportunity::Fen;
use leptos::prelude::*;

/// A value as shown.
pub fn shown(value: &Value) -> AnyView {
    match value {
        Value::Text(s) => s.clone().into_any(),
        Value::Key(k) => t(k).into_any(),
        Value::Link(label, href) => view! { <a href=href.clone()>{label.clone()}</a> }.into_any(),
        Value::KeyLink(k, href) => view! { <a href=href.clone()>{t(k)}</a> }.into_any(),
        Value::Count(n) => n.to_string().into_any(),
        Value::Fen(f) => Fen(*f).to_yuan().into_any(),
        Value::Share(Some(p)) => format!("{}.{}%", p / 10, p % 10).into_any(),
        Value::Share(None) => "—".into_any(),
    }
}

fn numeric(value: &Value) -> bool {
    matches!(value, Value::Count(_) | Value::Fen(_) | Value::Share(_))
}

#[component]
pub fn DataTable(table: Table) -> impl IntoView {
    let numeric_column: Vec<bool> = (0..table.heads.len())
        .map(|c| {
            table
                .rows
                .first()
                .and_then(|r| r.get(c))
                .is_some_and(numeric)
        })
        .collect();
    let heads = table
        .heads
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let class = if numeric_column[c] { "number" } else { "" };
            view! { <th class=class scope="col">{t(h)}</th> }
        })
        .collect_view();
    let empty = table.rows.is_empty();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .map(|v| {
                    let class = if numeric(v) { "number" } else { "" };
                    view! { <td class=class>{shown(v)}</td> }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="list analysis-table">
            <thead><tr>{heads}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {empty.then(|| view! { <p class="notice">{t("analysis.none")}</p> })}
    }
}
