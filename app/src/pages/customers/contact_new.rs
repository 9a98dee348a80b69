//! 新建联系人 of a customer: a plain form post; a refused form comes back with what was typed.

use crate::api::customers::SubmittedContact;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ContactNewPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let submitted =
        SharedValue::new(|| use_context::<SubmittedContact>().unwrap_or_default()).into_inner();
    let form = submitted.form.clone();
    let error = move |field: &str| {
        submitted
            .errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
    };
    let field = |name: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: String,
                 required: bool| {
        view! {
            <div class="field">
                <label for=name>
                    {t(label)}
                    {required.then(|| view! { <span class="required">"*"</span> })}
                </label>
                <input id=name name=name type=kind value=value required=required/>
                {error(name)}
            </div>
        }
    };
    view! {
        <section class="page">
            <h1>{t("contact.new")}</h1>
            <form method="post" action=format!("/customers/{id}/contacts/new") class="record-form" novalidate>
                {field("name", "contact.name", "text", form.name.clone(), true)}
                {field("title", "contact.title", "text", form.title.clone(), false)}
                {field("department", "contact.department", "text", form.department.clone(), false)}
                {field("phone", "customer.phone", "tel", form.phone.clone(), false)}
                {field("mobile", "contact.mobile", "tel", form.mobile.clone(), false)}
                {field("email", "contact.email", "email", form.email.clone(), false)}
                <div class="field">
                    <label for="notes">{t("customer.notes")}</label>
                    <textarea id="notes" name="notes" rows="3">{form.notes.clone()}</textarea>
                    {error("notes")}
                </div>
                {error("")}
                <button type="submit" class="primary">{t("form.submit")}</button>
                " "
                <a href=format!("/customers/{id}") class="button secondary">{t("common.cancel")}</a>
            </form>
        </section>
    }
}
