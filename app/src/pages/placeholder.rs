//! A menu entry whose page is not built yet: says so plainly (and refuses those who may not
//! use the entry at all).

use super::status::Forbidden;
use crate::components::shell::Viewer;
use crate::i18n::t;
use crate::model::MenuItem;
use leptos::prelude::*;

#[component]
pub fn NotBuilt(item: MenuItem) -> impl IntoView {
    let allowed = use_context::<Viewer>()
        .and_then(|v| v.0)
        .is_some_and(|u| item.visible_to(&u));
    if allowed {
        view! {
            <section class="page">
                <h1>{t(item.label_key())}</h1>
                <p class="notice">{t("common.not_built")}</p>
            </section>
        }
        .into_any()
    } else {
        view! { <Forbidden/> }.into_any()
    }
}
