//! 全部任务 / 待办任务 / 已办任务 / 待阅消息, with query conditions (商机名称, 流程, 日期). They
//! change live: a task arriving or decided elsewhere refreshes the list without a reload.

use crate::api::opportunities::{list_tasks, MessageRow, TaskListPage, TaskListQuery, TaskListRow};
use crate::components::list_page::{
    cell, head, ChoiceField, DateRange, ListQuery, ListTable, QueryForm, SearchField,
};
use crate::components::live::Live;
use crate::i18n::t;
use crate::model::opportunity::{Flow, TaskKind};
use crate::model::tabs::TaskTab;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

impl ListQuery for TaskListQuery {
    const PATH: &'static str = "/tasks";

    fn first_page(&self) -> Self {
        Self {
            after_id: String::new(),
            ..self.clone()
        }
    }
}

#[component]
pub fn TaskListPage() -> impl IntoView {
    let params = use_query();
    let query = move || params.with(TaskListQuery::from_address);
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
    let next = result.next.map(|id| {
        TaskListQuery {
            after_id: id.to_string(),
            ..q.clone()
        }
        .href()
    });
    if TaskTab::of(&q.tab) == TaskTab::Messages {
        return view! { <MessageTable rows=result.messages next/> }.into_any();
    }
    let flows: Vec<(String, String)> = Flow::ALL
        .iter()
        .map(|f| (f.code().to_owned(), t(f.label_key()).to_owned()))
        .collect();
    view! {
        <QueryForm action=TaskListQuery::PATH>
            <input type="hidden" name="tab" value=q.tab.clone()/>
            <SearchField id="q-name" name="name" label="task.opportunity" value=q.name.clone()/>
            <ChoiceField id="q-flow" name="flow" label="task.flow" choices=flows chosen=q.flow.clone()/>
            <DateRange from=q.from.clone() to=q.to.clone()/>
        </QueryForm>
        <crate::pages::activities::list::DueActivities rows=result.activities_due back="/tasks?tab=todo"/>
        <TaskTable rows=result.tasks next/>
    }
    .into_any()
}

/// Tasks as listed (here and in the home page's widget).
#[component]
pub fn TaskTable(
    rows: Vec<TaskListRow>,
    #[prop(default = None)] next: Option<String>,
) -> impl IntoView {
    let heads = [
        "task.opportunity",
        "task.flow",
        "task.filer",
        "task.created_at",
        "task.state",
    ]
    .into_iter()
    .map(head)
    .collect();
    let row = |r: TaskListRow| {
        let state = match (r.outcome, r.open, r.kind) {
            (_, true, TaskKind::Returned) => t(TaskKind::Returned.label_key()),
            (_, true, _) => t("task.state.open"),
            (Some(outcome), false, _) => t(outcome.label_key()),
            (None, false, _) => "",
        };
        view! {
            <tr class:open=r.open>
                <td><a href=paths::TASK.of(r.id)>{r.opportunity_name}</a></td>
                {cell(t(r.flow.label_key()))}
                {cell(r.filer)}
                {cell(r.created_at)}
                {cell(state)}
            </tr>
        }
        .into_any()
    };
    view! { <ListTable heads rows row empty="task.none" next class="tasks"/> }
}

/// 待阅消息 as listed (here and in the home page's widget).
#[component]
pub fn MessageTable(
    rows: Vec<MessageRow>,
    #[prop(default = None)] next: Option<String>,
) -> impl IntoView {
    let heads = ["message.title", "message.kind", "task.created_at"]
        .into_iter()
        .map(head)
        .collect();
    let row = |m: MessageRow| {
        let kind = t(m.kind.label_key());
        view! {
            <tr class:unread=!m.read>
                <td>
                    // Opening marks it read: a change, so a post.
                    <form method="post" action=paths::MESSAGE.of(m.id) class="inline-form">
                        <button type="submit" class="link-button">{m.title}</button>
                    </form>
                    {(!m.read).then(|| view! { <span class="tag">{t("message.unread")}</span> })}
                </td>
                {cell(kind)}
                {cell(m.created_at)}
            </tr>
        }
        .into_any()
    };
    view! { <ListTable heads rows row empty="task.no_messages" next class="messages"/> }
}
