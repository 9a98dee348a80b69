//! The menu's counts (待办任务, unread 待阅消息) for the page being rendered, read once per page
//! and handed to the render through the request, so the shell shows them without waiting on a
//! resource (the browser keeps them live afterwards). Only pages pay for them: a GET of a page
//! (read with the session, `auth::guard`), or a refused form shown again — never a post that
//! redirects, an asset or a server function.

use crate::state::AppState;
use app::api::opportunities::Badges;
use app::model::CurrentUser;
use axum::http::{Extensions, Method};

/// Whether a request is for a page the shell renders (and so shows the menu's counts).
pub fn is_page(method: &Method, path: &str) -> bool {
    method == Method::GET
        && !["/api/", "/pkg/", "/events", "/healthz", "/favicon"]
            .iter()
            .any(|p| path.starts_with(p))
}

/// Puts the logged-in viewer's counts into `extensions`, for the shell to show.
pub async fn insert(state: &AppState, extensions: &mut Extensions) {
    let Some(user) = extensions.get::<CurrentUser>().cloned() else {
        return;
    };
    match state.services.store.badge_counts(user.id).await {
        Ok((todo, unread)) => {
            let warnings = state.services.warning_badge(&user).await;
            extensions.insert(Badges {
                todo,
                unread,
                warnings,
            });
        }
        Err(e) => tracing::warn!(error = %e, "badge counts unavailable"),
    }
}
