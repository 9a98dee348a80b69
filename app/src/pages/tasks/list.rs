//! 全部任务 / 待办任务 / 已办任务 / 待阅消息, with query conditions (商机名称, 流程, 日期). They
//! change live: a task arriving or decided elsewhere refreshes the list without a reload.

use crate::api::opportunities::{list_tasks, TaskListPage, TaskListQuery};
use crate::components::live::Live;
use crate::i18n::t;
use crate::model::opportunity::{Flow, TaskKind};
use crate::model::tabs::TaskTab;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TaskListPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        params.with(|p| {
            let get = |k: &str| p.get(k).unwrap_or_default();
            TaskListQuery {
                tab: get("tab"),
                name: get("name"),
                flow: get("flow"),
                from: get("from"),
                to: get("to"),
                after_id: get("after_id"),
            }
        })
    };
    let live = Live::revision();
    let page = Resource::new(move || (query(), live.get()), |(q, _)| list_tasks(q));
    view! {
        <section class="page">
            <h1>{t("menu.tasks")}</h1>
            <nav class="tabs">
                {move || {
                    let current = TaskTab::of(&query().tab);
                    TaskTab::ALL
                        .iter()
                        .map(|&tab| {
                            let href = format!("/tasks?tab={}", tab.code());
                            view! { <a href=href class:active=tab == current>{t(tab.label_key())}</a> }
                        })
                        .collect_view()
                }}
            </nav>
            <Transition fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => view! { <Lists q result/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Lists(q: TaskListQuery, result: TaskListPage) -> impl IntoView {
    let messages = TaskTab::of(&q.tab) == TaskTab::Messages;
    let next_href = result.next.map(|id| {
        let mut next = q.clone();
        next.after_id = id.to_string();
        crate::pages::address(
            "/tasks",
            &[
                ("tab", &next.tab),
                ("name", &next.name),
                ("flow", &next.flow),
                ("from", &next.from),
                ("to", &next.to),
                ("after_id", &next.after_id),
            ],
        )
    });
    let body = if messages {
        view! { <MessageTable rows=result.messages/> }.into_any()
    } else {
        view! {
            <form method="get" action="/tasks" class="query-form">
                <input type="hidden" name="tab" value=q.tab.clone()/>
                <div class="field">
                    <label for="q-name">{t("task.opportunity")}</label>
                    <input id="q-name" name="name" type="search" value=q.name.clone()/>
                </div>
                <div class="field">
                    <label for="q-flow">{t("task.flow")}</label>
                    <select id="q-flow" name="flow">
                        <option value="">{t("form.all")}</option>
                        {Flow::ALL
                            .iter()
                            .map(|f| view! {
                                <option value=f.code() selected=q.flow == f.code()>{t(f.label_key())}</option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="q-from">{t("query.date_from")}</label>
                    <input id="q-from" name="from" type="date" value=q.from.clone()/>
                </div>
                <div class="field">
                    <label for="q-to">{t("query.date_to")}</label>
                    <input id="q-to" name="to" type="date" value=q.to.clone()/>
                </div>
                <button type="submit" class="primary">{t("query.submit")}</button>
            </form>
            <TaskTable rows=result.tasks/>
        }
        .into_any()
    };
    view! {
        {body}
        {next_href.map(|href| view! { <p class="pager"><a href=href>{t("query.next_page")}</a></p> })}
    }
}

#[component]
pub fn TaskTable(rows: Vec<crate::api::opportunities::TaskListRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t("task.none")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="list tasks">
                <thead>
                    <tr>
                        <th scope="col">{t("task.opportunity")}</th>
                        <th scope="col">{t("task.flow")}</th>
                        <th scope="col">{t("task.filer")}</th>
                        <th scope="col">{t("task.created_at")}</th>
                        <th scope="col">{t("task.state")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let state = match (r.outcome, r.open, r.kind) {
                                (_, true, TaskKind::Returned) => t(TaskKind::Returned.label_key()),
                                (_, true, _) => t("task.state.open"),
                                (Some(outcome), false, _) => t(outcome.label_key()),
                                (None, false, _) => "",
                            };
                            view! {
                                <tr class:open=r.open>
                                    <td><a href=paths::TASK.of(r.id)>{r.opportunity_name}</a></td>
                                    <td>{t(r.flow.label_key())}</td>
                                    <td>{r.filer}</td>
                                    <td>{r.created_at}</td>
                                    <td>{state}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn MessageTable(rows: Vec<crate::api::opportunities::MessageRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t("task.no_messages")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="list messages">
                <thead>
                    <tr>
                        <th scope="col">{t("message.title")}</th>
                        <th scope="col">{t("message.kind")}</th>
                        <th scope="col">{t("task.created_at")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|m| {
                            let kind = t(&format!("message.{}", m.kind));
                            view! {
                                <tr class:unread=!m.read>
                                    <td>
                                        // Opening marks it read: a change, so a post.
                                        <form method="post" action=paths::MESSAGE.of(m.id) class="inline-form">
                                            <button type="submit" class="link-button">{m.title}</button>
                                        </form>
                                        {(!m.read).then(|| view! { <span class="tag">{t("message.unread")}</span> })}
                                    </td>
                                    <td>{kind}</td>
                                    <td>{m.created_at}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
