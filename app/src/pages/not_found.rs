//! The page for an unknown address.

use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="page">
            <h1>{t("common.not_found")}</h1>
            <p><a href="/">{t("common.back_home")}</a></p>
        </section>
    }
}
