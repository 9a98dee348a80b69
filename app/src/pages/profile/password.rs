//! 修改密码: the fields (on 个人资料, and alone on the page a user who must change their
//! password is sent to before anything else).

use super::viewer_login;
use crate::api::profile::SubmittedPassword;
use crate::components::form_check::ClientCheck;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::profile::PasswordForm;
use crate::pages::opportunities::fields::field_error;
use crate::paths;
use leptos::prelude::*;

/// The form: 原密码, 新密码, 确认新密码. Never filled in again after a refusal.
#[component]
pub fn PasswordFields(action: &'static str, errors: Vec<FieldError>) -> impl IntoView {
    let check = ClientCheck::new();
    let login = viewer_login();
    let on_submit = check.on_submit(move |body| body.read::<PasswordForm>().check(&login));
    let error = |field: &'static str| field_error(check, &errors, field);
    view! {
        <form method="post" action=action class="record-form password-form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="old_password">{t("password.old")}<span class="required">"*"</span></label>
                <input id="old_password" name="old_password" type="password"
                    autocomplete="current-password" maxlength="128"/>
                {error("old_password")}
            </div>
            <div class="field">
                <label for="new_password">{t("password.new")}<span class="required">"*"</span></label>
                <input id="new_password" name="new_password" type="password"
                    autocomplete="new-password" maxlength="128" aria-describedby="password-rules"/>
                <span class="hint" id="password-rules">{t("password.rules")}</span>
                {error("new_password")}
            </div>
            <div class="field">
                <label for="confirm_password">{t("password.confirm")}<span class="required">"*"</span></label>
                <input id="confirm_password" name="confirm_password" type="password"
                    autocomplete="new-password" maxlength="128"/>
                {error("confirm_password")}
            </div>
            {field_error(check, &errors, "")}
            <div class="actions">
                <button type="submit" class="primary">{t("password.title")}</button>
            </div>
        </form>
    }
}

/// The page a user whose password was set by the 系统管理员 sees until they change it: no
/// menu (nothing else is open to them yet), 退出 to leave.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let errors = SharedValue::new(use_context::<SubmittedPassword>)
        .into_inner()
        .map(|s| s.errors)
        .unwrap_or_default();
    view! {
        <section class="login-page">
            <div class="login-form">
                <h1>{t("app.name")}</h1>
                <h2>{t("password.title")}</h2>
                <p class="notice">{t("password.forced")}</p>
                <PasswordFields action=paths::PASSWORD.path() errors/>
                <form method="post" action=paths::LOGOUT.path()>
                    <button type="submit" class="link">{t("shell.logout")}</button>
                </form>
            </div>
            <div class="login-language"><LanguageSwitch/></div>
        </section>
    }
}
