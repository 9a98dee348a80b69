//! 首页 (集成页面). The widgets (tasks, opportunities, announcements, rankings) arrive with
//! their issues; for now it greets the user and shows the organisation.

use crate::api::org::org_units;
use crate::components::org_tree::OrgTree;
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let units = Resource::new(|| (), |_| org_units());
    // Works only once the WASM has hydrated the page: the browser test relies on that.
    let (expanded, set_expanded) = signal(true);

    view! {
        <section class="page home">
            <h1>{t("home.welcome")}</h1>
            <p class="subtitle">{t("app.division")}</p>
            <div class="panel">
                <div class="panel-head">
                    <h2>{t("home.org")}</h2>
                    <button
                        type="button"
                        class="link-button"
                        aria-expanded=move || expanded.get().to_string()
                        on:click=move |_| set_expanded.update(|e| *e = !*e)
                    >
                        {move || if expanded.get() { t("home.collapse") } else { t("home.expand") }}
                    </button>
                </div>
                <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                    <div class="panel-body" class:hidden=move || !expanded.get()>
                        {move || Suspend::new(async move {
                            match units.await {
                                Ok(units) => view! { <OrgTree units/> }.into_any(),
                                Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                            }
                        })}
                    </div>
                </Suspense>
            </div>
        </section>
    }
}
