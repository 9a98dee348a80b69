//! 首页. Until login is in front of it, it shows the organisation the system serves.

use crate::api::org::org_units;
use crate::components::org_tree::OrgTree;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let units = Resource::new(|| (), |_| org_units());
    // Works only once the WASM has hydrated the page: the browser test relies on that.
    let (expanded, set_expanded) = signal(true);

    view! {
        <section class="page home">
            <h1>"商机管理系统"</h1>
            <p class="subtitle">"集团客户事业部 · 商机报备、审批、签约与排名"</p>
            <div class="panel">
                <div class="panel-head">
                    <h2>"组织机构"</h2>
                    <button
                        type="button"
                        class="link-button"
                        aria-expanded=move || expanded.get().to_string()
                        on:click=move |_| set_expanded.update(|e| *e = !*e)
                    >
                        {move || if expanded.get() { "收起" } else { "展开" }}
                    </button>
                </div>
                <Suspense fallback=|| view! { <p>"加载中…"</p> }>
                    <div class="panel-body" class:hidden=move || !expanded.get()>
                        {move || Suspend::new(async move {
                            match units.await {
                                Ok(units) => view! { <OrgTree units/> }.into_any(),
                                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                            }
                        })}
                    </div>
                </Suspense>
            </div>
        </section>
    }
}
