//! `GET /events`: the HTTP end of the live channel (the hub is `events`).

use crate::state::AppState;
use app::model::CurrentUser;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::time::Duration;

/// `GET /events`: the logged-in user's event stream (401 without a session).
pub async fn stream(
    State(state): State<AppState>,
    viewer: Option<Extension<CurrentUser>>,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(events) = state.services.events.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    Sse::new(events.stream_for(viewer.id))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
