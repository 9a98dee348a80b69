//! The menu's counts (待办任务, unread 待阅消息) for the page being rendered, read once per page
//! request and handed to the render through the request, so the shell shows them without
//! waiting on a resource (the browser keeps them live afterwards).

use crate::state::AppState;
use app::api::opportunities::Badges;
use app::model::CurrentUser;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

pub async fn attach_badges(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let page = !["/api/", "/pkg/", "/events", "/healthz", "/favicon"]
        .iter()
        .any(|p| path.starts_with(p));
    if page {
        if let Some(user) = request.extensions().get::<CurrentUser>() {
            match state.services.store.badge_counts(user.id).await {
                Ok((todo, unread)) => {
                    request.extensions_mut().insert(Badges { todo, unread });
                }
                Err(e) => tracing::warn!(error = %e, "badge counts unavailable"),
            }
        }
    }
    next.run(request).await
}
