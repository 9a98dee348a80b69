//! The frame around every page after login: the user's name and login time, the menu bar
//! (only the entries the user may use), the language switch and 退出. Plain forms and a CSS
//! toggle, so all of it works before the WASM loads.

use super::language_switch::LanguageSwitch;
use crate::i18n::t;
use crate::model::{CurrentUser, MenuItem};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

/// The logged-in user, for the pages below the shell (`None` only if the session ended while
/// the page was being made).
#[derive(Clone)]
pub struct Viewer(pub Option<CurrentUser>);

/// The user is known on the server without waiting (the session middleware put it into the
/// request) and travels to the browser with the page, so no `<Suspense>` is needed for it.
#[component]
pub fn Shell() -> impl IntoView {
    let user = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let user = crate::api::auth::viewer().ok();
        #[cfg(not(feature = "ssr"))]
        let user = None;
        user
    })
    .into_inner();
    provide_context(Viewer(user.clone()));
    let header = match user {
        Some(user) => view! { <Header user/> }.into_any(),
        None => view! {
            <header class="app-header">
                <a href="/login">{t("login.submit")}</a>
            </header>
        }
        .into_any(),
    };
    view! {
        {header}
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
