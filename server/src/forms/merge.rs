//! `POST /customers/merge` (合并), and the old address of a merged customer leading to the one
//! it was merged into.

use super::{answer, Posted};
use crate::state::AppState;
use app::api::customers::SubmittedMerge;
use app::model::merge::MergeForm;
use app::paths;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /customers/merge`: to the survivor's page.
pub async fn post_merge(State(state): State<AppState>, posted: Posted) -> Response {
    let form: MergeForm = posted.form();
    let outcome = state
        .services
        .merge_customers(&posted.viewer, &form)
        .await
        .map(|id| format!("{}?merged=1", paths::CUSTOMER.of(id)));
    answer(state, posted.parts, outcome, |errors| SubmittedMerge {
        errors,
    })
    .await
}

/// The customer id a `GET /customers/{id}…` names, if the path is one.
fn customer_in(path: &str) -> Option<(i64, &str)> {
    let rest = path.strip_prefix("/customers/")?;
    let (id, tail) = rest
        .split_once('/')
        .map_or((rest, ""), |(id, tail)| (id, tail));
    Some((id.parse().ok()?, tail))
}

/// Middleware: a merged customer's pages lead to the survivor's (the survivor's scope decides
/// what is shown there). Asked only when the page was refused or not found, so an ordinary
/// customer page pays nothing for it.
pub async fn follow_merged(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let asked = (request.method() == Method::GET)
        .then(|| customer_in(request.uri().path()))
        .flatten()
        .map(|(id, tail)| (id, tail.to_owned()));
    let response = next.run(request).await;
    let missing = matches!(
        response.status(),
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    );
    if let (true, Some((id, tail))) = (missing, asked) {
        if let Ok(Some(survivor)) = state.services.store.merged_into(id).await {
            let target = match tail.as_str() {
                "" => paths::CUSTOMER.of(survivor),
                tail => format!("{}/{tail}", paths::CUSTOMER.of(survivor)),
            };
            return Redirect::to(&target).into_response();
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_customers_own_pages_are_followed() {
        assert_eq!(customer_in("/customers/12"), Some((12, "")));
        assert_eq!(customer_in("/customers/12/edit"), Some((12, "edit")));
        assert_eq!(customer_in("/customers/new"), None);
        assert_eq!(customer_in("/customers"), None);
        assert_eq!(customer_in("/contacts/12"), None);
    }
}
