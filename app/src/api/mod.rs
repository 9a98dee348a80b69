//! The `#[server]` functions, one module per area. Each checks the caller, calls the service
//! the server provides through context, and maps the result; the rules live in `server`.

pub mod activities;
pub mod activity_list;
pub mod admin;
pub mod analysis;
pub mod announcements;
pub mod auth;
pub mod contacts;
pub mod customers;
pub mod evaluations;
pub mod home;
pub mod jobs;
pub mod milestones;
pub mod opportunities;
pub mod org;
pub mod outreach;
pub mod profile;
pub mod quotes;
pub mod rankings;
pub mod warnings;

/// The service of type `S` that the server put into the request's context.
#[cfg(feature = "ssr")]
pub(crate) fn service<S: ?Sized + Send + Sync + 'static>(
) -> Result<std::sync::Arc<S>, crate::model::AppError> {
    leptos::prelude::use_context::<std::sync::Arc<S>>().ok_or_else(|| {
        leptos::logging::error!(
            "service missing from context: {}",
            std::any::type_name::<S>()
        );
        crate::model::AppError::Internal
    })
}

/// Gives a refused server-function call the HTTP status that says why (the body is the error).
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(
    result: Result<T, crate::model::AppError>,
) -> Result<T, crate::model::AppError> {
    if let Err(e) = &result {
        let status = http::StatusCode::from_u16(e.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
    result
}
