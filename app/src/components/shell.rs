//! The frame around every page after login: the user's name and login time, the menu bar
//! (only the entries the user may use), the language switch and 退出. Plain forms and a CSS
//! toggle, so all of it works before the WASM loads.

use super::language_switch::LanguageSwitch;
use crate::i18n::t;
use crate::model::{CurrentUser, MenuItem};
use crate::paths;
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
    super::live::Live::provide();
    let header = match user {
        Some(user) => view! { <Header user/> }.into_any(),
        None => view! {
            <header class="app-header">
                <a href=paths::LOGIN.path()>{t("login.submit")}</a>
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
                <form method="post" action=paths::LOGOUT.path() class="inline-form">
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
                        let badges = matches!(item, MenuItem::Tasks | MenuItem::Warnings)
                            .then(|| view! { <Badges item/> });
                        view! {
                            <li>
                                <a href=item.path() class:active=active>{t(item.label_key())}{badges}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The counts of 待办任务 and unread 待阅消息 beside 任务, and of the viewer's own warnings beside
/// 客户业务预警: as the server read them for this page, then fetched again on every live event.
#[component]
fn Badges(item: MenuItem) -> impl IntoView {
    use crate::api::opportunities::{load_badges, Badges};
    let initial = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let badges = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Badges>().copied())
            .unwrap_or_default();
        #[cfg(not(feature = "ssr"))]
        let badges = Badges::default();
        badges
    })
    .into_inner();
    let live = super::live::Live::revision();
    let fresh = LocalResource::new(move || {
        let revision = live.get();
        async move {
            if revision == 0 {
                None
            } else {
                load_badges().await.ok()
            }
        }
    });
    let counts = move || fresh.get().flatten().unwrap_or(initial);
    view! {
        {move || {
            let b = counts();
            if item == MenuItem::Warnings {
                let shown = if b.warnings >= 99 { "99+".to_owned() } else { b.warnings.to_string() };
                return (b.warnings > 0)
                    .then(|| view! {
                        <span class="badge warning" title=t("menu.warnings") data-badge="warnings">{shown}</span>
                    })
                    .into_any();
            }
            view! {
                {(b.todo > 0).then(|| view! {
                    <span class="badge" title=t("task.todo") data-badge="todo">{b.todo}</span>
                })}
                {(b.unread > 0).then(|| view! {
                    <span class="badge unread" title=t("task.messages") data-badge="unread">{b.unread}</span>
                })}
            }
            .into_any()
        }}
    }
}
