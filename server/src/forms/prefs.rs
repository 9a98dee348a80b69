//! `POST /prefs/columns`: the column chooser of a list (显示/隐藏列). The choice is kept per
//! user; the list is shown again with it.

use super::{done, Posted};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

/// The column chooser as posted: which list, the ticked columns (`col`, repeated) and the
/// list's address to go back to.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ColumnsPost {
    list: String,
    #[serde(rename = "col")]
    columns: Vec<String>,
    back: String,
}

pub async fn post_columns(State(state): State<AppState>, posted: Posted) -> Response {
    let ColumnsPost {
        list,
        columns,
        back,
    } = posted.form();
    let back = app::model::redirect::local_path(&back).to_owned();
    let result = state
        .services
        .save_columns(&posted.viewer, &list, &columns)
        .await;
    done(result.map(|()| back))
}
