//! 添加用户 and a user's page: 登录名 (fixed once created), 姓名, org unit, roles, the 行业 of a
//! 行业总监, phone, email, the initial password (new users only); and on a user's page 停用 /
//! 启用 and 重置密码. Plain form posts; a refused one comes back with what was typed (never a
//! password) and the reason beside the field.

use crate::api::admin::{load_user_form, SubmittedUser, SubmittedUserAction, UserFormOptions};
use crate::components::form_check::ClientCheck;
use crate::i18n::t;
use crate::model::admin_user::UserForm;
use crate::model::AppError;
use crate::pages::opportunities::fields::field_error;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UserNewPage() -> impl IntoView {
    view! { <FormPage editing=false/> }
}

#[component]
pub fn UserPage() -> impl IntoView {
    view! { <FormPage editing=true/> }
}

#[component]
fn FormPage(editing: bool) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let options = Resource::new(id, move |id| async move {
        match (editing, id) {
            (false, _) => load_user_form(None).await,
            (true, Some(id)) => load_user_form(Some(id)).await,
            (true, None) => Err(AppError::NotFound),
        }
    });
    let submitted = SharedValue::new(use_context::<SubmittedUser>).into_inner();
    let action = SharedValue::new(use_context::<SubmittedUserAction>).into_inner();
    record_page(options, move |o| {
        let (submitted, action) = (submitted.clone(), action.clone());
        view! { <UserFormView o submitted action/> }
    })
}

/// The notice a finished post came back with.
fn notice() -> Option<&'static str> {
    use_query().with_untracked(|q| {
        [
            ("created", "user.created"),
            ("saved", "profile.saved"),
            ("reset", "user.password_reset"),
        ]
        .into_iter()
        .find(|(key, _)| q.get(key).is_some())
        .map(|(_, text)| text)
    })
}

#[component]
fn UserFormView(
    o: UserFormOptions,
    submitted: Option<SubmittedUser>,
    action: Option<SubmittedUserAction>,
) -> impl IntoView {
    let check = ClientCheck::new();
    let creating = o.id.is_none();
    let (form, version, errors) = match submitted {
        Some(s) => (s.form, s.version, s.errors),
        None => (o.form.clone(), o.version, Vec::new()),
    };
    let on_submit =
        check.on_submit(move |body| body.read::<UserForm>().parse(creating).map(|_| ()));
    let error = |field: &'static str| field_error(check, &errors, field);
    let (title, post_to) = match o.id {
        Some(id) => ("user.edit", paths::ADMIN_USER.of(id)),
        None => ("user.add", paths::ADMIN_USER_NEW.path().to_owned()),
    };
    let units = o
        .units
        .iter()
        .map(|(id, name)| {
            let selected = form.org_unit_id == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let roles = o
        .roles
        .iter()
        .map(|(code, label)| {
            let checked = form.roles.contains(code);
            view! {
                <label class="check">
                    <input type="checkbox" name="role" value=code.clone() checked=checked/>
                    {label.clone()}
                </label>
            }
        })
        .collect_view();
    let industries = o
        .industries
        .iter()
        .map(|(id, label)| {
            let checked = form.industry_ids.contains(&id.to_string());
            view! {
                <label class="check">
                    <input type="checkbox" name="industry" value=id.to_string() checked=checked/>
                    {label.clone()}
                </label>
            }
        })
        .collect_view();
    let actions = o.id.map(|id| {
        let errors = action.map(|a| a.errors).unwrap_or_default();
        view! { <UserActions id o=o.clone() errors/> }
    });
    view! {
        <section class="page">
            <p><a href=paths::ADMIN_USERS.path()>{t("admin.users")}</a></p>
            <h1>{t(title)}</h1>
            {notice().map(|key| view! { <p class="notice" role="status">{t(key)}</p> })}
            <form method="post" action=post_to class="record-form" novalidate on:submit=on_submit>
                <input type="hidden" name="version" value=version.to_string()/>
                <div class="field">
                    <label for="login">{t("user.login")}<span class="required">"*"</span></label>
                    {if creating {
                        view! { <input id="login" name="login" type="text" maxlength="64" value=form.login.clone()/> }.into_any()
                    } else {
                        view! {
                            <input id="login" type="text" value=form.login.clone() disabled=true/>
                            <input type="hidden" name="login" value=form.login.clone()/>
                        }.into_any()
                    }}
                    {error("login")}
                </div>
                <div class="field">
                    <label for="name">{t("profile.name")}<span class="required">"*"</span></label>
                    <input id="name" name="name" type="text" maxlength="50" value=form.name.clone()/>
                    {error("name")}
                </div>
                <div class="field">
                    <label for="org_unit_id">{t("profile.org_unit")}<span class="required">"*"</span></label>
                    <select id="org_unit_id" name="org_unit_id">
                        <option value="" selected=form.org_unit_id.is_empty()>{t("form.choose")}</option>
                        {units}
                    </select>
                    {error("org_unit_id")}
                </div>
                <fieldset class="field">
                    <legend>{t("profile.roles")}<span class="required">"*"</span></legend>
                    {roles}
                    {error("roles")}
                </fieldset>
                <fieldset class="field">
                    <legend>{t("user.industries")}</legend>
                    {industries}
                    {error("industries")}
                </fieldset>
                <div class="field">
                    <label for="phone">{t("profile.phone")}</label>
                    <input id="phone" name="phone" type="tel" maxlength="30" value=form.phone.clone()/>
                    {error("phone")}
                </div>
                <div class="field">
                    <label for="email">{t("profile.email")}</label>
                    <input id="email" name="email" type="email" maxlength="100" value=form.email.clone()/>
                    {error("email")}
                </div>
                {creating.then(|| view! {
                    <div class="field">
                        <label for="password">{t("user.initial_password")}<span class="required">"*"</span></label>
                        <input id="password" name="password" type="password" autocomplete="new-password" maxlength="128"/>
                        <span class="hint">{t("user.initial_password_hint")}</span>
                        {error("password")}
                    </div>
                })}
                {field_error(check, &errors, "")}
                <div class="actions">
                    <button type="submit" class="primary">{t("profile.save")}</button>
                    <a href=paths::ADMIN_USERS.path() class="button secondary">{t("common.cancel")}</a>
                </div>
            </form>
            {actions}
        </section>
    }
}

/// A user's status and password: 停用 / 启用 (what they still hold, which must be handed on
/// first) and 重置密码.
#[component]
fn UserActions(
    id: i64,
    o: UserFormOptions,
    errors: Vec<crate::model::customer::FieldError>,
) -> impl IntoView {
    let check = ClientCheck::new();
    let h = o.holdings;
    let error = |field: &'static str| field_error(check, &errors, field);
    let status = if o.disabled {
        "user.disabled"
    } else {
        "user.active"
    };
    view! {
        <h2>{t("user.status")}": "{t(status)}</h2>
        {o.must_change_password.then(|| view! { <p class="hint">{t("user.must_change")}</p> })}
        <p class="holdings">
            {t("user.holds")}
            {format!(" {} / {} / {}", h.open_tasks, h.customers, h.opportunities)}
            " "
            <a href=format!("{}?from={id}", paths::TRANSFER.path())>{t("transfer.title")}</a>
        </p>
        {error("")}
        {if o.disabled {
            view! {
                <form method="post" action=paths::ADMIN_USER_ENABLE.of(id) class="inline-form">
                    <button type="submit" class="secondary">{t("user.enable")}</button>
                </form>
            }.into_any()
        } else {
            view! {
                <form method="post" action=paths::ADMIN_USER_DISABLE.of(id) class="inline-form">
                    <button type="submit" class="secondary">{t("user.disable")}</button>
                </form>
            }.into_any()
        }}
        <h2>{t("user.reset_password")}</h2>
        <form method="post" action=paths::ADMIN_USER_PASSWORD.of(id) class="record-form" novalidate>
            <div class="field">
                <label for="reset_password">{t("password.new")}<span class="required">"*"</span></label>
                <input id="reset_password" name="password" type="password" autocomplete="new-password" maxlength="128"/>
                <span class="hint">{t("user.initial_password_hint")}</span>
                {error("password")}
            </div>
            <div class="actions">
                <button type="submit" class="secondary">{t("user.reset_password")}</button>
            </div>
        </form>
    }
}
