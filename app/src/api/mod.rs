//! The `#[server]` functions, one module per area. Each checks the caller, calls the service
//! the server provides through context, and maps the result; the rules live in `server`.

pub mod auth;
pub mod org;

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
