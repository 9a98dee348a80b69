//! The 公告通知 list: newest first, query by title, keyset paging, 「添加」 for publishers.

use crate::api::announcements::{list_announcements, AnnouncementListPage, AnnouncementListQuery};
use crate::components::live::Live;
use crate::i18n::t;
use crate::pages::address;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn AnnouncementListPage() -> impl IntoView {
    let query = use_query();
    let chosen = move || {
        query.with(|q| AnnouncementListQuery {
            title: q.get("title").unwrap_or_default(),
            after: q.get("after").unwrap_or_default(),
        })
    };
    let live = Live::revision();
    let page = Resource::new(
        move || (chosen(), live.get()),
        |(q, _)| list_announcements(q),
    );
    view! {
        <section class="page">
            <h1>{t("announcement.list")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = chosen();
                    match page.await {
                        Ok(p) => view! { <Listing p q/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Listing(p: AnnouncementListPage, q: AnnouncementListQuery) -> impl IntoView {
    let next = p
        .next
        .clone()
        .map(|after| address("/announcements", &[("title", &q.title), ("after", &after)]));
    let rows = p
        .rows
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td><a href=paths::ANNOUNCEMENT.of(a.id)>{a.title}</a></td>
                    <td>{a.audience.unwrap_or_else(|| t("announcement.province").to_owned())}</td>
                    <td>{a.publisher}</td>
                    <td>{a.published_at}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="get" action=paths::ANNOUNCEMENTS.path() class="query-form">
            <div class="field">
                <label for="title">{t("announcement.title")}</label>
                <input id="title" name="title" type="search" value=q.title.clone()/>
            </div>
            <button type="submit" class="primary">{t("query.submit")}</button>
            {p.can_publish.then(|| view! {
                <a href=paths::ANNOUNCEMENT_NEW.path() class="link-button">{t("announcement.add")}</a>
            })}
        </form>
        <div class="table-wrap">
            <table class="list">
                <thead><tr>
                    <th>{t("announcement.title")}</th>
                    <th>{t("announcement.audience")}</th>
                    <th>{t("announcement.publisher")}</th>
                    <th>{t("announcement.published_at")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {next.map(|href| view! { <a href=href class="link-button">{t("query.next_page")}</a> })}
    }
}
