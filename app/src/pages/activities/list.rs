//! The 销售活动 panel of a customer or opportunity page: filtered by 完成状态 and 类型, sorted
//! by a column head, columns chosen per user (all by address, so it works without
//! JavaScript); 添加活动 for those who may log one, 完成 / 编辑 / 删除 where allowed.

use crate::api::activities::{ActivityList, ActivityTarget, ActivityView};
use crate::api::activity_list::ActivityFilter;
use crate::components::column_chooser::ColumnChooser;
use crate::i18n::t;
use crate::model::activity::ActivityKind;
use crate::model::columns::ACTIVITY_LIST;
use crate::paths;
use leptos::prelude::*;

/// 完成状态 as a condition: (code, label key).
pub const STATES: [(&str, &str); 3] = [
    ("planned", "activity.planned"),
    ("done", "activity.done"),
    ("overdue", "activity.overdue"),
];

/// The sub-list's conditions in a record page's address (`act_kind`, `act_status`,
/// `act_sort`).
pub fn filter_of(params: &crate::query::Query) -> ActivityFilter {
    ActivityFilter {
        kind: params.get("act_kind").unwrap_or_default(),
        status: params.get("act_status").unwrap_or_default(),
        sort: params.get("act_sort").unwrap_or_default(),
    }
}

#[component]
pub fn Activities(list: ActivityList, target: ActivityTarget) -> impl IntoView {
    let add = list.can_log.then(|| {
        view! {
            <a href=format!("{}/activities/new", target.page()) class="link-button no-print">{t("activity.new")}</a>
        }
    });
    let f = list.filter.clone();
    let href = move |f: &ActivityFilter| {
        format!(
            "{}#activities",
            crate::pages::address(
                &target.page(),
                &[
                    ("act_kind", &f.kind),
                    ("act_status", &f.status),
                    ("act_sort", &f.sort)
                ]
            )
        )
    };
    let tab = |to: ActivityFilter, active: bool, label: &'static str| {
        view! { <a href=href(&to) class:active=active>{t(label)}</a> }
    };
    let states = std::iter::once(("", "form.all"))
        .chain(STATES)
        .map(|(code, key)| {
            let to = ActivityFilter {
                status: code.to_owned(),
                ..f.clone()
            };
            tab(to, f.status == code, key)
        })
        .collect_view();
    let kinds = std::iter::once(("", "form.all"))
        .chain(ActivityKind::ALL.iter().map(|k| (k.code(), k.label_key())))
        .map(|(code, key)| {
            let to = ActivityFilter {
                kind: code.to_owned(),
                ..f.clone()
            };
            tab(to, f.kind == code, key)
        })
        .collect_view();
    // The page's own record is not repeated in its rows.
    let hidden = match target {
        ActivityTarget::Customer(_) => "customer",
        ActivityTarget::Opportunity(_) => "opportunity",
    };
    let columns: Vec<&'static str> = ACTIVITY_LIST
        .columns
        .iter()
        .filter(|c| c.code != hidden && list.columns.iter().any(|v| v == c.code))
        .map(|c| c.code)
        .collect();
    let sort_head = |code: &'static str, label: &'static str| {
        let (aria, mark, next) = sort_state(&f.sort, code);
        let to = ActivityFilter {
            sort: next,
            ..f.clone()
        };
        view! { <th scope="col" aria-sort=aria><a href=href(&to) class="sort">{t(label)}{mark}</a></th> }
            .into_any()
    };
    let heads = std::iter::once(sort_head("date", "activity.date"))
        .chain(columns.iter().map(|code| head_of(code, &sort_head)))
        .collect_view();
    let back = href(&f).replace("#activities", "");
    let empty = list.rows.is_empty();
    let rows = list
        .rows
        .into_iter()
        .map(|a| view! { <ActivityRowView a columns=columns.clone()/> })
        .collect_view();
    view! {
        <div class="panel" id="activities">
            <div class="panel-head">
                <h2>{t("activity.title")}</h2>
                {add}
            </div>
            <div class="panel-body table-wrap">
                <nav class="tabs no-print" aria-label=t("activity.status")>{states}</nav>
                <nav class="tabs no-print" aria-label=t("activity.kind")>{kinds}</nav>
                <ColumnChooser list=&ACTIVITY_LIST visible=list.columns.clone() back/>
                {if empty {
                    view! { <p class="notice">{t("activity.none")}</p> }.into_any()
                } else {
                    view! {
                        <table class="list activities">
                            <thead><tr>{heads}<th scope="col" class="no-print"></th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

/// The viewer's planned activities whose day has come, at the head of 待办 (on 任务 and on the
/// home page): nothing when there are none.
#[component]
pub fn DueActivities(
    rows: Vec<ActivityView>,
    /// The page 完成 comes back to.
    back: &'static str,
) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        let columns = vec!["kind", "customer", "opportunity", "notes", "status"];
        let heads = std::iter::once("activity.date")
            .chain(columns.iter().filter_map(|code| {
                ACTIVITY_LIST
                    .columns
                    .iter()
                    .find(|c| c.code == *code)
                    .map(|c| c.label_key)
            }))
            .map(|label| view! { <th scope="col">{t(label)}</th> })
            .collect_view();
        let rows = rows
            .into_iter()
            .map(|a| view! { <ActivityRowView a columns=columns.clone() back/> })
            .collect_view();
        view! {
            <div class="due-activities">
                <h3>{t("activity.due")}</h3>
                <div class="table-wrap">
                    <table class="list activities">
                        <thead><tr>{heads}<th scope="col" class="no-print"></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
        }
    })
}

/// (aria-sort, mark, the sort a click asks for) of the head of `code` under `current`; with
/// nothing chosen the list is newest day first.
pub fn sort_state(current: &str, code: &str) -> (&'static str, &'static str, String) {
    let current = if current.is_empty() {
        "date_desc"
    } else {
        current
    };
    let descending = format!("{code}_desc");
    if current == code {
        ("ascending", " ▲", descending)
    } else if current == descending {
        ("descending", " ▼", code.to_owned())
    } else {
        ("none", "", code.to_owned())
    }
}

/// The head of an optional column; 类型 and 客户 sort.
pub fn head_of(code: &str, sort_head: &impl Fn(&'static str, &'static str) -> AnyView) -> AnyView {
    match code {
        "kind" => sort_head("kind", "activity.kind"),
        "customer" => sort_head("customer", "activity.customer"),
        _ => {
            let label = ACTIVITY_LIST
                .columns
                .iter()
                .find(|c| c.code == code)
                .map_or("", |c| c.label_key);
            view! { <th scope="col">{t(label)}</th> }.into_any()
        }
    }
}

/// One activity: 日期, the chosen columns, then what the viewer may do with it.
#[component]
pub fn ActivityRowView(
    a: ActivityView,
    columns: Vec<&'static str>,
    /// Where 完成 comes back to, when not the activity's own page.
    #[prop(optional)]
    back: Option<&'static str>,
) -> impl IntoView {
    let cells = columns.iter().map(|code| cell_of(&a, code)).collect_view();
    let complete = a.may_complete.then(|| {
        view! {
            <form method="post" action=paths::ACTIVITY_COMPLETE.of(a.id) class="inline-form no-print">
                {back.map(|back| view! { <input type="hidden" name="back" value=back/> })}
                <button type="submit" class="secondary">{t("activity.complete")}</button>
            </form>
        }
    });
    let change = a.may_edit.then(|| {
        let confirm = move |ev: leptos::ev::SubmitEvent| {
            if !window()
                .confirm_with_message(t("activity.delete_confirm"))
                .unwrap_or(false)
            {
                ev.prevent_default();
            }
        };
        view! {
            <a href=paths::ACTIVITY_EDIT.of(a.id) class="link-button no-print">{t("common.edit")}</a>
            <form method="post" action=paths::ACTIVITY_DELETE.of(a.id) class="inline-form no-print"
                on:submit=confirm>
                <button type="submit" class="secondary">{t("common.delete")}</button>
            </form>
        }
    });
    view! {
        <tr data-activity=a.id.to_string()>
            <td>{a.date.clone()}</td>
            {cells}
            <td class="no-print">{complete}{change}</td>
        </tr>
    }
}

/// One optional column of an activity.
fn cell_of(a: &ActivityView, code: &str) -> AnyView {
    match code {
        "kind" => view! { <td>{t(a.kind.label_key())}</td> }.into_any(),
        "customer" => view! {
            <td><a href=paths::CUSTOMER.of(a.customer_id)>{a.customer_name.clone()}</a></td>
        }
        .into_any(),
        "opportunity" => {
            let link = a
                .opportunity
                .clone()
                .map(|(id, name)| view! { <a href=paths::OPPORTUNITY.of(id)>{name}</a> });
            view! { <td>{link}</td> }.into_any()
        }
        "contacts" => view! { <td>{a.contacts.join("、")}</td> }.into_any(),
        "notes" => view! { <td class="notes">{a.notes.clone()}</td> }.into_any(),
        "creator" => view! { <td>{a.creator.clone()}</td> }.into_any(),
        "status" => {
            let status = if a.done {
                "activity.done"
            } else {
                "activity.planned"
            };
            view! {
                <td>
                    {t(status)}
                    {a.overdue.then(|| view! { <span class="overdue">{t("activity.overdue")}</span> })}
                </td>
            }
            .into_any()
        }
        _ => view! { <td></td> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_head_sorts_ascending_from_the_default_and_back() {
        assert_eq!(sort_state("", "date"), ("descending", " ▼", "date".into()));
        assert_eq!(
            sort_state("date", "date"),
            ("ascending", " ▲", "date_desc".into())
        );
        assert_eq!(sort_state("", "kind"), ("none", "", "kind".into()));
    }
}
