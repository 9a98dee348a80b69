//! 添加活动 on a customer or an opportunity: a plain form post; a refused form comes back with
//! what was typed, and the browser checks the same first.

use crate::api::activities::{
    load_activity_edit, load_activity_form, ActivityFormOptions, ActivityTarget, SubmittedActivity,
};
use crate::components::form_check::ClientCheck;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::activity::{ActivityForm, ActivityKind};
use crate::model::AppError;
use crate::pages::opportunities::fields::field_error;
use crate::pages::status::record_page;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CustomerActivityPage() -> impl IntoView {
    view! { <ActivityPage to_opportunity=false/> }
}

#[component]
pub fn OpportunityActivityPage() -> impl IntoView {
    view! { <ActivityPage to_opportunity=true/> }
}

/// 编辑 of a planned activity (`/activities/{id}/edit`), the same form with its values.
#[component]
pub fn ActivityEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let options = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_activity_edit(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedActivity>).into_inner();
    record_page(options, move |o| {
        let submitted = submitted.clone();
        view! { <ActivityFormView o submitted/> }
    })
}

#[component]
fn ActivityPage(to_opportunity: bool) -> impl IntoView {
    let params = use_params_map();
    let target = move || {
        params.with(|p| {
            let id = p.get("id").and_then(|id| id.parse::<i64>().ok())?;
            Some(if to_opportunity {
                ActivityTarget::Opportunity(id)
            } else {
                ActivityTarget::Customer(id)
            })
        })
    };
    let options = Resource::new(target, |target| async move {
        match target {
            Some(target) => load_activity_form(target).await,
            None => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedActivity>).into_inner();
    record_page(options, move |o| {
        let submitted = submitted.clone();
        view! { <ActivityFormView o submitted/> }
    })
}

#[component]
fn ActivityFormView(o: ActivityFormOptions, submitted: Option<SubmittedActivity>) -> impl IntoView {
    let check = ClientCheck::new();
    let editing = o.editing.clone();
    let (form, errors) = match (submitted, &editing) {
        (Some(s), _) => (s.form, s.errors),
        (None, Some((_, _, form))) => (form.clone(), Vec::new()),
        // A new activity is about the first customer, today, 计划中.
        (None, None) => (
            ActivityForm {
                date: o.today.clone(),
                customer_id: o
                    .customers
                    .first()
                    .map(|c| c.0.to_string())
                    .unwrap_or_default(),
                ..Default::default()
            },
            Vec::new(),
        ),
    };
    let on_submit = check.on_submit(|body| body.read::<ActivityForm>().parse().map(|_| ()));
    let error = |field: &'static str| field_error(check, &errors, field);
    let back = o.target.page();
    let (heading, action, version) = match &editing {
        Some((id, version, _)) => (
            "activity.edit",
            crate::paths::ACTIVITY_EDIT.of(id),
            Some(version.to_string()),
        ),
        None => ("activity.new", format!("{back}/activities/new"), None),
    };
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| {
            let selected = form.kind == k.code();
            view! { <option value=k.code() selected=selected>{t(k.label_key())}</option> }
        })
        .collect_view();
    let customers = o
        .customers
        .iter()
        .map(|(id, name)| {
            let selected = form.customer_id == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let several = o.customers.len() > 1;
    let contacts = o
        .contacts
        .iter()
        .map(|(customer, id, name)| {
            let checked = form.contact_ids.contains(&id.to_string());
            // With several customers, say whose contact it is.
            let whose = several.then(|| {
                let owner = o
                    .customers
                    .iter()
                    .find(|(c, _)| c == customer)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                format!("（{owner}）")
            });
            view! {
                <label class="inline">
                    <input type="checkbox" name="contact_id" value=id.to_string() checked=checked/>
                    {name.clone()}{whose}
                </label>
            }
        })
        .collect_view();
    let form_error = field_error(check, &errors, "");
    view! {
        <section class="page">
            <h1>{t(heading)}"："{o.title.clone()}</h1>
            <form method="post" action=action class="record-form" novalidate on:submit=on_submit>
                {version.map(|v| view! { <input type="hidden" name="version" value=v/> })}
                <div class="field">
                    <label for="kind">{t("activity.kind")}<span class="required">"*"</span></label>
                    <select id="kind" name="kind">
                        <option value="">{t("form.choose")}</option>
                        {kinds}
                    </select>
                    {error("kind")}
                </div>
                <div class="field">
                    <label for="date">{t("activity.date")}<span class="required">"*"</span></label>
                    <input id="date" name="date" type="date" value=form.date.clone()/>
                    {error("date")}
                </div>
                <div class="field">
                    <label for="customer_id">{t("activity.customer")}<span class="required">"*"</span></label>
                    <select id="customer_id" name="customer_id">{customers}</select>
                    {error("customer_id")}
                </div>
                <fieldset class="field">
                    <legend>{t("activity.contacts")}</legend>
                    {contacts}
                    {o.contacts.is_empty().then(|| view! { <p class="hint">{t("activity.no_contacts")}</p> })}
                    {error("contact_id")}
                </fieldset>
                <div class="field">
                    <label for="notes">{t("activity.notes")}<span class="required">"*"</span></label>
                    <TextArea id="notes" name="notes" rows=4 value=form.notes.clone()/>
                    {error("notes")}
                </div>
                <div class="field">
                    <label for="status">{t("activity.status")}</label>
                    <select id="status" name="status">
                        <option value="planned" selected=form.status != "done">{t("activity.planned")}</option>
                        <option value="done" selected=form.status == "done">{t("activity.done")}</option>
                    </select>
                </div>
                {form_error}
                <div class="actions">
                    <button type="submit" class="primary">{t("opportunity.save")}</button>
                    <a href=back.clone() class="button secondary">{t("common.cancel")}</a>
                </div>
            </form>
        </section>
    }
}
