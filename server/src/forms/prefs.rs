//! `POST /prefs/columns`: the column chooser of a list (显示/隐藏列). The choice is kept per
//! user; the list is shown again with it.

use super::{done, Posted};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;

pub async fn post_columns(State(state): State<AppState>, posted: Posted) -> Response {
    let pairs: Vec<(String, String)> = posted.form_pairs();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "col")
        .map(|(_, v)| v.clone())
        .collect();
    let back = app::model::redirect::local_path(&value("back")).to_owned();
    let result = state
        .services
        .save_columns(&posted.viewer, &value("list"), &chosen)
        .await;
    done(result.map(|()| back))
}
