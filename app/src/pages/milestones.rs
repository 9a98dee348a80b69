//! 订单后续执行跟踪: the panel of a signed opportunity (milestones, the 回款 bar against the
//! 签约金额, the history of changes), the milestone form (添加 / 编辑), and the list of
//! overdue milestones in the viewer's scope. Plain forms and links: all work without
//! JavaScript.

use crate::api::milestones::{
    list_milestones, load_milestone_edit, load_milestone_form, MilestoneChangeView,
    MilestoneFormOptions, MilestoneListQuery, MilestoneView, OrderPanel, SubmittedMilestone,
};
use crate::components::list_page::{head, ListQuery, ListTable};
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::milestone::{MilestoneForm, MilestoneKind, MilestoneStatus};
use crate::model::opportunity::Fen;
use crate::model::AppError;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A milestone's name: its kind's label, or the name a user gave it.
fn label(kind: MilestoneKind, name: &str) -> String {
    match kind {
        MilestoneKind::Custom => name.to_owned(),
        kind => t(kind.label_key()).to_owned(),
    }
}

fn status_cell(m: &MilestoneView) -> impl IntoView {
    view! {
        <td>
            {t(m.status.label_key())}
            {m.overdue.then(|| view! { <span class="overdue">{t("activity.overdue")}</span> })}
        </td>
    }
}

/// The 订单执行跟踪 panel.
#[component]
pub fn OrderPanelView(opportunity_id: i64, panel: OrderPanel) -> impl IntoView {
    let add = panel.can_edit.then(|| {
        view! {
            <a href=paths::OPPORTUNITY_MILESTONE_NEW.of(opportunity_id) class="link-button no-print">{t("milestone.new")}</a>
        }
    });
    let can_edit = panel.can_edit;
    let rows = panel
        .milestones
        .iter()
        .map(|m| {
            let edit = can_edit.then(|| {
                view! { <a href=paths::MILESTONE_EDIT.of(m.id) class="link-button no-print">{t("common.edit")}</a> }
            });
            view! {
                <tr data-milestone=m.id.to_string() class:overdue-row=m.overdue>
                    <td>{label(m.kind, &m.name)}</td>
                    <td>{m.planned_on.clone()}</td>
                    <td>{m.actual_on.clone()}</td>
                    <td class="amount">{m.amount_fen.map(|f| Fen(f).to_yuan())}</td>
                    {status_cell(m)}
                    <td class="notes">{m.note.clone()}</td>
                    <td class="no-print">{edit}</td>
                </tr>
            }
        })
        .collect_view();
    // The bar: what has come in against what was signed (a <meter>, read without JavaScript).
    let signed = panel.signed_amount_fen.max(0);
    let percent = if signed > 0 {
        (i128::from(panel.paid_fen) * 100 / i128::from(signed)) as i64
    } else {
        0
    };
    view! {
        <div class="panel" id="order">
            <div class="panel-head">
                <h2>{t("milestone.title")}</h2>
                {add}
            </div>
            <div class="panel-body">
                <div class="payment-bar">
                    <span>{t("milestone.paid")}" "</span>
                    <meter min="0" max=signed.to_string() value=panel.paid_fen.min(signed).to_string()
                        aria-label=t("milestone.paid")></meter>
                    <span class="paid">{Fen(panel.paid_fen).to_yuan()}</span>
                    " / "
                    <span class="signed">{Fen(signed).to_yuan()}</span>
                    {format!(" ({percent}%)")}
                </div>
                <div class="table-wrap">
                    <table class="list milestones">
                        <thead><tr>
                            <th scope="col">{t("milestone.name")}</th>
                            <th scope="col">{t("milestone.planned_on")}</th>
                            <th scope="col">{t("milestone.actual_on")}</th>
                            <th scope="col">{t("milestone.amount")}</th>
                            <th scope="col">{t("milestone.status")}</th>
                            <th scope="col">{t("milestone.note")}</th>
                            <th scope="col" class="no-print"></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <History changes=panel.history/>
            </div>
        </div>
    }
}

/// 变更记录: who changed what, newest first.
#[component]
fn History(changes: Vec<MilestoneChangeView>) -> impl IntoView {
    (!changes.is_empty()).then(|| {
        let items = changes
            .into_iter()
            .map(|c| {
                let kind = MilestoneKind::ALL
                    .iter()
                    .copied()
                    .find(|k| k.label_key() == c.milestone.0)
                    .unwrap_or(MilestoneKind::Custom);
                let what = c
                    .changes
                    .iter()
                    .filter(|(field, _, _)| c.action == "update" || field != "kind")
                    .map(|(field, before, after)| {
                        format!(
                            "{}：{} → {}",
                            t(&format!("milestone.field.{field}")),
                            shown(field, before),
                            shown(field, after)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；");
                view! {
                    <li>
                        <span class="meta">{c.at}" "{c.user}" "{t(&format!("milestone.action.{}", c.action))}" "</span>
                        <strong>{label(kind, &c.milestone.1)}</strong>
                        " "{what}
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="milestone-history">
                <summary>{t("milestone.history")}</summary>
                <ul>{items}</ul>
            </details>
        }
    })
}

/// A stored value as the history shows it.
fn shown(field: &str, value: &str) -> String {
    if value.is_empty() {
        return "—".to_owned();
    }
    match field {
        "status" => MilestoneStatus::from_code(value)
            .map_or_else(|| value.to_owned(), |s| t(s.label_key()).to_owned()),
        "kind" => MilestoneKind::from_code(value)
            .map_or_else(|| value.to_owned(), |k| t(k.label_key()).to_owned()),
        "amount_fen" => value
            .parse::<i64>()
            .map_or_else(|_| value.to_owned(), |f| Fen(f).to_yuan()),
        _ => value.to_owned(),
    }
}

#[component]
pub fn MilestoneNewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let record = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_milestone_form(id).await,
            None => Err(AppError::NotFound),
        }
    });
    form_page(record)
}

#[component]
pub fn MilestoneEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let record = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_milestone_edit(id).await,
            None => Err(AppError::NotFound),
        }
    });
    form_page(record)
}

fn form_page(record: Resource<Result<MilestoneFormOptions, AppError>>) -> impl IntoView {
    let submitted = SharedValue::new(use_context::<SubmittedMilestone>).into_inner();
    record_page(record, move |o| {
        view! { <MilestoneFormView o submitted=submitted.clone()/> }
    })
}

#[component]
fn MilestoneFormView(
    o: MilestoneFormOptions,
    submitted: Option<SubmittedMilestone>,
) -> impl IntoView {
    let errors = submitted
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    let form: MilestoneForm = match (&submitted, &o.editing) {
        (Some(s), _) => s.form.clone(),
        (None, Some((_, _, f))) => f.clone(),
        (None, None) => MilestoneForm {
            status: MilestoneStatus::Pending.code().to_owned(),
            ..Default::default()
        },
    };
    let error = move |field: &'static str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
    };
    let back = format!("{}#order", paths::OPPORTUNITY.of(o.opportunity_id));
    let (heading, action, revision, delete) = match &o.editing {
        Some((id, revision, _)) => (
            "milestone.edit",
            paths::MILESTONE_EDIT.of(*id),
            Some(revision.to_string()),
            Some(paths::MILESTONE_DELETE.of(*id)),
        ),
        None => (
            "milestone.new",
            paths::OPPORTUNITY_MILESTONE_NEW.of(o.opportunity_id),
            None,
            None,
        ),
    };
    let kinds = MilestoneKind::ALL
        .iter()
        .map(|k| view! { <option value=k.code() selected=form.kind == k.code()>{t(k.label_key())}</option> })
        .collect_view();
    let states = MilestoneStatus::ALL
        .iter()
        .map(|s| view! { <option value=s.code() selected=form.status == s.code()>{t(s.label_key())}</option> })
        .collect_view();
    view! {
        <section class="page">
            <h1>{t(heading)}"："{o.opportunity_name.clone()}</h1>
            <form method="post" action=action class="record-form" novalidate>
                {revision.map(|v| view! { <input type="hidden" name="version" value=v/> })}
                <div class="field">
                    <label for="kind">{t("milestone.kind")}<span class="required">"*"</span></label>
                    <select id="kind" name="kind">
                        <option value="">{t("form.choose")}</option>
                        {kinds}
                    </select>
                    {error("kind")}
                </div>
                <div class="field">
                    <label for="name">{t("milestone.custom_name")}</label>
                    <input id="name" name="name" value=form.name.clone() maxlength="100"/>
                    {error("name")}
                </div>
                <div class="field">
                    <label for="planned_on">{t("milestone.planned_on")}</label>
                    <input id="planned_on" name="planned_on" type="date" value=form.planned_on.clone()/>
                    {error("planned_on")}
                </div>
                <div class="field">
                    <label for="actual_on">{t("milestone.actual_on")}</label>
                    <input id="actual_on" name="actual_on" type="date" value=form.actual_on.clone()/>
                    {error("actual_on")}
                </div>
                <div class="field">
                    <label for="amount">{t("milestone.amount")}</label>
                    <input id="amount" name="amount" inputmode="decimal" value=form.amount.clone()/>
                    {error("amount")}
                </div>
                <div class="field">
                    <label for="status">{t("milestone.status")}<span class="required">"*"</span></label>
                    <select id="status" name="status">{states}</select>
                    {error("status")}
                </div>
                <div class="field">
                    <label for="note">{t("milestone.note")}</label>
                    <TextArea id="note" name="note" rows=3 value=form.note.clone()/>
                    {error("note")}
                </div>
                {error("")}
                <div class="actions">
                    <button type="submit" class="primary">{t("opportunity.save")}</button>
                    <a href=back class="button secondary">{t("common.cancel")}</a>
                </div>
            </form>
            {delete.map(|to| view! {
                <form method="post" action=to class="inline-form">
                    <button type="submit" class="secondary danger">{t("common.delete")}</button>
                </form>
            })}
        </section>
    }
}

impl ListQuery for MilestoneListQuery {
    const PATH: &'static str = "/milestones";

    fn first_page(&self) -> Self {
        Self {
            after_key: String::new(),
            after_id: String::new(),
            ..self.clone()
        }
    }
}

/// 逾期里程碑 (and every open one) of the signed orders the viewer sees.
#[component]
pub fn MilestoneListPage() -> impl IntoView {
    let params = use_query();
    let query = move || params.with(MilestoneListQuery::from_address);
    let page = Resource::new(query, list_milestones);
    view! {
        <section class="page">
            <h1>{t("milestone.list")}</h1>
            <nav class="tabs">
                {move || {
                    let open = query().tab == "open";
                    view! {
                        <a href="/milestones" class:active=!open>{t("milestone.tab.overdue")}</a>
                        <a href="/milestones?tab=open" class:active=open>{t("milestone.tab.open")}</a>
                    }
                }}
            </nav>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => {
                            let next = result.next.map(|(key, id)| MilestoneListQuery {
                                after_key: key,
                                after_id: id.to_string(),
                                ..q.clone()
                            }.href());
                            let heads = ["milestone.name", "activity.opportunity", "opportunity.owner",
                                "milestone.planned_on", "milestone.amount", "milestone.status"]
                                .into_iter().map(head).collect();
                            let row = |r: crate::api::milestones::DueMilestoneView| {
                                let m = r.milestone;
                                view! {
                                    <tr>
                                        <td>{label(m.kind, &m.name)}</td>
                                        <td><a href=format!("{}#order", paths::OPPORTUNITY.of(r.opportunity_id))>{r.opportunity_name}</a></td>
                                        <td>{r.owner}</td>
                                        <td>{m.planned_on.clone()}</td>
                                        <td class="amount">{m.amount_fen.map(|f| Fen(f).to_yuan())}</td>
                                        {status_cell(&m)}
                                    </tr>
                                }.into_any()
                            };
                            view! { <ListTable heads rows=result.rows row empty="milestone.none" next/> }.into_any()
                        }
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
