//! 转交: choose whose holdings to take over (within the viewer's reach), then move their open
//! approval tasks, customers or opportunities — the ticked ones, or 「全部」 — to someone else.
//! Plain forms: the choice of holder is a GET, each move a POST that comes back here.

use crate::api::admin::{load_transfer, SubmittedTransfer, TransferItem, TransferView};
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::transfer::TransferKind;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn TransferPage() -> impl IntoView {
    let query = use_query();
    let submitted = SharedValue::new(use_context::<SubmittedTransfer>).into_inner();
    let posted_from = submitted.as_ref().map(|s| s.form.from.clone());
    let from = move || {
        query
            .with(|q| q.get("from"))
            .or_else(|| posted_from.clone())
            .and_then(|f| f.trim().parse::<i64>().ok())
    };
    let moved = query.with_untracked(|q| q.get("moved"));
    let view = Resource::new(from, load_transfer);
    record_page(view, move |v| {
        let (submitted, moved) = (submitted.clone(), moved.clone());
        view! { <Transfer v submitted moved/> }
    })
}

/// The message of `field` among `errors`.
fn error_of(errors: &[FieldError], field: &str) -> Option<impl IntoView + use<>> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
}

#[component]
fn Transfer(
    v: TransferView,
    submitted: Option<SubmittedTransfer>,
    moved: Option<String>,
) -> impl IntoView {
    // A refusal of the whole request (the holder is not within reach) shows above the sections.
    let refused = submitted.as_ref().and_then(|s| error_of(&s.errors, ""));
    let chosen = v.from.map(|id| id.to_string()).unwrap_or_default();
    let people = v
        .people
        .iter()
        .map(|(id, label)| {
            let selected = chosen == id.to_string();
            view! { <option value=id.to_string() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    let sections = v.from.map(|from| {
        let h = v.holdings;
        let kinds = [
            (
                TransferKind::Tasks,
                v.tasks.clone(),
                h.open_tasks,
                v.task_targets.clone(),
            ),
            (
                TransferKind::Customers,
                v.customers.clone(),
                h.customers,
                v.record_targets.clone(),
            ),
            (
                TransferKind::Opportunities,
                v.opportunities.clone(),
                h.opportunities,
                v.record_targets.clone(),
            ),
        ];
        kinds
            .into_iter()
            .map(|(kind, items, count, targets)| {
                let refused = submitted.clone().filter(|s| s.form.kind == kind.code());
                view! { <KindSection kind from items count targets refused/> }
            })
            .collect_view()
    });
    view! {
        <section class="page transfer">
            <h1>{t("transfer.title")}</h1>
            {moved.map(|n| view! { <p class="notice" role="status">{t("transfer.done")}" "{n}</p> })}
            {refused}
            <form method="get" action=paths::TRANSFER.path() class="query">
                <label for="from">{t("transfer.from")}</label>
                <select id="from" name="from">
                    <option value="" selected=chosen.is_empty()>{t("form.choose")}</option>
                    {people}
                </select>
                <button type="submit" class="secondary">{t("transfer.show")}</button>
            </form>
            {sections}
        </section>
    }
}

/// One kind of holding: its items with a box each, 「全部」, the new holder and 转交.
#[component]
fn KindSection(
    kind: TransferKind,
    from: i64,
    items: Vec<TransferItem>,
    count: i64,
    targets: Vec<(i64, String)>,
    refused: Option<SubmittedTransfer>,
) -> impl IntoView {
    let code = kind.code();
    let heading = view! { <h2>{t(kind.label_key())}" ("{count}")"</h2> };
    if count == 0 {
        return view! { <section class="transfer-kind" data-kind=code>{heading}<p>{t("transfer.none")}</p></section> }.into_any();
    }
    let (errors, ticked, to, all) = match refused {
        Some(s) => (
            s.errors,
            Some(s.form.ids),
            s.form.to,
            !s.form.all.is_empty(),
        ),
        None => (Vec::new(), None, String::new(), false),
    };
    let rows = items
        .into_iter()
        .map(|item| {
            let checked = ticked
                .as_ref()
                .is_none_or(|ids| ids.contains(&item.id.to_string()));
            let box_id = format!("{code}-{}", item.id);
            view! {
                <li>
                    <input type="checkbox" id=box_id.clone() name="id" value=item.id.to_string() checked=checked/>
                    <label for=box_id>{item.name}</label>
                    {(!item.detail.is_empty()).then(|| view! { <span class="hint">{t(&item.detail)}</span> })}
                </li>
            }
        })
        .collect_view();
    let target_id = format!("to-{code}");
    let all_id = format!("all-{code}");
    let options = targets
        .iter()
        .map(|(id, label)| {
            let selected = to == id.to_string();
            view! { <option value=id.to_string() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    view! {
        <section class="transfer-kind" data-kind=code>
            {heading}
            <form method="post" action=paths::TRANSFER.path()>
                <input type="hidden" name="kind" value=code/>
                <input type="hidden" name="from" value=from.to_string()/>
                <ul class="transfer-items">{rows}</ul>
                {error_of(&errors, "id")}
                <p>
                    <input type="checkbox" id=all_id.clone() name="all" value="1" checked=all/>
                    <label for=all_id>{t("transfer.all")}" "{count}</label>
                </p>
                <div class="field">
                    <label for=target_id.clone()>{t("transfer.to")}<span class="required">"*"</span></label>
                    <select id=target_id name="to">
                        <option value="" selected=to.is_empty()>{t("form.choose")}</option>
                        {options}
                    </select>
                    {targets.is_empty().then(|| view! { <span class="hint">{t("transfer.no_target")}</span> })}
                    {error_of(&errors, "to")}
                </div>
                <button type="submit" class="primary">{t("transfer.submit")}</button>
            </form>
        </section>
    }
    .into_any()
}
