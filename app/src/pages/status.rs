//! The pages for an unknown address (404) and a refused one (403).

use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <StatusPage status=404 title_key="common.not_found"/> }
}

/// 「无权访问」 with status 403, telling nothing else.
#[component]
pub fn Forbidden() -> impl IntoView {
    view! { <StatusPage status=403 title_key="common.forbidden"/> }
}

/// 「系统繁忙，请稍后再试」 with status 500: the server failed (its log says why).
#[component]
pub fn ServerError() -> impl IntoView {
    view! { <StatusPage status=500 title_key="error.internal"/> }
}

/// What a page shows for a record it could not load: 「记录不存在」 (404), a failure of the
/// server (500), or 「无权访问」 (403) for any refusal, so an id reveals nothing.
pub fn refusal_page(e: crate::model::AppError) -> AnyView {
    use crate::model::AppError;
    match e {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Internal | AppError::Transport(_) => view! { <ServerError/> }.into_any(),
        _ => view! { <Forbidden/> }.into_any(),
    }
}

/// A page that only says what went wrong, with the HTTP status to match.
#[component]
fn StatusPage(status: u16, title_key: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = http::StatusCode::from_u16(status) {
            resp.set_status(code);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
    view! {
        <section class="page">
            <h1>{t(title_key)}</h1>
            <p><a href="/">{t("common.back_home")}</a></p>
        </section>
    }
}

/// A page over one loaded record: `body` once it is loaded, [`refusal_page`] when it cannot be.
pub fn record_page<T, V>(
    record: Resource<Result<T, crate::model::AppError>>,
    body: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match record.await {
                        Ok(loaded) => body(loaded).into_any(),
                        Err(e) => refusal_page(e),
                    }
                })
            }}
        </Suspense>
    }
}
