//! An announcement's page: its text as typed (never interpreted as markup), line breaks kept;
//! 编辑 and 撤回 for its publisher.

use crate::api::announcements::{load_announcement, AnnouncementView};
use crate::i18n::t;
use crate::model::AppError;
use crate::pages::status::record_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AnnouncementPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let announcement = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_announcement(id).await,
            None => Err(AppError::NotFound),
        }
    });
    record_page(announcement, |a| view! { <Announcement a/> })
}

#[component]
fn Announcement(a: AnnouncementView) -> impl IntoView {
    let manage = a.can_manage.then(|| {
        view! {
            <div class="actions no-print">
                <a href=paths::ANNOUNCEMENT_EDIT.of(a.id) class="link-button">{t("common.edit")}</a>
                <form method="post" action=paths::ANNOUNCEMENT_WITHDRAW.of(a.id) class="inline-form">
                    <button type="submit" class="secondary">{t("announcement.withdraw")}</button>
                </form>
            </div>
        }
    });
    view! {
        <section class="page announcement">
            <h1>{a.title.clone()}</h1>
            <p class="meta">
                {a.publisher.clone()}" · "{a.published_at.clone()}" · "{t("announcement.audience")}"："{a.audience.clone().unwrap_or_else(|| t("announcement.province").to_owned())}
                {a.updated_at.clone().map(|at| view! { " · "{t("announcement.updated_at")}" "{at} })}
            </p>
            <div class="announcement-body">{a.body.clone()}</div>
            {a.attachment.clone().map(|(id, name)| view! {
                <p>{t("signing.attachment")}"："<a href=paths::ATTACHMENT.of(id) rel="external" download>{name}</a></p>
            })}
            {manage}
            <p><a href=paths::ANNOUNCEMENTS.path()>{t("announcement.back")}</a></p>
        </section>
    }
}
