//! `POST /outreach` (发送): the message to the contacts chosen; back to the compose page with
//! what happened, or the page again with what was typed and why it was refused.

use super::{refused, refused_again, Posted};
use crate::state::AppState;
use app::model::customer::FieldError;
use app::model::outreach::{OutreachForm, SubmittedOutreach};
use app::model::AppError;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn post_outreach(State(state): State<AppState>, posted: Posted) -> Response {
    let form: OutreachForm = posted.form();
    let errors = match state.services.send_outreach(&posted.viewer, &form).await {
        Ok(sent) => {
            let mut next = format!(
                "{}?sent={}&failed={}&recorded={}",
                app::paths::OUTREACH.path(),
                sent.sent,
                sent.failed,
                sent.recorded
            );
            if let Ok(customer) = form.customer.trim().parse::<i64>() {
                next.push_str(&format!("&customer={customer}"));
            }
            return Redirect::to(&next).into_response();
        }
        Err(AppError::Invalid(errors)) => errors,
        Err(e @ (AppError::Forbidden | AppError::Unauthenticated)) => return refused(e),
        Err(_) => vec![FieldError::new("", "error.internal")],
    };
    refused_again(state, posted.parts, SubmittedOutreach { form, errors }).await
}
