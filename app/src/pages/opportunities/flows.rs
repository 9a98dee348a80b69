//! 签约 and 终止: their forms (签约信息; 终止原因), each sent to an approver the filer chooses
//! (提交审批). Plain form posts, refused ones shown again with what was typed; the browser
//! checks the same first. Also the fields of those forms, shared with the 任务处理页面 where a
//! returned 签约 / 终止 is resubmitted.

use super::fields::field_error;
use crate::api::opportunities::{load_flow_form, FlowFormOptions, SubmittedFlow};
use crate::components::attachment_field::AttachmentField;
use crate::components::form_check::ClientCheck;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::lifecycle::{SigningForm, TerminationForm};
use crate::model::opportunity::Flow;
use crate::model::AppError;
use crate::pages::status::record_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SignPage() -> impl IntoView {
    view! { <FlowPage flow=Flow::Signing/> }
}

#[component]
pub fn TerminatePage() -> impl IntoView {
    view! { <FlowPage flow=Flow::Termination/> }
}

#[component]
fn FlowPage(flow: Flow) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let options = Resource::new(id, move |id| async move {
        match id {
            Some(id) => load_flow_form(id, flow).await,
            None => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedFlow>).into_inner();
    record_page(options, move |o| {
        let submitted = submitted.clone();
        view! { <FlowForm flow o submitted/> }
    })
}

#[component]
fn FlowForm(flow: Flow, o: FlowFormOptions, submitted: Option<SubmittedFlow>) -> impl IntoView {
    let check = ClientCheck::new();
    let (signing, termination, errors) = match submitted {
        Some(s) => (s.signing, s.termination, s.errors),
        None => (o.signing.clone(), o.termination.clone(), Vec::new()),
    };
    let today = o.today.clone();
    let lost = o.lost_to_competitor;
    let on_submit = check.on_submit(move |body| {
        let today = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap_or_default();
        match flow {
            Flow::Signing => body.read::<SigningForm>().parse(today).map(|_| ()),
            _ => body.read::<TerminationForm>().parse(lost).map(|_| ()),
        }
    });
    let (title, action) = match flow {
        Flow::Signing => ("signing.title", paths::OPPORTUNITY_SIGN),
        _ => ("termination.title", paths::OPPORTUNITY_TERMINATE),
    };
    let fields = match flow {
        Flow::Signing => {
            view! { <SigningFields form=signing o=o.clone() errors=errors.clone() check/> }
                .into_any()
        }
        _ => {
            view! { <TerminationFields form=termination o=o.clone() errors=errors.clone() check/> }
                .into_any()
        }
    };
    let form_error = field_error(check, &errors, "");
    view! {
        <section class="page">
            <h1>{t(title)}"："{o.opportunity_name.clone()}</h1>
            <form method="post" action=action.of(o.opportunity_id)
                enctype="multipart/form-data" class="record-form" novalidate on:submit=on_submit>
                {fields}
                {form_error}
                <div class="actions">
                    <button type="submit" class="primary">{t("opportunity.submit")}</button>
                    <a href=paths::OPPORTUNITY.of(o.opportunity_id) class="button secondary">{t("common.cancel")}</a>
                </div>
            </form>
        </section>
    }
}

fn approver_select(
    o: &FlowFormOptions,
    chosen: &str,
    error: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="approver_id">{t("opportunity.approver")}<span class="required">"*"</span></label>
            <select id="approver_id" name="approver_id">
                <option value="">{t("form.choose")}</option>
                {o.approvers
                    .iter()
                    .map(|(id, name)| {
                        let selected = chosen == id.to_string();
                        view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            {error}
        </div>
    }
}

/// 签约信息 with the approver.
#[component]
pub fn SigningFields(
    form: SigningForm,
    o: FlowFormOptions,
    errors: Vec<FieldError>,
    check: ClientCheck,
) -> impl IntoView {
    let error = |field: &'static str| field_error(check, &errors, field);
    let input = |name: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: String,
                 required: bool| {
        view! {
            <div class="field">
                <label for=name>{t(label)}{required.then(|| view! { <span class="required">"*"</span> })}</label>
                <input id=name name=name type=kind value=value/>
                {error(name)}
            </div>
        }
    };
    view! {
        {input("contract_no", "signing.contract_no", "text", form.contract_no.clone(), true)}
        {input("amount", "signing.amount", "text", form.amount.clone(), true)}
        {input("signed_on", "signing.signed_on", "date", form.signed_on.clone(), true)}
        {input("term", "signing.term", "text", form.term.clone(), false)}
        <div class="field">
            <label for="notes">{t("signing.notes")}</label>
            <TextArea id="notes" name="notes" rows=3 value=form.notes.clone()/>
            {error("notes")}
        </div>
        <AttachmentField
            held_id=form.attachment_id.clone()
            held_name=form.attachment_name.clone()
            error=error("attachment")
        />
        {approver_select(&o, &form.approver_id, error("approver_id"))}
    }
}

/// 终止原因 with the approver.
#[component]
pub fn TerminationFields(
    form: TerminationForm,
    o: FlowFormOptions,
    errors: Vec<FieldError>,
    check: ClientCheck,
) -> impl IntoView {
    let error = |field: &'static str| field_error(check, &errors, field);
    let select = |name: &'static str, items: &[(i64, String)], chosen: &str| {
        let chosen = chosen.to_owned();
        view! {
            <select id=name name=name>
                <option value="">{t("form.choose")}</option>
                {items
                    .iter()
                    .map(|(id, label)| {
                        let selected = chosen == id.to_string();
                        view! { <option value=id.to_string() selected=selected>{label.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    view! {
        <div class="field">
            <label for="reason_id">{t("termination.reason")}<span class="required">"*"</span></label>
            {select("reason_id", &o.reasons, &form.reason_id)}
            {error("reason_id")}
        </div>
        <div class="field">
            <label for="competitor_id">{t("termination.competitor")}</label>
            {select("competitor_id", &o.competitors, &form.competitor_id)}
            {error("competitor_id")}
        </div>
        <div class="field">
            <label for="reason_text">{t("termination.text")}<span class="required">"*"</span></label>
            <TextArea id="reason_text" name="reason_text" rows=3 value=form.reason_text.clone()/>
            {error("reason_text")}
        </div>
        {approver_select(&o, &form.approver_id, error("approver_id"))}
    }
}
