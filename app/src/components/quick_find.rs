//! 快速查找: one box on the customer pages that finds a customer by any part of its name or
//! phone. A GET form, so it works before the WASM loads and the result has an address.

use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn QuickFind(#[prop(optional, into)] value: String) -> impl IntoView {
    view! {
        <form method="get" action="/customers/find" class="quick-find" role="search">
            <label for="quick-find">{t("customer.quick_find")}</label>
            <input id="quick-find" name="q" type="search" value=value
                placeholder=t("customer.quick_find_hint")/>
            <button type="submit" class="secondary">{t("customer.quick_find_go")}</button>
        </form>
    }
}
