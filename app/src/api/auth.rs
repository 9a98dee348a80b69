//! Who is calling. The server's session middleware puts the [`CurrentUser`] into the request;
//! every server function starts from [`viewer`].

use crate::model::{AppError, CurrentUser};
use leptos::prelude::*;

/// The logged-in caller of this request, or `Unauthenticated`.
#[cfg(feature = "ssr")]
pub fn viewer() -> Result<CurrentUser, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
        .ok_or(AppError::Unauthenticated)
}

/// The logged-in user, for the header and the menu.
#[server(endpoint = "whoami")]
pub async fn logged_in_user() -> Result<CurrentUser, AppError> {
    viewer()
}
