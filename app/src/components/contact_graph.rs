//! 联系人关系图 on the customer page: the contacts around a circle and each relation an arrow
//! with its name, drawn as SVG by the server (so it shows without JavaScript; names are text
//! nodes, escaped like any other); the relations listed with 删除, and 添加 for the editors.

use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::relation::{kind_label, layout, ContactGraph, SubmittedRelation, RELATION_KINDS};
use crate::paths;
use leptos::prelude::*;

/// The drawing's width and height.
const SIZE: f64 = 600.0;

fn error_of(errors: &[FieldError], field: &str) -> Option<impl IntoView + use<>> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
}

#[component]
pub fn ContactGraphPanel(customer_id: i64, graph: ContactGraph) -> impl IntoView {
    let refused = SharedValue::new(use_context::<SubmittedRelation>).into_inner();
    let (form, errors) = refused.map(|s| (s.form, s.errors)).unwrap_or_default();
    let points = layout(graph.contacts.len(), SIZE);
    let at = |id: i64| {
        graph
            .contacts
            .iter()
            .position(|(c, _)| *c == id)
            .map(|i| points[i])
    };
    let name_of = |id: i64| {
        graph
            .contacts
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let edges = graph
        .relations
        .iter()
        .filter_map(|r| Some((r, at(r.from)?, at(r.to)?)))
        .map(|(r, (x1, y1), (x2, y2))| {
            // Stop short of the boxes, so the arrow head shows.
            let (dx, dy) = (x2 - x1, y2 - y1);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let (ux, uy) = (dx / len, dy / len);
            let (sx, sy, ex, ey) = (x1 + ux * 30.0, y1 + uy * 16.0, x2 - ux * 34.0, y2 - uy * 18.0);
            let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 4.0);
            view! {
                <g class="edge">
                    <line x1=sx.to_string() y1=sy.to_string() x2=ex.to_string() y2=ey.to_string() marker-end="url(#arrow)"/>
                    <text x=mx.to_string() y=my.to_string() text-anchor="middle">{t(kind_label(&r.kind))}</text>
                </g>
            }
        })
        .collect_view();
    let nodes = graph
        .contacts
        .iter()
        .zip(points.iter())
        .map(|((_, name), (x, y))| {
            view! {
                <g class="node">
                    <rect x=(x - 48.0).to_string() y=(y - 14.0).to_string() width="96" height="28" rx="6"/>
                    <text x=x.to_string() y=(y + 5.0).to_string() text-anchor="middle">{name.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let list = graph
        .relations
        .iter()
        .map(|r| {
            let delete = graph.can_edit.then(|| {
                view! {
                    <form method="post" action=paths::CUSTOMER_RELATIONS.of(customer_id) class="inline-form">
                        <input type="hidden" name="action" value="delete"/>
                        <input type="hidden" name="id" value=r.id.to_string()/>
                        <button type="submit" class="link">{t("common.delete")}</button>
                    </form>
                }
            });
            view! {
                <li>{name_of(r.from)}" → "{name_of(r.to)}"：" {t(kind_label(&r.kind))} {delete}</li>
            }
        })
        .collect_view();
    let options = |chosen: &str| {
        graph
            .contacts
            .iter()
            .map(|(id, name)| {
                let selected = chosen == id.to_string();
                view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
            })
            .collect_view()
    };
    let kinds = RELATION_KINDS
        .iter()
        .map(|(code, key)| {
            let selected = form.kind == *code;
            view! { <option value=*code selected=selected>{t(key)}</option> }
        })
        .collect_view();
    let add = (graph.can_edit && graph.contacts.len() > 1).then(|| {
        view! {
            <form method="post" action=paths::CUSTOMER_RELATIONS.of(customer_id) class="dict-row">
                <input type="hidden" name="action" value="add"/>
                <label for="relation_from">{t("relation.from")}</label>
                <select id="relation_from" name="from">
                    <option value="">{t("form.choose")}</option>{options(&form.from)}
                </select>
                {error_of(&errors, "relation_from")}
                <label for="relation_kind">{t("relation.kind")}</label>
                <select id="relation_kind" name="kind">
                    <option value="">{t("form.choose")}</option>{kinds}
                </select>
                {error_of(&errors, "relation_kind")}
                <label for="relation_to">{t("relation.to")}</label>
                <select id="relation_to" name="to">
                    <option value="">{t("form.choose")}</option>{options(&form.to)}
                </select>
                {error_of(&errors, "relation_to")}
                <button type="submit" class="secondary">{t("relation.add")}</button>
                {error_of(&errors, "")}
            </form>
        }
    });
    let drawing = (!graph.contacts.is_empty()).then(|| {
        view! {
            <svg class="contact-graph" viewBox=format!("0 0 {SIZE} {SIZE}") role="img" aria-label=t("relation.title")>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z"/>
                    </marker>
                </defs>
                {edges}
                {nodes}
            </svg>
        }
    });
    view! {
        <div class="panel" id="relations">
            <h2>{t("relation.title")}</h2>
            {drawing}
            <ul class="relations">{list}</ul>
            {add}
        </div>
    }
}
