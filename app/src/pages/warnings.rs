//! 客户业务预警: a tab per kind with its count, the kind's warnings (each linking to its record,
//! paged), and for the 系统管理员 the days that make them. Works without JavaScript; live after.

use crate::api::warnings::{
    load_warnings, SubmittedWarningDays, WarningKind, WarningRow, WarningsView,
};
use crate::components::form_check::field_message;
use crate::components::live::Live;
use crate::i18n::t;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn WarningsPage() -> impl IntoView {
    let query = use_query();
    let chosen = move || {
        query.with(|q| {
            (
                q.get("kind").unwrap_or_default(),
                q.get("page").unwrap_or_default(),
            )
        })
    };
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let submitted = SharedValue::new(use_context::<SubmittedWarningDays>).into_inner();
    let live = Live::revision();
    let data = Resource::new(
        move || (chosen(), live.get()),
        |((kind, page), _)| load_warnings(kind, page),
    );
    view! {
        <section class="page warnings">
            <h1>{t("menu.warnings")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(v) => view! { <WarningsBody v submitted saved/> }.into_any(),
                            Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn shown_count(n: i64, cap: i64) -> String {
    if n >= cap {
        format!("{}+", cap - 1)
    } else {
        n.to_string()
    }
}

#[component]
fn WarningsBody(
    v: WarningsView,
    submitted: Option<SubmittedWarningDays>,
    saved: bool,
) -> impl IntoView {
    let kind = v.kind;
    let tabs = v
        .counts
        .iter()
        .map(|(k, n)| {
            let href = format!("{}?kind={}", paths::WARNINGS.path(), k.code());
            view! {
                <a href=href class:active=*k == kind data-kind=k.code()>
                    {t(&k.label_key())}" "<span class="count">{shown_count(*n, v.cap)}</span>
                </a>
            }
        })
        .collect_view();
    let at = move |p: i64| {
        let base = format!("{}?kind={}", paths::WARNINGS.path(), kind.code());
        if p > 1 {
            format!("{base}&page={p}")
        } else {
            base
        }
    };
    let page = v.page;
    let day_head = format!("warning.day_{}", kind.code());
    let approval = kind == WarningKind::SlowApproval;
    let rows = v.rows.clone();
    let empty = rows.is_empty();
    view! {
        <nav class="tabs warning-tabs">{tabs}</nav>
        <p class="hint">
            {t(&format!("warning.{}_hint", kind.code()))}" "{days_said(&v, kind)}" "
            // A server-only address: the browser, not the client router, must follow it.
            <a href=format!("{}?kind={}", paths::WARNINGS_EXPORT.path(), kind.code())
                class="link-button" rel="external" download>{t("analysis.export")}</a>
        </p>
        {if empty {
            view! { <p class="notice">{t("warning.none")}</p> }.into_any()
        } else {
            view! {
                <table class="list warning-table">
                    <thead><tr>
                        <th scope="col">{t(if kind.of_opportunities() { "warning.opportunity" } else { "warning.customer" })}</th>
                        <th scope="col">{t("warning.owner")}</th>
                        <th scope="col">{t(&day_head)}</th>
                        {approval.then(|| view! { <th scope="col">{t("warning.assignee")}</th> })}
                    </tr></thead>
                    <tbody>{rows.into_iter().map(|r| row(r, approval)).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
        <nav class="pager">
            {(page > 1).then(|| view! { <a href=at(page - 1)>{t("query.previous_page")}</a> })}
            {v.more.then(|| view! { <a href=at(page + 1)>{t("query.next_page")}</a> })}
            {(kind == WarningKind::OverdueMilestone).then(|| view! {
                <a href=paths::MILESTONES.path()>{t("warning.all_milestones")}</a>
            })}
        </nav>
        {v.can_configure.then(|| view! { <DaysForm v=v.clone() submitted saved/> })}
    }
}

fn days_said(v: &WarningsView, kind: WarningKind) -> String {
    let n = match kind {
        WarningKind::Idle => v.days.idle,
        WarningKind::SlowApproval => v.days.approval,
        WarningKind::QuietCustomer => v.days.customer,
        _ => return String::new(),
    };
    format!("（N = {n}）")
}

fn row(r: WarningRow, approval: bool) -> impl IntoView {
    let day = if r.day.is_empty() {
        t("warning.never").to_owned()
    } else {
        r.day
    };
    view! {
        <tr>
            <td><a href=r.href>{r.name}</a></td>
            <td>{r.owner}</td>
            <td>{day}</td>
            {approval.then(|| view! { <td>{r.assignee.unwrap_or_default()}</td> })}
        </tr>
    }
}

/// The days that make the warnings, for the 系统管理员.
#[component]
fn DaysForm(
    v: WarningsView,
    submitted: Option<SubmittedWarningDays>,
    saved: bool,
) -> impl IntoView {
    let errors = submitted
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    let typed = |pick: fn(&SubmittedWarningDays) -> &String, value: i64| {
        submitted
            .as_ref()
            .map(|s| pick(s).clone())
            .unwrap_or_else(|| value.to_string())
    };
    let field = |name: &'static str, key: &'static str, value: String| {
        let message = field_message(&errors, name);
        view! {
            <div class="field">
                <label for=format!("days-{name}")>{t(key)}</label>
                <input id=format!("days-{name}") name=name type="number" min="1" max="3650"
                    required value=value/>
                {message}
            </div>
        }
    };
    view! {
        <form method="post" action=paths::WARNINGS.path() class="warning-days no-print">
            <h2>{t("warning.days")}</h2>
            {saved.then(|| view! { <p class="notice" role="status">{t("warning.saved")}</p> })}
            {field("idle", "warning.days_idle", typed(|s| &s.idle, v.days.idle))}
            {field("approval", "warning.days_approval", typed(|s| &s.approval, v.days.approval))}
            {field("customer", "warning.days_customer", typed(|s| &s.customer, v.days.customer))}
            {field_message(&errors, "")}
            <button type="submit" class="primary">{t("warning.save")}</button>
        </form>
    }
}
