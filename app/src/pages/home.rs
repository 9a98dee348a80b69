//! 首页 (集成页面): four widgets, each with 「更多」 — tasks (全部任务 / 待办任务 / 待阅消息),
//! opportunities (我的商机 / 商机共享, 「报备商机」), 公告通知 (「添加」 for publishers) and this
//! month's 商机排名 — and the organisation. Everything refreshes live: the viewer's own events
//! refetch the lists, the province's ranking events refetch the rankings. Tabs are links (they
//! work without JavaScript); once hydrated they switch without a request.

use crate::api::announcements::AnnouncementRow;
use crate::api::home::{load_home, HomeView};
use crate::api::opportunities::OpportunityListRow;
use crate::api::org::org_units;
use crate::api::rankings::RankRow;
use crate::components::live::Live;
use crate::components::org_tree::OrgTree;
use crate::i18n::t;
use crate::model::tabs::{OpportunityTab, TaskTab};
use crate::pages::activities::list::DueActivities;
use crate::pages::tasks::list::{MessageTable, TaskTable};
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let (revision, rankings) = (Live::revision(), Live::rankings());
    // One resource for the whole page: every widget, and the organisation.
    let home = Resource::new(
        move || (revision.get(), rankings.get()),
        |_| async move { Ok::<_, crate::model::AppError>((load_home().await?, org_units().await?)) },
    );
    view! {
        <section class="page home">
            <h1>{t("home.welcome")}</h1>
            <p class="subtitle">{t("app.division")}</p>
            <Transition fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok((h, units)) => view! {
                            <Widgets h/>
                            <Organisation units/>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A tab of a widget: one of a list page's tabs, named by its code in the address.
trait WidgetTab: Copy + PartialEq + Send + Sync + 'static {
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
}

impl WidgetTab for TaskTab {
    fn code(self) -> &'static str {
        TaskTab::code(self)
    }

    fn label(self) -> &'static str {
        self.label_key()
    }
}

impl WidgetTab for OpportunityTab {
    fn code(self) -> &'static str {
        OpportunityTab::code(self)
    }

    /// The widget says 商机共享 where the list says 共享给我的.
    fn label(self) -> &'static str {
        match self {
            OpportunityTab::Shared => "home.shared",
            other => other.label_key(),
        }
    }
}

/// The tab a widget shows, from the address (`key=tab`), else its first.
fn tab<T: WidgetTab>(key: &'static str, tabs: &'static [T]) -> Memo<T> {
    let query = use_query();
    Memo::new(move |_| {
        let chosen = query.with(|q| q.get(key).unwrap_or_default());
        tabs.iter()
            .copied()
            .find(|tab| tab.code() == chosen)
            .unwrap_or(tabs[0])
    })
}

/// A widget's tab bar: links to the home page with this tab chosen and the other widget's
/// kept (`other`: its key and current tab).
fn tab_bar<T: WidgetTab, U: WidgetTab>(
    key: &'static str,
    tabs: &'static [T],
    current: Memo<T>,
    other: (&'static str, Memo<U>),
) -> impl IntoView {
    view! {
        <div class="tabs widget-tabs">
            {tabs.iter().map(|&tab| {
                let href = move || format!("/?{key}={}&{}={}", tab.code(), other.0, other.1.get().code());
                view! { <a href=href class:active=move || current.get() == tab>{t(tab.label())}</a> }
            }).collect_view()}
        </div>
    }
}

const TASK_TABS: &[TaskTab] = &[TaskTab::All, TaskTab::Todo, TaskTab::Messages];
const OPPORTUNITY_TABS: &[OpportunityTab] = &[OpportunityTab::Mine, OpportunityTab::Shared];

#[component]
fn Widgets(h: HomeView) -> impl IntoView {
    let task_tab = tab("tasks", TASK_TABS);
    let opportunity_tab = tab("opps", OPPORTUNITY_TABS);
    let HomeView {
        tasks_all,
        tasks_todo,
        activities_due,
        messages,
        mine,
        shared,
        announcements,
        can_publish,
        overdue_milestones,
        rankings,
    } = h;
    let more_tasks = move || match task_tab.get() {
        TaskTab::All => "/tasks".to_owned(),
        tab => format!("/tasks?tab={}", tab.code()),
    };
    let more_opportunities = move || match opportunity_tab.get() {
        OpportunityTab::Mine => "/opportunities".to_owned(),
        tab => format!("/opportunities?tab={}", tab.code()),
    };
    view! {
        <div class="widgets">
            <div class="panel widget" id="widget-tasks">
                <div class="panel-head">
                    <h2>{t("menu.tasks")}</h2>
                    <a href=paths::MILESTONES.path() class="overdue-milestones" class:alert={overdue_milestones > 0}>
                        {t("milestone.overdue_count")}" "<span class="count">{shown_count(overdue_milestones)}</span>
                    </a>
                    <a href=more_tasks class="more">{t("home.more")}</a>
                </div>
                {tab_bar("tasks", TASK_TABS, task_tab, ("opps", opportunity_tab))}
                <div class="panel-body">
                    {move || match task_tab.get() {
                        TaskTab::Todo => view! {
                            <DueActivities rows=activities_due.clone() back="/?tasks=todo"/>
                            <TaskTable rows=tasks_todo.clone()/>
                        }.into_any(),
                        TaskTab::Messages => view! { <MessageTable rows=messages.clone()/> }.into_any(),
                        _ => view! { <TaskTable rows=tasks_all.clone()/> }.into_any(),
                    }}
                </div>
            </div>
            <div class="panel widget" id="widget-opportunities">
                <div class="panel-head">
                    <h2>{t("menu.opportunities")}</h2>
                    <a href=paths::OPPORTUNITY_NEW.path() class="link-button">{t("opportunity.new")}</a>
                    <a href=more_opportunities class="more">{t("home.more")}</a>
                </div>
                {tab_bar("opps", OPPORTUNITY_TABS, opportunity_tab, ("tasks", task_tab))}
                <div class="panel-body">
                    {move || {
                        let rows = match opportunity_tab.get() {
                            OpportunityTab::Shared => shared.clone(),
                            _ => mine.clone(),
                        };
                        view! { <OpportunityRows rows/> }
                    }}
                </div>
            </div>
            <div class="panel widget" id="widget-announcements">
                <div class="panel-head">
                    <h2>{t("announcement.list")}</h2>
                    {can_publish.then(|| view! {
                        <a href=paths::ANNOUNCEMENT_NEW.path() class="link-button">{t("announcement.add")}</a>
                    })}
                    <a href=paths::ANNOUNCEMENTS.path() class="more">{t("home.more")}</a>
                </div>
                <div class="panel-body"><AnnouncementRows rows=announcements/></div>
            </div>
            <div class="panel widget" id="widget-rankings">
                <div class="panel-head">
                    <h2>{t("ranking.title")}" "{rankings.month.clone()}</h2>
                    <a href="/rankings" class="more">{t("ranking.more")}</a>
                </div>
                <div class="panel-body rankings-pair">
                    <RankList title="ranking.filed_title" rows=rankings.filed id="ranking-filed"/>
                    <RankList title="ranking.signed_title" rows=rankings.signed id="ranking-signed"/>
                </div>
            </div>
        </div>
    }
}

/// A count as a badge shows it: the store stops counting at a hundred.
fn shown_count(n: i64) -> String {
    if n >= 100 {
        "99+".to_owned()
    } else {
        n.to_string()
    }
}

#[component]
fn OpportunityRows(rows: Vec<OpportunityListRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t("opportunity.none")}</p> }.into_any();
    }
    view! {
        <ul class="widget-list">
            {rows.into_iter().map(|o| view! {
                <li>
                    <a href=paths::OPPORTUNITY.of(o.id)>{o.name}</a>
                    <span class="meta">{o.customer}" · "{t(o.status.label_key())}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn AnnouncementRows(rows: Vec<AnnouncementRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t("announcement.none")}</p> }.into_any();
    }
    view! {
        <ul class="widget-list">
            {rows.into_iter().map(|a| view! {
                <li>
                    <a href=paths::ANNOUNCEMENT.of(a.id)>{a.title}</a>
                    <span class="meta">{a.published_at}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn RankList(title: &'static str, rows: Vec<RankRow>, id: &'static str) -> impl IntoView {
    view! {
        <div class="rank-list" id=id>
            <h3>{t(title)}</h3>
            {if rows.is_empty() {
                view! { <p class="notice">{t("ranking.none")}</p> }.into_any()
            } else {
                view! {
                    <ol>
                        {rows.into_iter().map(|r| view! {
                            <li>
                                <span class="rank">{r.rank}</span>
                                <span class="name">{r.label}</span>
                                <span class="city">{r.city.unwrap_or_default()}</span>
                                <span class="value">{r.shown}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </div>
    }
}

/// The organisation (组织机构), collapsible once the page is live.
#[component]
fn Organisation(units: Vec<crate::model::OrgUnitView>) -> impl IntoView {
    let (expanded, set_expanded) = signal(true);
    view! {
        <div class="panel">
            <div class="panel-head">
                <h2>{t("home.org")}</h2>
                <button
                    type="button"
                    class="link-button"
                    aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| set_expanded.update(|e| *e = !*e)
                >
                    {move || if expanded.get() { t("home.collapse") } else { t("home.expand") }}
                </button>
            </div>
            <div class="panel-body" class:hidden=move || !expanded.get()>
                <OrgTree units/>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_count_beyond_what_the_store_counts_shows_as_99_plus() {
        assert_eq!(super::shown_count(0), "0");
        assert_eq!(super::shown_count(99), "99");
        assert_eq!(super::shown_count(100), "99+");
    }
}
