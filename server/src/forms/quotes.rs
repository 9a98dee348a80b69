//! The form posts of 报价: 新建报价 / 新版本, 保存 (on the revision read), 标记已发送 and
//! 设为预计金额.

use super::{answer, done, Posted};
use crate::state::AppState;
use app::api::quotes::SubmittedQuote;
use app::model::posted::Versioned;
use app::model::quote::QuoteForm;
use axum::extract::{Path, State};
use axum::response::Response;

/// `POST /opportunities/{id}/quotes` (新建报价 / 新版本).
pub async fn post_new_quote(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    done(state.services.new_quote_version(&posted.viewer, id).await)
}

/// `POST /quotes/{id}` (保存): refused, the page comes back with what was typed.
pub async fn post_save_quote(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let form = posted.form::<QuoteForm>();
    let revision = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .save_quote(&posted.viewer, id, revision, &form)
        .await;
    answer(state, posted.parts, outcome, |errors| SubmittedQuote {
        form,
        errors,
    })
    .await
}

/// `POST /quotes/{id}/sent` (标记已发送).
pub async fn post_quote_sent(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    done(state.services.mark_quote_sent(&posted.viewer, id).await)
}

/// `POST /quotes/{id}/apply` (设为预计金额): refused, the quote's page says why.
pub async fn post_apply_quote(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let outcome = state.services.apply_quote(&posted.viewer, id).await;
    answer(state, posted.parts, outcome, |errors| SubmittedQuote {
        form: QuoteForm::default(),
        errors,
    })
    .await
}
