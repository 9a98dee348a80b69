//! The frame around every page after login: the user's name and login time, the menu bar
//! (only the entries the user may use), the language switch and 退出. Plain forms and a CSS
//! toggle, so all of it works before the WASM loads.

use crate::api::auth::logged_in_user;
use crate::i18n::{t, use_locale, Locale};
use crate::model::{AppError, CurrentUser, MenuItem};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

/// The logged-in user, shared with the pages below the shell.
pub type UserResource = Resource<Result<CurrentUser, AppError>>;

#[component]
pub fn Shell() -> impl IntoView {
    let user: UserResource = Resource::new(|| (), |_| logged_in_user());
    provide_context(user);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(user) => view! { <Header user/> }.into_any(),
                    Err(_) => view! {
                        <header class="app-header">
                            <a href="/login">{t("login.submit")}</a>
                        </header>
                    }.into_any(),
                }
            })}
        </Suspense>
        <div class="content">
            <Outlet/>
        </div>
    }
}

#[component]
fn Header(user: CurrentUser) -> impl IntoView {
    let path = use_location().pathname;
    let items: Vec<MenuItem> = MenuItem::ALL
        .into_iter()
        .filter(|item| item.visible_to(&user))
        .collect();
    view! {
        <header class="app-header">
            <div class="brand">
                <a href="/" class="brand-name">{t("app.name")}</a>
            </div>
            <div class="user-info">
                <span class="user-name">{user.name.clone()}</span>
                <span class="login-time">{t("shell.login_time")}{user.login_time.clone()}</span>
                <LanguageSwitch/>
                <form method="post" action="/logout" class="inline-form">
                    <button type="submit" class="link-button">{t("shell.logout")}</button>
                </form>
            </div>
        </header>
        <nav class="menu-bar" aria-label=t("menu.toggle")>
            <input type="checkbox" id="menu-toggle" class="menu-toggle"/>
            <label for="menu-toggle" class="menu-toggle-label">"☰ "{t("menu.toggle")}</label>
            <ul class="menu">
                {items
                    .into_iter()
                    .map(|item| {
                        let active = move || {
                            let p = path.get();
                            if item.path() == "/" { p == "/" } else { p.starts_with(item.path()) }
                        };
                        view! {
                            <li>
                                <a href=item.path() class:active=active>{t(item.label_key())}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// 中文 / English: a form post that sets the `lang` cookie and comes back here.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
    let other = match use_locale() {
        Locale::Zh => (Locale::En, "English"),
        Locale::En => (Locale::Zh, "中文"),
    };
    view! {
        <form method="post" action="/lang" class="inline-form">
            <input type="hidden" name="back" value=back/>
            <button type="submit" name="lang" value=other.0.code() class="link-button lang-switch">
                {other.1}
            </button>
        </form>
    }
}
