//! 新建联系人 from the 联系人 list: first, which customer? A search among the customers the
//! viewer may see (the same 快速查找); choosing one opens its 新建联系人 form, which returns to
//! the customer's page.

use crate::api::customers::quick_find;
use crate::i18n::t;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn ContactChooseCustomerPage() -> impl IntoView {
    let params = use_query();
    let q = move || params.with(|p| p.get("q").unwrap_or_default());
    let found = Resource::new(q, |q: String| async move {
        if q.trim().is_empty() {
            Ok(Vec::new())
        } else {
            quick_find(q).await
        }
    });
    view! {
        <section class="page">
            <h1>{t("contact.new")}</h1>
            <form method="get" action="/contacts/new" class="query-form">
                <div class="field">
                    <label for="choose-customer">{t("contact.choose_customer")}</label>
                    <input id="choose-customer" name="q" type="search" value=q() required/>
                </div>
                <button type="submit" class="primary">{t("query.submit")}</button>
            </form>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let asked = !q().trim().is_empty();
                    match found.await {
                        Ok(rows) if rows.is_empty() => asked
                            .then(|| view! { <p class="notice">{t("customer.none")}</p> })
                            .into_any(),
                        Ok(rows) => view! {
                            <ul class="choices">
                                {rows.into_iter().map(|r| view! {
                                    <li>
                                        <a href=paths::CUSTOMER_CONTACT_NEW.of(r.id)>{r.name}</a>
                                        " "
                                        <span class="muted">{r.owner}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
