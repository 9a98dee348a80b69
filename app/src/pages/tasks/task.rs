//! 任务处理页面: the opportunity (its fields editable by the one acting), its 审批记录, and the
//! action: an approver's 审批意见 and 审批结果, or, for a returned step, the filer's 重新提交
//! (choosing the approver again) or 作废. A task already handled shows what became of it.

use crate::api::opportunities::{load_task, OpportunityForm, SubmittedDecision, TaskView};
use crate::components::form_check::ClientCheck;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::opportunity::{Decision, Flow, TaskKind};
use crate::model::opportunity_form::DecisionPost;
use crate::model::AppError;
use crate::pages::opportunities::detail::{Lifecycle, Records};
use crate::pages::opportunities::fields::{field_error, OpportunityFields};
use crate::pages::opportunities::flows::{SigningFields, TerminationFields};
use crate::pages::status::record_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let task = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_task(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedDecision>).into_inner();
    record_page(task, move |v| {
        let submitted = submitted.clone();
        view! { <TaskBody v submitted/> }
    })
}

#[component]
fn TaskBody(v: TaskView, submitted: Option<SubmittedDecision>) -> impl IntoView {
    let o = v.opportunity.clone();
    let action = if !v.open {
        // A decision posted after someone else's (another tab, another approver) is refused:
        // say so, rather than the note the winner sees.
        let refused = submitted.is_some();
        view! { <Handled v=v.clone() refused/> }.into_any()
    } else if v.kind == TaskKind::Returned && v.flow_options.is_some() {
        view! { <ReturnedFlow v=v.clone() submitted=submitted.clone()/> }.into_any()
    } else if v.kind == TaskKind::Returned {
        view! { <Returned v=v.clone() submitted=submitted.clone()/> }.into_any()
    } else {
        view! { <Decide v=v.clone() submitted=submitted.clone()/> }.into_any()
    };
    view! {
        <section class="page task-page">
            <div class="page-head">
                <h1>{t("task.page")}"："{o.name.clone()}</h1>
                <span class="status">{t(v.flow.label_key())}" · "{t(o.status.label_key())}</span>
            </div>
            <p><a href=paths::OPPORTUNITY.of(o.id)>{t("opportunity.detail")}</a></p>
            {action}
            {view! { <Lifecycle o=o.clone() errors=Vec::new()/> }.into_any()}
            <Records records=o.records.clone()/>
        </section>
    }
}

/// A task already handled: what became of it.
#[component]
fn Handled(v: TaskView, refused: bool) -> impl IntoView {
    let note = if refused {
        view! { <p class="form-error" role="alert">{t("task.not_recorded")}</p> }.into_any()
    } else {
        view! { <p class="flash" role="status">{t("task.handled")}</p> }.into_any()
    };
    view! {
        <div class="panel">
            <div class="panel-body">
                {note}
                {v.next_approver.map(|name| view! {
                    <p class="next-approver">{t("task.next_approver")}{name}</p>
                })}
            </div>
        </div>
    }
}

/// The approver's decision.
#[component]
fn Decide(v: TaskView, submitted: Option<SubmittedDecision>) -> impl IntoView {
    let check = ClientCheck::new();
    let (form, decision, opinion, errors) = match submitted {
        Some(s) => (s.form, s.decision, s.opinion, s.errors),
        None => (v.form.clone(), String::new(), String::new(), Vec::new()),
    };
    let opinion_error = field_error(check, &errors, "opinion");
    let decision_error = field_error(check, &errors, "decision");
    let form_error = field_error(check, &errors, "");
    let forward_to = v.forward_to.clone().unwrap_or_default();
    let prompt = format!("{}{}", t("task.forward_prompt"), forward_to);
    // 「通过，报总经理继续审批」 shows who it goes to before it is sent (the manual's 提示框).
    let confirm_prompt = prompt.clone();
    let on_submit = check.on_submit(move |body| {
        body.read::<OpportunityForm>().parse(false)?;
        let forward = body.read::<DecisionPost>().decision == Decision::ApproveForward.code();
        if forward && !confirm(&confirm_prompt) {
            return Err(Vec::new());
        }
        Ok(())
    });
    view! {
        <form method="post" action=paths::TASK.of(v.task_id) class="record-form" novalidate on:submit=on_submit>
            <OpportunityFields form options=v.options.clone() errors=errors.clone() check/>
            <div class="field">
                <label for="opinion">{t("task.opinion")}</label>
                <TextArea id="opinion" name="opinion" rows=3 value=opinion/>
                {opinion_error}
            </div>
            <fieldset class="field decisions">
                <legend>{t("task.decision")}<span class="required">"*"</span></legend>
                {v.decisions
                    .iter()
                    .map(|&d| {
                        let id = format!("decision-{}", d.code());
                        let checked = decision == d.code();
                        let hint = (d == Decision::ApproveForward).then(|| view! {
                            <span class="hint">"（"{prompt.clone()}"）"</span>
                        });
                        view! {
                            <label for=id.clone() class="inline">
                                <input id=id.clone() type="radio" name="decision" value=d.code() checked=checked/>
                                {t(d.label_key())}
                                {hint}
                            </label>
                        }
                    })
                    .collect_view()}
                {decision_error}
            </fieldset>
            {form_error}
            <button type="submit" class="primary">{t("form.submit")}</button>
        </form>
    }
}

/// A returned step: 重新提交 (with edits, choosing the approver) or 作废.
#[component]
fn Returned(v: TaskView, submitted: Option<SubmittedDecision>) -> impl IntoView {
    let check = ClientCheck::new();
    let (form, errors) = match submitted {
        Some(s) => (s.form, s.errors),
        None => (v.form.clone(), Vec::new()),
    };
    let approver_error = field_error(check, &errors, "approver_id");
    let form_error = field_error(check, &errors, "");
    let chosen = form.approver_id.clone();
    let on_submit = check.on_submit(|body| body.read::<OpportunityForm>().parse(true).map(|_| ()));
    view! {
        <form method="post" action=paths::TASK_RESUBMIT.of(v.task_id) class="record-form" novalidate on:submit=on_submit>
            <OpportunityFields form options=v.options.clone() errors=errors.clone() check/>
            <div class="field">
                <label for="approver_id">{t("opportunity.approver")}<span class="required">"*"</span></label>
                <select id="approver_id" name="approver_id">
                    <option value="">{t("form.choose")}</option>
                    {v.options
                        .approvers
                        .iter()
                        .map(|(id, name)| {
                            let selected = chosen == id.to_string();
                            view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
                        })
                        .collect_view()}
                </select>
                {approver_error}
            </div>
            {form_error}
            <button type="submit" class="primary">{t("task.resubmit")}</button>
        </form>
        {(v.flow == Flow::Filing).then(|| view! {
            // A confirmation that needs no JavaScript: 作废 opens it, 确定 voids.
            <details class="void">
                <summary class="button secondary">{t("task.void")}</summary>
                <form method="post" action=paths::TASK_VOID.of(v.task_id) class="confirm">
                    <p>{t("task.void_confirm")}</p>
                    <button type="submit" class="primary danger">{t("common.confirm")}</button>
                </form>
            </details>
        })}
    }
}

/// A returned 签约 / 终止: its form again (重新提交, choosing the approver) or 撤回 (it stays
/// active).
#[component]
fn ReturnedFlow(v: TaskView, submitted: Option<SubmittedDecision>) -> impl IntoView {
    use crate::model::lifecycle::{SigningForm, TerminationForm};
    let check = ClientCheck::new();
    let o = v.flow_options.clone().unwrap_or_default();
    let (signing, termination, errors) = match submitted {
        Some(s) => (s.signing, s.termination, s.errors),
        None => (o.signing.clone(), o.termination.clone(), Vec::new()),
    };
    let form_error = field_error(check, &errors, "");
    let signing_flow = v.flow == Flow::Signing;
    let today = o.today.clone();
    let lost = o.lost_to_competitor;
    let on_submit = check.on_submit(move |body| {
        let today = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap_or_default();
        if signing_flow {
            body.read::<SigningForm>().parse(today).map(|_| ())
        } else {
            body.read::<TerminationForm>().parse(lost).map(|_| ())
        }
    });
    let fields = if signing_flow {
        view! { <SigningFields form=signing o=o.clone() errors=errors.clone() check/> }.into_any()
    } else {
        view! { <TerminationFields form=termination o=o.clone() errors=errors.clone() check/> }
            .into_any()
    };
    view! {
        <form method="post" action=paths::TASK_RESUBMIT.of(v.task_id) enctype="multipart/form-data" class="record-form" novalidate on:submit=on_submit>
            {fields}
            {form_error}
            <button type="submit" class="primary">{t("task.resubmit")}</button>
        </form>
        <form method="post" action=paths::TASK_WITHDRAW.of(v.task_id) class="inline-form">
            <button type="submit" class="secondary">{t("task.withdraw")}</button>
        </form>
    }
}

/// The browser's confirmation box (always yes before hydration, where this never runs).
fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(message).ok())
            .unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        true
    }
}
