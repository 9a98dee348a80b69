//! Publishing (添加) and editing an announcement: 标题*, 内容*, the audience (the province or one
//! city; fixed once published, as the audience has been told), an optional 附件. Plain form
//! posts; a refused one comes back with everything typed and the file held.

use crate::api::announcements::{
    load_announcement_form, AnnouncementFormOptions, SubmittedAnnouncement,
};
use crate::components::attachment_field::AttachmentField;
use crate::components::form_check::ClientCheck;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::announcement::AnnouncementForm;
use crate::model::AppError;
use crate::pages::opportunities::fields::field_error;
use crate::pages::status::record_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AnnouncementNewPage() -> impl IntoView {
    view! { <FormPage editing=false/> }
}

#[component]
pub fn AnnouncementEditPage() -> impl IntoView {
    view! { <FormPage editing=true/> }
}

#[component]
fn FormPage(editing: bool) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let options = Resource::new(id, move |id| async move {
        match (editing, id) {
            (false, _) => load_announcement_form(None).await,
            (true, Some(id)) => load_announcement_form(Some(id)).await,
            (true, None) => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedAnnouncement>).into_inner();
    record_page(options, move |o| {
        let submitted = submitted.clone();
        view! { <AnnouncementFormView o submitted/> }
    })
}

#[component]
fn AnnouncementFormView(
    o: AnnouncementFormOptions,
    submitted: Option<SubmittedAnnouncement>,
) -> impl IntoView {
    let check = ClientCheck::new();
    let (form, version, errors) = match submitted {
        Some(s) => (s.form, s.version, s.errors),
        None => (o.form.clone(), o.version, Vec::new()),
    };
    let on_submit = check.on_submit(|body| body.read::<AnnouncementForm>().parse().map(|_| ()));
    let error = |field: &'static str| field_error(check, &errors, field);
    let (title, action, back) = match o.id {
        Some(id) => (
            "announcement.edit",
            paths::ANNOUNCEMENT_EDIT.of(id),
            paths::ANNOUNCEMENT.of(id),
        ),
        None => (
            "announcement.add",
            paths::ANNOUNCEMENT_NEW.path().to_owned(),
            paths::ANNOUNCEMENTS.path().to_owned(),
        ),
    };
    let editing = o.id.is_some();
    let cities = o
        .cities
        .iter()
        .map(|(id, name)| {
            let selected = form.city_id == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <section class="page">
            <h1>{t(title)}</h1>
            <form method="post" action=action enctype="multipart/form-data" class="record-form" novalidate on:submit=on_submit>
                <input type="hidden" name="version" value=version.to_string()/>
                <div class="field">
                    <label for="title">{t("announcement.title")}<span class="required">"*"</span></label>
                    <input id="title" name="title" type="text" value=form.title.clone()/>
                    {error("title")}
                </div>
                <div class="field">
                    <label for="body">{t("announcement.body")}<span class="required">"*"</span></label>
                    <TextArea id="body" name="body" rows=8 value=form.body.clone()/>
                    {error("body")}
                </div>
                <div class="field">
                    <label for="city_id">{t("announcement.audience")}</label>
                    // Once published the audience has been told: it stays as it is.
                    <select id="city_id" name="city_id" disabled=editing>
                        <option value="" selected=form.city_id.is_empty()>{t("announcement.province")}</option>
                        {cities}
                    </select>
                    {editing.then(|| view! { <input type="hidden" name="city_id" value=form.city_id.clone()/> })}
                    {error("city_id")}
                </div>
                <AttachmentField
                    held_id=form.attachment_id.clone()
                    held_name=form.attachment_name.clone()
                    error=error("attachment")
                />
                {field_error(check, &errors, "")}
                <div class="actions">
                    <button type="submit" class="primary">{t("announcement.publish")}</button>
                    <a href=back class="button secondary">{t("common.cancel")}</a>
                </div>
            </form>
        </section>
    }
}
