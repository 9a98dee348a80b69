//! The 销售活动 panel of a customer or opportunity page: newest first, 添加活动 for those who
//! may log one, 完成 for a planned activity's creator.

use crate::api::activities::{ActivityList, ActivityTarget};
use crate::i18n::t;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn Activities(list: ActivityList, target: ActivityTarget) -> impl IntoView {
    let add = list.can_log.then(|| {
        view! {
            <a href=format!("{}/activities/new", target.page()) class="link-button no-print">{t("activity.new")}</a>
        }
    });
    let on_customer = matches!(target, ActivityTarget::Customer(_));
    let rows = list
        .rows
        .into_iter()
        .map(|a| {
            // On a customer's page, say which opportunity an activity was about.
            let about = if on_customer {
                a.opportunity.map(|(id, name)| {
                    view! { <a href=paths::OPPORTUNITY.of(id)>{name}</a> }.into_any()
                })
            } else {
                Some(view! { <a href=paths::CUSTOMER.of(a.customer_id)>{a.customer_name.clone()}</a> }.into_any())
            };
            let status = if a.done { "activity.done" } else { "activity.planned" };
            let complete = a.may_complete.then(|| {
                view! {
                    <form method="post" action=paths::ACTIVITY_COMPLETE.of(a.id) class="inline-form no-print">
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
                <tr>
                    <td>{a.date}</td>
                    <td>{t(a.kind.label_key())}</td>
                    <td>{about}</td>
                    <td>{a.contacts.join("、")}</td>
                    <td class="notes">{a.notes}</td>
                    <td>{a.creator}</td>
                    <td>
                        {t(status)}
                        {a.overdue.then(|| view! { <span class="overdue">{t("activity.overdue")}</span> })}
                        {complete}{change}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = rows.is_empty();
    let about_head = if on_customer {
        "activity.opportunity"
    } else {
        "activity.customer"
    };
    view! {
        <div class="panel" id="activities">
            <div class="panel-head">
                <h2>{t("activity.title")}</h2>
                {add}
            </div>
            <div class="panel-body table-wrap">
                {if empty {
                    view! { <p class="notice">{t("activity.none")}</p> }.into_any()
                } else {
                    view! {
                        <table class="list">
                            <thead><tr>
                                <th>{t("activity.date")}</th>
                                <th>{t("activity.kind")}</th>
                                <th>{t(about_head)}</th>
                                <th>{t("activity.contacts")}</th>
                                <th>{t("activity.notes")}</th>
                                <th>{t("activity.creator")}</th>
                                <th>{t("activity.status")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                }}
            </div>
        </div>
    }
}
