//! 添加客户: a plain form that posts to the server. A refused form comes back rendered by the
//! server with every typed value and a message next to each refused field.

use crate::api::customers::{
    load_customer_copy, load_customer_form, CustomerFormOptions, SubmittedCustomer,
};
use crate::components::form_check::ClientCheck;
use crate::components::person_field::PersonField;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::customer::CustomerForm;
use crate::model::customer::CustomerKind;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn CustomerNewPage() -> impl IntoView {
    // Present only when the server is answering a refused post; travels to the browser with
    // the page so hydration sees the same values.
    let submitted =
        SharedValue::new(|| use_context::<SubmittedCustomer>().unwrap_or_default()).into_inner();
    let options = Resource::new(|| (), |_| load_customer_form());
    // 复制: `?copy=<id>` starts from another customer's fields.
    let copy_of = use_query().with_untracked(|q| q.get("copy").and_then(|id| id.parse().ok()));
    let copied = Resource::new(
        move || copy_of,
        |id: Option<i64>| async move {
            match id {
                Some(id) => load_customer_copy(id).await.ok(),
                None => None,
            }
        },
    );
    view! {
        <section class="page">
            <h1>{t("customer.new")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {
                    let submitted = submitted.clone();
                    move || {
                        let submitted = submitted.clone();
                        Suspend::new(async move {
                            let copied = copied.await;
                            let submitted = match copied {
                                Some(form) if submitted.errors.is_empty() && submitted.form == Default::default() => {
                                    SubmittedCustomer { form, errors: Vec::new(), owner: None }
                                }
                                _ => submitted,
                            };
                            match options.await {
                                Ok(options) => view! {
                                    <CustomerFormView options submitted action=paths::CUSTOMER_NEW.path().to_owned()/>
                                }.into_any(),
                                Err(e) => crate::pages::status::refusal_page(e),
                            }
                        })
                    }
                }
            </Suspense>
        </section>
    }
}

/// The customer form, posting to `action`; `version` (for an edit) travels back with it.
#[component]
pub fn CustomerFormView(
    options: CustomerFormOptions,
    submitted: SubmittedCustomer,
    action: String,
    #[prop(optional)] version: Option<i64>,
) -> impl IntoView {
    let form = submitted.form.clone();
    let refused = !submitted.errors.is_empty();
    let check = ClientCheck::new();
    let server_errors = submitted.errors.clone();
    let error = move |field: &'static str| {
        let server_errors = server_errors.clone();
        move || {
            check.error(field, &server_errors).map(|key| {
                view! { <span class="field-error" role="alert">{t(&key)}</span> }
            })
        }
    };
    let registered_on = if form.registered_on.is_empty() && !refused {
        options.today.clone()
    } else {
        form.registered_on.clone()
    };
    let select = |name: &'static str, items: Vec<(i64, String)>, chosen: String| {
        view! {
            <select id=name name=name required>
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
    // 负责部门: what was chosen, else the default (my unit, or as stored). 负责人: what was
    // typed as the server found it, else the default (me, or as stored).
    let dept = if form.dept_id.is_empty() {
        options.default_dept.to_string()
    } else {
        form.dept_id.clone()
    };
    let owner = submitted
        .owner
        .clone()
        .unwrap_or_else(|| options.owner.clone());
    let assign_select = |name: &'static str, items: Vec<(i64, String)>, chosen: String| {
        view! {
            <select id=name name=name disabled=!options.can_assign>
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
    let kind_checked = |kind: CustomerKind| {
        form.kind == kind.code() || (form.kind.is_empty() && kind == CustomerKind::Potential)
    };
    view! {
        <form method="post" action=action class="record-form" novalidate
            on:submit=check.on_submit(|body| body.read::<CustomerForm>().parse().map(|_| ()))>
            {version.map(|v| view! { <input type="hidden" name="version" value=v.to_string()/> })}
            <div class="field">
                <label for="name">{t("customer.name")}<span class="required">"*"</span></label>
                <input id="name" name="name" type="text" required value=form.name.clone()/>
                {error("name")}
            </div>
            <div class="field">
                <label for="industry_id">{t("customer.industry")}<span class="required">"*"</span></label>
                {select("industry_id", options.industries.clone(), form.industry_id.clone())}
                {error("industry_id")}
            </div>
            <div class="field">
                <label for="level_id">{t("customer.level")}<span class="required">"*"</span></label>
                {select("level_id", options.levels.clone(), form.level_id.clone())}
                {error("level_id")}
            </div>
            <fieldset class="field">
                <legend>{t("customer.kind")}</legend>
                {[CustomerKind::Potential, CustomerKind::Transaction]
                    .into_iter()
                    .map(|kind| {
                        let id = format!("kind-{}", kind.code());
                        view! {
                            <label for=id.clone() class="inline">
                                <input id=id.clone() type="radio" name="kind" value=kind.code() checked=kind_checked(kind)/>
                                {t(kind.label_key())}
                            </label>
                        }
                    })
                    .collect_view()}
                {error("kind")}
            </fieldset>
            <div class="field">
                <label for="dept_id">{t("customer.dept")}</label>
                {assign_select("dept_id", options.depts.clone(), dept)}
                {error("dept_id")}
            </div>
            <PersonField id="owner" name="owner" id_name="owner_id" label="customer.owner"
                lookup=owner disabled=!options.can_assign/>
            {error("owner_id")}
            <div class="field">
                <label for="registered_on">{t("customer.registered_on")}</label>
                <input id="registered_on" name="registered_on" type="date" value=registered_on/>
                {error("registered_on")}
            </div>
            <div class="field">
                <label for="website">{t("customer.website")}</label>
                <input id="website" name="website" type="text" value=form.website.clone()/>
                {error("website")}
            </div>
            <div class="field">
                <label for="phone">{t("customer.phone")}</label>
                <input id="phone" name="phone" type="tel" value=form.phone.clone()/>
                {error("phone")}
            </div>
            <div class="field">
                <label for="fax">{t("customer.fax")}</label>
                <input id="fax" name="fax" type="tel" value=form.fax.clone()/>
                {error("fax")}
            </div>
            <div class="field">
                <label for="address">{t("customer.address")}</label>
                <input id="address" name="address" type="text" value=form.address.clone()/>
                {error("address")}
            </div>
            <div class="field">
                <label for="notes">{t("customer.notes")}</label>
                <TextArea id="notes" name="notes" rows=3 value=form.notes.clone()/>
                {error("notes")}
            </div>
            {error("")}
            <button type="submit" class="primary">{t("form.submit")}</button>
        </form>
    }
}
