//! 合并客户: from a customer's page, find the customer to merge with, then choose which of the
//! two survives and, per field, whose value to keep. Everything of the other — opportunities,
//! contacts, activities, files, shares, messages — moves to the survivor, and its old address
//! leads there. A GET form to find, a POST to merge: both work before the WASM loads.

use crate::api::customers::{load_merge, MergeView, SubmittedMerge};
use crate::i18n::t;
use crate::model::merge::{MergeSide, MERGED_FIELDS};
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn MergePage() -> impl IntoView {
    let query = use_query();
    let args = move || {
        query.with(|q| {
            (
                q.get("a")
                    .and_then(|a| a.parse::<i64>().ok())
                    .unwrap_or_default(),
                q.get("b").and_then(|b| b.parse::<i64>().ok()),
                q.get("q").unwrap_or_default(),
            )
        })
    };
    let submitted = SharedValue::new(use_context::<SubmittedMerge>).into_inner();
    let view = Resource::new(args, |(a, b, q)| load_merge(a, b, q));
    record_page(view, move |v| {
        let (_, _, q) = args();
        let submitted = submitted.clone();
        view! { <Merge v q submitted/> }
    })
}

#[component]
fn Merge(v: MergeView, q: String, submitted: Option<SubmittedMerge>) -> impl IntoView {
    let Some(a) = v.a else {
        return view! { <p>{t("merge.none")}</p> }.into_any();
    };
    let errors = submitted
        .map(|s| s.errors)
        .unwrap_or_default()
        .into_iter()
        .map(|e| view! { <p class="field-error" role="alert">{t(&e.key)}</p> })
        .collect_view();
    let body = match v.b {
        Some(b) => view! { <Compare a=a.clone() b/> }.into_any(),
        None => {
            let found = v
                .found
                .into_iter()
                .map(|(id, name)| {
                    let href = format!("{}?a={}&b={id}", paths::CUSTOMER_MERGE.path(), a.id);
                    view! { <li><a href=href>{name}</a></li> }
                })
                .collect_view();
            view! {
                <form method="get" action=paths::CUSTOMER_MERGE.path() class="dict-row">
                    <input type="hidden" name="a" value=a.id.to_string()/>
                    <label for="merge-q">{t("merge.find")}</label>
                    <input id="merge-q" name="q" type="search" value=q/>
                    <button type="submit" class="secondary">{t("query.submit")}</button>
                </form>
                <ul class="merge-found">{found}</ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="page merge">
            <p><a href=paths::CUSTOMER.of(a.id)>{a.value("name").to_owned()}</a></p>
            <h1>{t("merge.title")}</h1>
            <p class="hint">{t("merge.explain")}</p>
            {errors}
            {body}
        </section>
    }
    .into_any()
}

/// The two side by side: the survivor, then each field's value to keep.
#[component]
fn Compare(a: MergeSide, b: MergeSide) -> impl IntoView {
    let rows = MERGED_FIELDS
        .iter()
        .map(|(field, key)| {
            let name = format!("pick_{field}");
            let (va, vb) = (a.value(field).to_owned(), b.value(field).to_owned());
            // The survivor's own value unless it has none.
            let b_default = va.is_empty() && !vb.is_empty();
            let (ida, idb) = (format!("{name}-a"), format!("{name}-b"));
            view! {
                <tr>
                    <th scope="row">{t(key)}</th>
                    <td>
                        <input type="radio" id=ida.clone() name=name.clone() value="a" checked=!b_default/>
                        <label for=ida>{va}</label>
                    </td>
                    <td>
                        <input type="radio" id=idb.clone() name=name value="b" checked=b_default/>
                        <label for=idb>{vb}</label>
                    </td>
                </tr>
            }
        })
        .collect_view();
    // Posted to the page's own address, so a refused merge shows the same two customers.
    let action = format!("{}?a={}&b={}", paths::CUSTOMER_MERGE.path(), a.id, b.id);
    view! {
        <form method="post" action=action>
            <input type="hidden" name="a" value=a.id.to_string()/>
            <input type="hidden" name="b" value=b.id.to_string()/>
            <input type="hidden" name="version_a" value=a.version.to_string()/>
            <input type="hidden" name="version_b" value=b.version.to_string()/>
            <table class="list merge-fields">
                <thead><tr>
                    <th></th>
                    <th>{t("merge.keep")}" A"</th>
                    <th>{t("merge.keep")}" B"</th>
                </tr></thead>
                <tbody>
                    <tr>
                        <th scope="row">{t("merge.survivor")}</th>
                        <td>
                            <input type="radio" id="survivor-a" name="survivor" value="a" checked=true/>
                            <label for="survivor-a">{a.value("name").to_owned()}"（"{a.owner.clone()}"）"</label>
                        </td>
                        <td>
                            <input type="radio" id="survivor-b" name="survivor" value="b"/>
                            <label for="survivor-b">{b.value("name").to_owned()}"（"{b.owner.clone()}"）"</label>
                        </td>
                    </tr>
                    {rows}
                </tbody>
            </table>
            <button type="submit" class="primary">{t("merge.submit")}</button>
        </form>
    }
}
