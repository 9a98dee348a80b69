//! 新建联系人 and editing a 联系人: plain form posts; a refused form comes back with what was
//! typed.

use crate::api::customers::{load_contact_edit, load_customer_edit, SubmittedContact};
use crate::components::form_check::ClientCheck;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::customer::{ContactForm, FieldError};
use crate::model::AppError;
use crate::pages::status::refusal_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What the server put into context when it re-renders a refused post.
fn submitted() -> Option<SubmittedContact> {
    SharedValue::new(use_context::<SubmittedContact>).into_inner()
}

#[component]
pub fn ContactNewPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let submitted = submitted().unwrap_or_default();
    // The form only for who may change the customer (its post checks the same): for anyone
    // else the page answers as for a customer that does not exist.
    let allowed = Resource::new(
        move || id.clone(),
        |id| async move {
            match id.parse::<i64>() {
                Ok(id) => load_customer_edit(id).await.map(|_| id),
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
            {
                let submitted = submitted.clone();
                move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                        match allowed.await {
                            Ok(id) => view! {
                                <section class="page">
                                    <h1>{t("contact.new")}</h1>
                                    <ContactFormView
                                        action=paths::CUSTOMER_CONTACT_NEW.of(id)
                                        cancel=paths::CUSTOMER.of(id)
                                        form=submitted.form
                                        errors=submitted.errors
                                    />
                                </section>
                            }
                            .into_any(),
                            Err(e) => refusal_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
pub fn ContactEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let submitted = submitted();
    let edit = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_contact_edit(id).await.map(|e| (id, e)),
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
            {
                let submitted = submitted.clone();
                move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                        match edit.await {
                            Ok((id, edit)) => {
                                let shown = submitted.unwrap_or(SubmittedContact {
                                    form: edit.form,
                                    errors: Vec::new(),
                                });
                                view! {
                                    <section class="page">
                                        <h1>{t("contact.edit")}</h1>
                                        <ContactFormView
                                            action=paths::CONTACT_EDIT.of(id)
                                            cancel=paths::CUSTOMER.of(edit.customer_id)
                                            form=shown.form
                                            errors=shown.errors
                                        />
                                    </section>
                                }
                                .into_any()
                            }
                            Err(e) => refusal_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn ContactFormView(
    action: String,
    cancel: String,
    form: ContactForm,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let check = ClientCheck::new();
    let error = move |field: &'static str| {
        let errors = errors.clone();
        move || {
            check
                .error(field, &errors)
                .map(|key| view! { <span class="field-error" role="alert">{t(&key)}</span> })
        }
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
        <form method="post" action=action class="record-form" novalidate
            on:submit=check.on_submit(|body| body.read::<ContactForm>().parse().map(|_| ()))>
            {field("name", "contact.name", "text", form.name.clone(), true)}
            {field("title", "contact.title", "text", form.title.clone(), false)}
            {field("department", "contact.department", "text", form.department.clone(), false)}
            {field("phone", "customer.phone", "tel", form.phone.clone(), false)}
            {field("mobile", "contact.mobile", "tel", form.mobile.clone(), false)}
            {field("email", "contact.email", "email", form.email.clone(), false)}
            <div class="field">
                <label for="notes">{t("customer.notes")}</label>
                <TextArea id="notes" name="notes" rows=3 value=form.notes.clone()/>
                {error("notes")}
            </div>
            {error("")}
            <button type="submit" class="primary">{t("form.submit")}</button>
            " "
            <a href=cancel class="button secondary">{t("common.cancel")}</a>
        </form>
    }
}
