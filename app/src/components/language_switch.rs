//! 中文 / English: a form post that sets the `lang` cookie and comes back to this page.

use crate::i18n::{use_locale, Locale};
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Offers the other language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
    let other = match use_locale() {
        Locale::Zh => (Locale::En, "English"),
        Locale::En => (Locale::Zh, "中文"),
    };
    view! {
        <form method="post" action=paths::LANGUAGE.path() class="inline-form">
            <input type="hidden" name="back" value=back/>
            <button type="submit" name="lang" value=other.0.code() class="link-button lang-switch">
                {other.1}
            </button>
        </form>
    }
}
