//! 商机评估: the manual's two checklists as radio groups (是 / 否 / 不清楚) with a note each, the
//! score and suggestion they give; a plain form, so it works without JavaScript.

use crate::api::evaluations::{
    load_evaluation, EvaluationSummary, EvaluationView, SubmittedEvaluation,
};
use crate::i18n::t;
use crate::model::evaluation::{FOLLOW_FROM, QUESTIONS};
use crate::model::AppError;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// 「75 分 · 建议跟进」.
pub fn summary_text(s: &EvaluationSummary) -> String {
    format!(
        "{} {} · {}",
        s.score,
        t("evaluation.points"),
        t(s.suggestion.label_key())
    )
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let record = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_evaluation(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedEvaluation>).into_inner();
    let saved = use_query().with_untracked(|q| q.get("saved").is_some());
    record_page(record, move |e| {
        view! { <EvaluationForm e submitted=submitted.clone() saved/> }
    })
}

#[component]
fn EvaluationForm(
    e: EvaluationView,
    submitted: Option<SubmittedEvaluation>,
    saved: bool,
) -> impl IntoView {
    let errors = submitted
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    // What was posted, when a post was refused; the stored answers otherwise.
    let posted = submitted.map(|s| s.pairs);
    let value = |name: String, stored: &str| match &posted {
        Some(pairs) => pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        None => stored.to_owned(),
    };
    let disabled = !e.can_edit;
    let group = |stage: bool| {
        e.answers
            .iter()
            .zip(QUESTIONS.iter())
            .filter(|(_, (_, s))| *s == stage)
            .map(|((code, answer, note), _)| {
                let chosen = value(format!("q_{code}"), answer);
                let note = value(format!("n_{code}"), note);
                let error = errors
                    .iter()
                    .find(|x| x.field == format!("q_{code}") || x.field == format!("n_{code}"))
                    .map(|x| view! { <span class="field-error" role="alert">{t(&x.key)}</span> });
                let options = [
                    ("yes", "evaluation.yes"),
                    ("no", "evaluation.no"),
                    ("unknown", "evaluation.unknown"),
                ]
                .into_iter()
                .map(|(v, key)| {
                    let id = format!("q_{code}_{v}");
                    view! {
                        <label for=id.clone() class="inline">
                            <input type="radio" id=id.clone() name=format!("q_{code}") value=v
                                checked=chosen == v disabled=disabled/>
                            {t(key)}
                        </label>
                    }
                })
                .collect_view();
                let note_id = format!("n_{code}");
                view! {
                    <fieldset class="field evaluation-question">
                        <legend>{t(&format!("evaluation.q.{code}"))}</legend>
                        {options}
                        <label for=note_id.clone() class="sr-only">{t("evaluation.note")}</label>
                        <input id=note_id.clone() name=note_id placeholder=t("evaluation.note")
                            value=note maxlength="500" disabled=disabled/>
                        {error}
                    </fieldset>
                }
            })
            .collect_view()
    };
    let general = errors
        .iter()
        .filter(|x| x.field.is_empty())
        .map(|x| view! { <p class="error" role="alert">{t(&x.key)}</p> })
        .collect_view();
    let back = paths::OPPORTUNITY.of(e.opportunity_id);
    view! {
        <section class="page evaluation">
            <h1>{t("evaluation.title")}"："{e.opportunity_name.clone()}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{t("evaluation.saved")}</p> })}
            <p class="evaluation-result">
                {match &e.summary {
                    Some(s) => view! { <strong class="score">{summary_text(s)}</strong> }.into_any(),
                    None => view! { <span>{t("evaluation.not_yet")}</span> }.into_any(),
                }}
                {e.updated.clone().map(|(who, at)| format!("（{who} {at}）"))}
            </p>
            <p class="hint">{t("evaluation.rule").replace("{n}", &FOLLOW_FROM.to_string())}</p>
            {general}
            <form method="post" action=paths::OPPORTUNITY_EVALUATION.of(e.opportunity_id) class="record-form">
                {e.revision.map(|r| view! { <input type="hidden" name="version" value=r.to_string()/> })}
                <h2>{t("evaluation.identify")}</h2>
                {group(false)}
                <h2>{t("evaluation.proposal")}</h2>
                {group(true)}
                <div class="actions">
                    {e.can_edit.then(|| view! { <button type="submit" class="primary">{t("opportunity.save")}</button> })}
                    <a href=back class="button secondary">{t("common.back")}</a>
                </div>
            </form>
        </section>
    }
}
