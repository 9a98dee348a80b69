//! 报备商机: the form of a new opportunity. 保存 keeps a draft only its filer sees; 提交审批
//! sends it to the chosen approver. A plain form post: a refused one comes back from the server
//! with everything typed and a message by each field; the browser checks the same first.

use super::fields::{field_error, OpportunityFields};
use crate::api::opportunities::{load_opportunity_form, OpportunityForm, SubmittedOpportunity};
use crate::components::form_check::ClientCheck;
use crate::i18n::t;
use crate::model::opportunity_form::OpportunityPost;
use crate::pages::status::refusal_page;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn OpportunityNewPage() -> impl IntoView {
    let submitted =
        SharedValue::new(|| use_context::<SubmittedOpportunity>().unwrap_or_default()).into_inner();
    let asked = (
        submitted.customer_query.clone(),
        submitted.form.customer_ids.join(","),
    );
    let options = Resource::new(
        move || asked.clone(),
        |(query, chosen)| load_opportunity_form(query, chosen),
    );
    view! {
        <section class="page">
            <h1>{t("opportunity.new")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {
                    let submitted = submitted.clone();
                    move || {
                        let submitted = submitted.clone();
                        Suspend::new(async move {
                            match options.await {
                                Ok(options) => view! { <FilingForm submitted options/> }.into_any(),
                                Err(e) => refusal_page(e),
                            }
                        })
                    }
                }
            </Suspense>
        </section>
    }
}

#[component]
fn FilingForm(
    submitted: SubmittedOpportunity,
    options: crate::api::opportunities::OpportunityFormOptions,
) -> impl IntoView {
    let check = ClientCheck::new();
    let approver_error = field_error(check, &submitted.errors, "approver_id");
    let form_error = field_error(check, &submitted.errors, "");
    let approvers = options.approvers.clone();
    // Nobody approves here yet (审批配置): say whom to ask rather than leave an empty choice.
    let ask_instead = (!options.ask_instead.is_empty()).then(|| {
        let names = options.ask_instead.join("、");
        view! { <p class="hint" role="note">{t("opportunity.ask_instead")}{names}</p> }
    });
    let chosen_approver = submitted.form.approver_id.clone();
    // 查找客户 / 选择 / 移除 and 保存 are not 提交审批: only the latter needs an approver.
    let on_submit = check.on_submit(|body| {
        let post: OpportunityPost = body.read();
        match post.action.as_str() {
            _ if post.is_search_step() => Ok(()),
            "submit" => body.read::<OpportunityForm>().parse(true).map(|_| ()),
            "save" => body.read::<OpportunityForm>().parse(false).map(|_| ()),
            _ => Ok(()),
        }
    });
    view! {
        <form method="post" action=paths::OPPORTUNITY_NEW.path() class="record-form" novalidate on:submit=on_submit>
            // Enter in a field is 查找客户 (nothing lost), never 移除 or 提交审批.
            <button type="submit" name="action" value="find" class="default-action"
                tabindex="-1" aria-hidden="true" formnovalidate>{t("opportunity.find_customer")}</button>
            <OpportunityFields
                form=submitted.form.clone()
                options
                errors=submitted.errors.clone()
                check
                customers_editable=true
                customer_query=submitted.customer_query.clone()
            />
            <div class="field">
                <label for="approver_id">{t("opportunity.approver")}<span class="required">"*"</span></label>
                <select id="approver_id" name="approver_id">
                    <option value="">{t("form.choose")}</option>
                    {approvers
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = chosen_approver == id.to_string();
                            view! { <option value=id.to_string() selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
                {approver_error}
                {ask_instead}
            </div>
            {form_error}
            <div class="actions">
                <button type="submit" name="action" value="submit" class="primary">{t("opportunity.submit")}</button>
                <button type="submit" name="action" value="save" class="secondary">{t("opportunity.save")}</button>
            </div>
        </form>
    }
}
