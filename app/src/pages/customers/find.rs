//! The results of 快速查找.

use crate::api::customers::quick_find;
use crate::components::quick_find::QuickFind;
use crate::i18n::t;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn CustomerFindPage() -> impl IntoView {
    let params = use_query();
    let q = move || params.with(|p| p.get("q").unwrap_or_default());
    let found = Resource::new(q, quick_find);
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("customer.quick_find")}</h1>
                <QuickFind value=q()/>
            </div>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="notice">{t("customer.none")}</p>
                        }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap">
                                <table class="list">
                                    <thead>
                                        <tr>
                                            <th>{t("customer.name")}</th>
                                            <th>{t("customer.industry")}</th>
                                            <th>{t("customer.owner")}</th>
                                            <th>{t("customer.phone")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=paths::CUSTOMER.of(r.id)>{r.name}</a></td>
                                                <td>{r.industry}</td>
                                                <td>{r.owner}</td>
                                                <td>{r.phone.unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
