//! 编辑 an opportunity: its filer, while it is a draft, returned or active and nobody is
//! deciding (an approver edits on the 任务处理页面). A save over a newer version is refused with
//! 「数据已被他人修改」, keeping what was typed.

use super::fields::{field_error, OpportunityFields};
use crate::api::opportunities::{load_opportunity_edit, OpportunityForm, SubmittedOpportunity};
use crate::components::form_check::ClientCheck;
use crate::i18n::t;
use crate::model::posted::Action;
use crate::model::AppError;
use crate::pages::status::refusal_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OpportunityEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let submitted = SharedValue::new(use_context::<SubmittedOpportunity>).into_inner();
    let asked = submitted
        .as_ref()
        .map(|s| (s.customer_query.clone(), s.form.customer_ids.join(",")))
        .unwrap_or_default();
    let edit = Resource::new(
        move || (id(), asked.clone()),
        |(id, (query, chosen))| async move {
            match id {
                Some(id) => load_opportunity_edit(id, query, chosen).await,
                None => Err(AppError::NotFound),
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
                        match edit.await {
                            Ok(edit) => {
                                // A form shown again keeps what was typed, not what is stored.
                                let shown = submitted.unwrap_or(SubmittedOpportunity {
                                    form: edit.form.clone(),
                                    ..Default::default()
                                });
                                view! { <EditForm edit shown/> }.into_any()
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
fn EditForm(
    edit: crate::api::opportunities::OpportunityEdit,
    shown: SubmittedOpportunity,
) -> impl IntoView {
    let check = ClientCheck::new();
    let form_error = field_error(check, &shown.errors, "");
    let on_submit = check.on_submit(|body| {
        if body.read::<Action>().action == "save" {
            body.read::<OpportunityForm>().parse(false).map(|_| ())
        } else {
            Ok(())
        }
    });
    view! {
        <section class="page">
            <h1>{t("opportunity.edit")}</h1>
            <form method="post" action=paths::OPPORTUNITY_EDIT.of(edit.id) class="record-form"
                novalidate on:submit=on_submit>
                <button type="submit" name="action" value="find" class="default-action"
                    tabindex="-1" aria-hidden="true" formnovalidate>{t("opportunity.find_customer")}</button>
                <input type="hidden" name="version" value=edit.version.to_string()/>
                <OpportunityFields
                    form=shown.form.clone()
                    options=edit.options.clone()
                    errors=shown.errors.clone()
                    check
                    customers_editable=true
                    customer_query=shown.customer_query.clone()
                    locked=edit.locked.clone()
                />
                {form_error}
                <div class="actions">
                    <button type="submit" name="action" value="save" class="primary">{t("opportunity.save")}</button>
                    <a href=paths::OPPORTUNITY.of(edit.id) class="button secondary">{t("common.cancel")}</a>
                </div>
            </form>
        </section>
    }
}
