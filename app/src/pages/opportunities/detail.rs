//! 商机详细: every field, the status, who it waits for, and the 审批记录 (审批人, 时间, 审批结果,
//! 审批意见, what an approver changed). A draft's filer submits it from here.

use super::fields::field_error;
use crate::api::activities::ActivityTarget;
use crate::api::activity_list::record_activities;
use crate::api::opportunities::{
    load_opportunity, OpportunityView, RecordView, SubmittedOpportunity,
};
use crate::components::form_check::ClientCheck;
use crate::components::live::Live;
use crate::components::share_panel::SharePanel;
use crate::i18n::t;
use crate::model::share::SubmittedShare;
use crate::model::AppError;
use crate::pages::activities::list::Activities;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OpportunityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let live = Live::revision();
    let query = use_query();
    let filter = move || query.with(crate::pages::activities::list::filter_of);
    let record = Resource::new(
        move || (id(), live.get(), filter()),
        |(id, _, filter)| async move {
            let Some(id) = id else {
                return Err(AppError::NotFound);
            };
            let mut o = load_opportunity(id).await?;
            // The page's default list came with it; a filtered one is asked for apart.
            if filter != Default::default() {
                o.activities = record_activities(ActivityTarget::Opportunity(id), filter).await?;
            }
            Ok(o)
        },
    );
    let submitted =
        SharedValue::new(|| use_context::<SubmittedOpportunity>().unwrap_or_default()).into_inner();
    let share = SharedValue::new(use_context::<SubmittedShare>).into_inner();
    let flash = use_query().with_untracked(|q| {
        if q.get("filed").is_some() {
            Some("opportunity.filed")
        } else if q.get("submitted").is_some() {
            Some("opportunity.submitted")
        } else if q.get("saved").is_some() {
            Some("opportunity.saved")
        } else {
            None
        }
    });
    record_page(record, move |o| {
        view! { <Detail o flash submitted=submitted.clone() share=share.clone()/> }
    })
}

#[component]
fn Detail(
    o: OpportunityView,
    flash: Option<&'static str>,
    submitted: SubmittedOpportunity,
    share: Option<SubmittedShare>,
) -> impl IntoView {
    let row = |key: &'static str, value: Option<String>| {
        view! {
            <div class="info-row">
                <dt>{t(key)}</dt>
                <dd>{value.unwrap_or_default()}</dd>
            </div>
        }
    };
    let customers = o
        .customers
        .iter()
        .map(|(_, name)| name.clone())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <section class="page opportunity-page">
            {flash.map(|key| view! { <p class="flash" role="status">{t(key)}</p> })}
            <div class="page-head">
                <h1>{o.name.clone()}</h1>
                <span class="status">{t(o.status.label_key())}</span>
            </div>
            <div class="actions no-print">
                {o.my_task.map(|task| view! {
                    <a href=paths::TASK.of(task) class="button">{t("opportunity.open_task")}</a>
                })}
                {o.can_open_edit.then(|| view! {
                    <a href=paths::OPPORTUNITY_EDIT.of(o.id) class="button secondary">{t("common.edit")}</a>
                })}
                <a href=paths::OPPORTUNITY_EVALUATION.of(o.id) class="button secondary">{t("evaluation.title")}</a>
            </div>
            <dl class="info-grid">
                {row("opportunity.customers", Some(customers))}
                {row("opportunity.business_type", Some(o.business_type.clone()))}
                {row("opportunity.level", Some(t(o.level.label_key()).to_owned()))}
                {row("opportunity.org_unit", Some(o.org_unit.clone()))}
                {row("opportunity.owner", Some(o.owner.clone()))}
                {row("opportunity.status", Some(t(o.status.label_key()).to_owned()))}
                {row("opportunity.stage", Some(t(o.stage.label_key()).to_owned()))}
                {row("opportunity.waiting_for", o.waiting_for.clone())}
                {row("opportunity.expected_amount", o.expected_amount.clone())}
                {row("opportunity.expected_sign_date", o.expected_sign_date.clone())}
                {row("opportunity.win_probability", o.win_probability.map(|p| format!("{p}%")))}
                {row("evaluation.title", o.evaluation.as_ref().map(super::evaluation::summary_text))}
                {row("opportunity.competitors", Some(o.competitors.join("、")))}
                {row("opportunity.created_on", Some(o.created_at.clone()))}
                {row("opportunity.description", o.description.clone())}
            </dl>
            {o.can_submit.then(|| view! { <SubmitDraft o=o.clone() submitted=submitted.clone()/> }.into_any())}
            {view! { <Lifecycle o=o.clone() errors=submitted.errors.clone()/> }.into_any()}
            {o.sharing.clone().map(|sharing| view! { <SharePanel sharing submitted=share.clone()/> })}
            {o.order.clone().map(|panel| view! { <crate::pages::milestones::OrderPanelView opportunity_id=o.id panel/> }.into_any())}
            {view! { <crate::pages::quotes::QuotesPanel opportunity_id=o.id panel=o.quotes.clone()/> }.into_any()}
            {view! { <Activities list=o.activities.clone() target=ActivityTarget::Opportunity(o.id)/> }.into_any()}
            {view! { <crate::components::record_files::FilesPanel files=o.files.clone() post_to=crate::paths::OPPORTUNITY_FILES.of(o.id)/> }.into_any()}
            <Records records=o.records.clone()/>
        </section>
    }
}

/// 阶段处理 (for the owner of an active opportunity), the stage history, and the 签约信息 /
/// 终止原因 last submitted.
#[component]
pub fn Lifecycle(
    o: OpportunityView,
    errors: Vec<crate::model::customer::FieldError>,
) -> impl IntoView {
    use crate::model::opportunity::Stage;
    let check = ClientCheck::new();
    let stage_error = field_error(check, &errors, "stage");
    let move_form = o.can_move_stage.then(|| {
        let options = Stage::ALL
            .iter()
            .map(|s| (s.code(), s.label_key()))
            .chain([("sign", "stage.sign"), ("terminate", "stage.terminate")])
            .map(|(code, key)| {
                let selected = code == o.stage.code();
                view! { <option value=code selected=selected>{t(key)}</option> }
            })
            .collect_view();
        view! {
            <form method="post" action=paths::OPPORTUNITY_STAGE.of(o.id) class="query-form no-print">
                <input type="hidden" name="version" value=o.version.to_string()/>
                <div class="field">
                    <label for="stage">{t("stage.move")}</label>
                    <select id="stage" name="stage">{options}</select>
                    {stage_error}
                </div>
                <button type="submit" class="primary">{t("form.submit")}</button>
            </form>
        }
    });
    let history = o
        .stage_history
        .iter()
        .map(|m| {
            let (from, to) = (t(m.from.label_key()), t(m.to.label_key()));
            let line = format!("{} {}：{from} → {to}", m.at, m.by);
            view! { <li>{line}</li> }
        })
        .collect_view();
    let signing = o.signing.clone().map(|s| view! {
        <div class="panel">
            <div class="panel-head"><h2>{t("signing.title")}</h2></div>
            <dl class="info-grid panel-body">
                <div class="info-row"><dt>{t("signing.contract_no")}</dt><dd>{s.contract_no}</dd></div>
                <div class="info-row"><dt>{t("signing.amount")}</dt><dd>{s.amount}</dd></div>
                <div class="info-row"><dt>{t("signing.signed_on")}</dt><dd>{s.signed_on}</dd></div>
                <div class="info-row"><dt>{t("signing.term")}</dt><dd>{s.term.unwrap_or_default()}</dd></div>
                <div class="info-row"><dt>{t("signing.notes")}</dt><dd>{s.notes.unwrap_or_default()}</dd></div>
                <div class="info-row"><dt>{t("signing.attachment")}</dt><dd>
                    {s.attachment.map(|(id, name)| view! { <a href=paths::ATTACHMENT.of(id) class="attachment" rel="external" download>{name}</a> })}
                </dd></div>
            </dl>
        </div>
    });
    let termination = o.termination.clone().map(|e| view! {
        <div class="panel">
            <div class="panel-head"><h2>{t("termination.title")}</h2></div>
            <dl class="info-grid panel-body">
                <div class="info-row"><dt>{t("termination.reason")}</dt><dd>{e.reason}</dd></div>
                <div class="info-row"><dt>{t("termination.competitor")}</dt><dd>{e.competitor.unwrap_or_default()}</dd></div>
                <div class="info-row"><dt>{t("termination.text")}</dt><dd>{e.text}</dd></div>
            </dl>
        </div>
    });
    let edits = o
        .edits
        .iter()
        .map(|e| {
            let (at, who) = (&e.at, &e.actor);
            let what = e
                .changes
                .iter()
                .map(|(key, before, after)| format!("{}：{} → {}", t(key), before, after))
                .collect::<Vec<_>>()
                .join("；");
            let line = format!("{at} {who}：{what}");
            view! { <li>{line}</li> }
        })
        .collect_view();
    let has_edits = !o.edits.is_empty();
    view! {
        {has_edits.then(|| view! {
            <div class="panel" id="edits">
                <div class="panel-head"><h2>{t("opportunity.edits")}</h2></div>
                <ul class="panel-body edit-history">{edits}</ul>
            </div>
        })}
        <div class="panel" id="stages">
            <div class="panel-head"><h2>{t("stage.history")}</h2></div>
            <div class="panel-body">
                {move_form}
                <ul class="stage-history">{history}</ul>
            </div>
        </div>
        {signing}
        {termination}
    }
}

/// A draft's 提交审批, choosing the approver.
#[component]
fn SubmitDraft(o: OpportunityView, submitted: SubmittedOpportunity) -> impl IntoView {
    let check = ClientCheck::new();
    let error = field_error(check, &submitted.errors, "approver_id");
    let form_error = field_error(check, &submitted.errors, "");
    view! {
        <form method="post" action=paths::OPPORTUNITY_SUBMIT.of(o.id) class="panel record-form">
            <div class="field">
                <label for="approver_id">{t("opportunity.approver")}<span class="required">"*"</span></label>
                <select id="approver_id" name="approver_id" required>
                    <option value="">{t("form.choose")}</option>
                    {o.approvers
                        .iter()
                        .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
                        .collect_view()}
                </select>
                {error}
                {(!o.ask_instead.is_empty()).then(|| view! {
                    <p class="hint" role="note">{t("opportunity.ask_instead")}{o.ask_instead.join("、")}</p>
                })}
            </div>
            {form_error}
            <button type="submit" class="primary">{t("opportunity.submit")}</button>
        </form>
    }
}

/// 审批记录, oldest first.
#[component]
pub fn Records(records: Vec<RecordView>) -> impl IntoView {
    view! {
        <div class="panel">
            <div class="panel-head"><h2>{t("opportunity.records")}</h2></div>
            <div class="panel-body table-wrap">
                {if records.is_empty() {
                    view! { <p class="notice">{t("opportunity.no_records")}</p> }.into_any()
                } else {
                    view! {
                        <table class="list records">
                            <thead>
                                <tr>
                                    <th scope="col">{t("record.actor")}</th>
                                    <th scope="col">{t("record.at")}</th>
                                    <th scope="col">{t("record.result")}</th>
                                    <th scope="col">{t("record.opinion")}</th>
                                    <th scope="col">{t("record.changes")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {records
                                    .into_iter()
                                    .map(|r| {
                                        let changes = r
                                            .changes
                                            .iter()
                                            .map(|(key, before, after)| format!("{}：{} → {}", t(key), before, after))
                                            .collect::<Vec<_>>()
                                            .join("；");
                                        let result = match &r.next_approver {
                                            Some(next) => format!("{}（{}{}）", t(r.kind.label_key()), t("task.next_approver"), next),
                                            None => t(r.kind.label_key()).to_owned(),
                                        };
                                        view! {
                                            <tr>
                                                <td>{r.actor}</td>
                                                <td>{r.at}</td>
                                                <td>{result}</td>
                                                <td class="wrap">{r.opinion.unwrap_or_default()}</td>
                                                <td class="wrap">{changes}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </div>
        </div>
    }
}
