//! 个人资料 (everyone, for themself): 基本信息 (姓名, 手机, 邮箱), 修改密码, and 我的会话 with
//! 「退出其他会话」; and 修改密码 on its own page for a password that must be changed first.
//! Plain form posts: a refused one comes back with what was typed (never a password) and the
//! reason beside each field.

mod password;

pub use password::PasswordPage;

use crate::api::profile::{load_profile, SubmittedPassword, SubmittedProfile};
use crate::components::form_check::ClientCheck;
use crate::components::shell::Viewer;
use crate::i18n::t;
use crate::model::profile::{ProfileForm, ProfileView};
use crate::pages::opportunities::fields::field_error;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| load_profile());
    let submitted = SharedValue::new(use_context::<SubmittedProfile>).into_inner();
    let password = SharedValue::new(use_context::<SubmittedPassword>).into_inner();
    record_page(profile, move |p| {
        let (submitted, password) = (submitted.clone(), password.clone());
        view! { <ProfileView p submitted password/> }
    })
}

/// The notice a finished post came back with (`?saved=1` and the like).
fn notice() -> Option<&'static str> {
    let query = use_query();
    query.with_untracked(|q| {
        if q.get("saved").is_some() {
            Some("profile.saved")
        } else if q.get("password").is_some() {
            Some("password.changed")
        } else if q.get("sessions").is_some() {
            Some("profile.ended")
        } else {
            None
        }
    })
}

#[component]
fn ProfileView(
    p: ProfileView,
    submitted: Option<SubmittedProfile>,
    password: Option<SubmittedPassword>,
) -> impl IntoView {
    let check = ClientCheck::new();
    let (form, version, errors) = match submitted {
        Some(s) => (s.form, s.version, s.errors),
        None => (p.form.clone(), p.version, Vec::new()),
    };
    let on_submit = check.on_submit(|body| body.read::<ProfileForm>().parse().map(|_| ()));
    let error = |field: &'static str| field_error(check, &errors, field);
    let others = p.sessions.iter().filter(|s| !s.current).count();
    let sessions = p
        .sessions
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.created_at.clone()}</td>
                    <td>{s.last_seen_at.clone()}</td>
                    <td>{s.current.then(|| t("profile.session_current"))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page profile">
            <h1>{t("menu.profile")}</h1>
            {notice().map(|key| view! { <p class="notice" role="status">{t(key)}</p> })}
            <h2>{t("profile.basic")}</h2>
            <dl class="record-fields">
                <dt>{t("profile.login")}</dt><dd>{p.login.clone()}</dd>
                <dt>{t("profile.org_unit")}</dt><dd>{p.org_unit.clone()}</dd>
                <dt>{t("profile.roles")}</dt><dd>{p.role_keys.join("、")}</dd>
            </dl>
            <form method="post" action=paths::PROFILE.path() class="record-form" novalidate on:submit=on_submit>
                <input type="hidden" name="version" value=version.to_string()/>
                <div class="field">
                    <label for="name">{t("profile.name")}<span class="required">"*"</span></label>
                    <input id="name" name="name" type="text" maxlength="50" value=form.name.clone()/>
                    {error("name")}
                </div>
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
                {field_error(check, &errors, "")}
                <div class="actions">
                    <button type="submit" class="primary">{t("profile.save")}</button>
                </div>
            </form>
            <h2>{t("password.title")}</h2>
            <password::PasswordFields
                action=paths::PROFILE_PASSWORD.path()
                errors=password.map(|p| p.errors).unwrap_or_default()
            />
            <h2>{t("profile.sessions")}</h2>
            <table class="list">
                <thead><tr>
                    <th>{t("profile.session_created")}</th>
                    <th>{t("profile.session_seen")}</th>
                    <th></th>
                </tr></thead>
                <tbody>{sessions}</tbody>
            </table>
            {(others > 0).then(|| view! {
                <form method="post" action=paths::PROFILE_SESSIONS_END.path() class="inline-form">
                    <button type="submit" class="secondary">{t("profile.end_others")}</button>
                </form>
            })}
        </section>
    }
}

/// The viewer's login, known on the server and sent with the page (the password check in the
/// browser compares against it); empty when there is nobody logged in.
fn viewer_login() -> String {
    if let Some(Viewer(Some(user))) = use_context::<Viewer>() {
        return user.login;
    }
    SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let login = crate::api::auth::viewer()
            .map(|u| u.login)
            .unwrap_or_default();
        #[cfg(not(feature = "ssr"))]
        let login = String::new();
        login
    })
    .into_inner()
}
