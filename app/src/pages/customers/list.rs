//! 客户管理. The list with its query conditions is the next slice; for now the entry point to
//! 添加客户.

use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("customer.list")}</h1>
                <a href="/customers/new" class="button">{t("customer.new")}</a>
            </div>
            <p class="notice">{t("customer.list_soon")}</p>
        </section>
    }
}
