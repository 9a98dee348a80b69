//! The opportunity's fields as form inputs: 报备商机, and the 任务处理页面 where the approver (or
//! the filer of a returned step) may change them. Plain inputs posted with the form.

use crate::api::customers::quick_find;
use crate::api::opportunities::{OpportunityForm, OpportunityFormOptions};
use crate::components::form_check::ClientCheck;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::customer::FieldError;
use leptos::prelude::*;

/// The message beside `field`: the browser's check once it ran, else the server's.
pub fn field_error(
    check: ClientCheck,
    errors: &[FieldError],
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    let errors = errors.to_vec();
    move || {
        check
            .error(field, &errors)
            .map(|key| view! { <span class="field-error" role="alert">{t(&key)}</span> }.into_any())
    }
}

/// The fields. `customers_editable`: the customer search (查找客户 / 选择 / 移除) of 报备商机;
/// otherwise the chosen customers travel as hidden inputs. `locked`: fields shown read-only
/// (their values still posted), e.g. the approved ones to a 协作 user.
#[component]
pub fn OpportunityFields(
    form: OpportunityForm,
    options: OpportunityFormOptions,
    errors: Vec<FieldError>,
    check: ClientCheck,
    #[prop(optional)] customers_editable: bool,
    #[prop(optional)] customer_query: String,
    #[prop(optional)] locked: Vec<String>,
) -> impl IntoView {
    let error = |field: &'static str| field_error(check, &errors, field);
    let is_locked = |field: &str| locked.iter().any(|l| l == field);
    let customers_editable = customers_editable && !is_locked("customer_id");
    let chosen = options.chosen_customers.clone();
    let select = |name: &'static str, items: Vec<(i64, String)>, chosen: String, required: bool| {
        let locked = is_locked(name);
        // A disabled select posts nothing: the value travels in a hidden input instead.
        let carried =
            locked.then(|| view! { <input type="hidden" name=name value=chosen.clone()/> });
        view! {
            {carried}
            <select id=name name=name required=required disabled=locked>
                <option value="">{t("form.choose")}</option>
                {items
                    .into_iter()
                    .map(|(id, label)| {
                        let selected = chosen == id.to_string();
                        view! { <option value=id.to_string() selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let chosen_list = chosen
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            view! {
                <li>
                    <input type="hidden" name="customer_id" value=id.to_string()/>
                    <span>{name.clone()}</span>
                    {(i == 0).then(|| view! { <span class="tag">{t("opportunity.primary")}</span> })}
                    {customers_editable.then(|| view! {
                        <button type="submit" name="remove_customer" value=id.to_string()
                            class="link-button" formnovalidate>{t("opportunity.remove")}</button>
                    })}
                </li>
            }
        })
        .collect_view();
    let locked_note = (!locked.is_empty()).then(|| {
        view! {
            <p class="hint" role="note">{t("opportunity.locked_note")}</p>
        }
    });
    view! {
        {locked_note}
        <div class="field">
            <label for="name">{t("opportunity.name")}<span class="required">"*"</span></label>
            <input id="name" name="name" type="text" required value=form.name.clone()
                readonly=is_locked("name")/>
            {error("name")}
        </div>
        <fieldset class="field customers-field">
            <legend>{t("opportunity.customers")}<span class="required">"*"</span></legend>
            <ul class="chosen">{chosen_list}</ul>
            {customers_editable.then(|| view! {
                <CustomerSearch query=customer_query.clone() found=options.found_customers.clone()/>
            })}
            {error("customer_id")}
        </fieldset>
        <div class="field">
            <label for="business_type_id">{t("opportunity.business_type")}<span class="required">"*"</span></label>
            {select("business_type_id", options.business_types.clone(), form.business_type_id.clone(), true)}
            {error("business_type_id")}
        </div>
        <div class="info-row">
            <dt>{t("opportunity.level")}</dt>
            <dd>{t(options.level.label_key())}</dd>
        </div>
        <div class="info-row">
            <dt>{t("opportunity.org_unit")}</dt>
            <dd>{options.org_unit.clone()}</dd>
        </div>
        <div class="field">
            <label for="expected_amount">{t("opportunity.expected_amount")}</label>
            <input id="expected_amount" name="expected_amount" type="text" inputmode="decimal"
                value=form.expected_amount.clone() readonly=is_locked("expected_amount")/>
            {error("expected_amount")}
        </div>
        <div class="field">
            <label for="expected_sign_date">{t("opportunity.expected_sign_date")}</label>
            <input id="expected_sign_date" name="expected_sign_date" type="date"
                value=form.expected_sign_date.clone() readonly=is_locked("expected_sign_date")/>
            {error("expected_sign_date")}
        </div>
        <div class="field">
            <label for="win_probability">{t("opportunity.win_probability")}</label>
            <input id="win_probability" name="win_probability" type="text" inputmode="numeric"
                value=form.win_probability.clone() readonly=is_locked("win_probability")/>
            {error("win_probability")}
        </div>
        <fieldset class="field">
            <legend>{t("opportunity.competitors")}</legend>
            {options
                .competitors
                .iter()
                .map(|(id, label)| {
                    let input_id = format!("competitor-{id}");
                    let checked = form.competitor_ids.contains(&id.to_string());
                    let locked = is_locked("competitor_id");
                    let carried = (locked && checked).then(|| view! {
                        <input type="hidden" name="competitor_id" value=id.to_string()/>
                    });
                    view! {
                        {carried}
                        <label for=input_id.clone() class="inline">
                            <input id=input_id.clone() type="checkbox" name="competitor_id"
                                value=id.to_string() checked=checked disabled=locked/>
                            {label.clone()}
                        </label>
                    }
                })
                .collect_view()}
            {error("competitor_id")}
        </fieldset>
        <div class="field">
            <label for="description">{t("opportunity.description")}</label>
            <TextArea id="description" name="description" rows=3 value=form.description.clone()
                readonly=is_locked("description")/>
            {error("description")}
        </div>
    }
}

/// 查找客户: a search step that works as a form post (查找客户, then 选择), and that finds as
/// one types once the page is live.
#[component]
fn CustomerSearch(query: String, found: Vec<(i64, String)>) -> impl IntoView {
    let typed = RwSignal::new(query.clone());
    let touched = RwSignal::new(false);
    let live = LocalResource::new(move || {
        let q = typed.get();
        async move {
            if q.trim().is_empty() {
                Vec::new()
            } else {
                quick_find(q)
                    .await
                    .map(|rows| rows.into_iter().map(|r| (r.id, r.name)).collect())
                    .unwrap_or_default()
            }
        }
    });
    let choices = move |items: Vec<(i64, String)>| {
        items
            .into_iter()
            .map(|(id, name)| {
                view! {
                    <li>
                        <span>{name}</span>
                        " "
                        <button type="submit" name="add_customer" value=id.to_string()
                            class="link-button" formnovalidate>{t("opportunity.choose")}</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="customer-search">
            <label for="customer_q" class="sr-only">{t("opportunity.find_customer")}</label>
            <input id="customer_q" name="customer_q" type="search" value=query
                placeholder=t("opportunity.find_customer")
                on:input=move |ev| {
                    touched.set(true);
                    typed.set(event_target_value(&ev));
                }/>
            <button type="submit" name="action" value="find" formnovalidate>{t("opportunity.find_customer")}</button>
            <ul class="found">
                {move || {
                    if touched.get() {
                        choices(live.get().unwrap_or_default()).into_any()
                    } else {
                        choices(found.clone()).into_any()
                    }
                }}
            </ul>
        </div>
    }
}
