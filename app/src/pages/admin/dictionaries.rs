//! 数据字典: the five dictionaries as tabs; each item with its label and order (保存) and
//! 停用 / 启用; 添加 at the end. An item is never deleted; one that carries behaviour shows the
//! code it keeps.

use crate::api::admin::{load_dictionary, DictionaryView, SubmittedDict};
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::dictionary::{DictRow, KINDS};
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn DictionaryPage() -> impl IntoView {
    let query = use_query();
    let submitted = SharedValue::new(use_context::<SubmittedDict>).into_inner();
    let posted_kind = submitted.as_ref().map(|s| s.form.kind.clone());
    let kind = move || {
        query
            .with(|q| q.get("kind"))
            .or_else(|| posted_kind.clone())
            .unwrap_or_else(|| KINDS[0].0.to_owned())
    };
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let view = Resource::new(kind, load_dictionary);
    record_page(view, move |v| {
        let submitted = submitted.clone();
        view! { <Dictionary v submitted saved/> }
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
fn Dictionary(v: DictionaryView, submitted: Option<SubmittedDict>, saved: bool) -> impl IntoView {
    let tabs = KINDS
        .iter()
        .map(|(code, key)| {
            let href = format!("{}?kind={code}", paths::ADMIN_DICTIONARIES.path());
            view! { <a href=href class:active=*code == v.kind>{t(key)}</a> }
        })
        .collect_view();
    // The refused form, if it was this dictionary's: its row (or 添加) shows what was typed.
    let refused = submitted.filter(|s| s.form.kind == v.kind);
    let rows = v
        .items
        .iter()
        .map(|item| {
            let mine = refused
                .as_ref()
                .filter(|s| s.form.id == item.id.to_string());
            view! { <ItemRow kind=v.kind.clone() item=item.clone() refused=mine.cloned()/> }
        })
        .collect_view();
    let adding = refused.filter(|s| s.form.action == "add");
    let (label, order, errors) = match adding {
        Some(s) => (s.form.label, s.form.sort_order, s.errors),
        None => (String::new(), String::new(), Vec::new()),
    };
    view! {
        <section class="page dictionaries">
            <p><a href=paths::ADMIN.path()>{t("menu.admin")}</a></p>
            <h1>{t("admin.dictionaries")}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{t("profile.saved")}</p> })}
            <div class="tabs">{tabs}</div>
            <div class="dict-items">{rows}</div>
            <h2>{t("dict.add")}</h2>
            <form method="post" action=paths::ADMIN_DICTIONARIES.path() class="dict-row">
                <input type="hidden" name="kind" value=v.kind.clone()/>
                <label for="new-label">{t("dict.label")}</label>
                <input id="new-label" name="label" type="text" maxlength="30" value=label/>
                {error_of(&errors, "label")}
                <label for="new-order">{t("dict.order")}</label>
                <input id="new-order" name="sort_order" type="number" min="0" max="9999" value=order/>
                {error_of(&errors, "sort_order")}
                <button type="submit" name="action" value="add" class="primary">{t("dict.add")}</button>
            </form>
        </section>
    }
}

/// One item: its label and order (保存), and 停用 / 启用.
#[component]
fn ItemRow(kind: String, item: DictRow, refused: Option<SubmittedDict>) -> impl IntoView {
    let (label, order, errors) = match refused {
        Some(s) => (s.form.label, s.form.sort_order, s.errors),
        None => (item.label.clone(), item.sort_order.to_string(), Vec::new()),
    };
    let (toggle, toggle_label) = if item.active {
        ("disable", "user.disable")
    } else {
        ("enable", "user.enable")
    };
    let label_id = format!("label-{}", item.id);
    let order_id = format!("order-{}", item.id);
    view! {
        <form method="post" action=paths::ADMIN_DICTIONARIES.path() class="dict-row" class:disabled=!item.active>
            <input type="hidden" name="kind" value=kind/>
            <input type="hidden" name="id" value=item.id.to_string()/>
            <label for=label_id.clone() class="sr-only">{t("dict.label")}</label>
            <input id=label_id name="label" type="text" maxlength="30" value=label/>
            {error_of(&errors, "label")}
            <label for=order_id.clone() class="sr-only">{t("dict.order")}</label>
            <input id=order_id name="sort_order" type="number" min="0" max="9999" value=order/>
            {error_of(&errors, "sort_order")}
            {item.code.clone().map(|code| view! { <span class="hint" title=t("dict.code_kept")>{code}</span> })}
            {(!item.active).then(|| view! { <span class="hint">{t("user.disabled")}</span> })}
            <button type="submit" name="action" value="save" class="secondary">{t("profile.save")}</button>
            <button type="submit" name="action" value=toggle class="secondary">{t(toggle_label)}</button>
            {error_of(&errors, "")}
        </form>
    }
}
