//! 登录: a plain form that posts to the server, so it works with JavaScript off.

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::t;
use crate::model::redirect::local_path;
use crate::model::LoginFailure;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query();
    let param = move |name: &str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let error =
        LoginFailure::from_code(&param("error")).map(|f| t(&format!("login.error.{}", f.code())));
    view! {
        <section class="login-page">

            <form method="post" action=paths::LOGIN.path() class="login-form">
                <h1>{t("app.name")}</h1>
                <h2>{t("login.title")}</h2>
                {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <input type="hidden" name="next" value=local_path(&param("next")).to_owned()/>
                <div class="field">
                    <label for="login">{t("login.username")}<span class="required">"*"</span></label>
                    <input id="login" name="login" type="text" autocomplete="username" required
                        maxlength="64" value=param("login")/>
                </div>
                <div class="field">
                    <label for="password">{t("login.password")}<span class="required">"*"</span></label>
                    <input id="password" name="password" type="password"
                        autocomplete="current-password" required maxlength="128"/>
                </div>
                <button type="submit" class="primary">{t("login.submit")}</button>
            </form>
            <div class="login-language"><LanguageSwitch/></div>
        </section>
    }
}
