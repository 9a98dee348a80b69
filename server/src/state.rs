//! The router's state, apart from the code that builds the router, so handlers and guards can
//! name it without importing the application's wiring.

use crate::auth::session::SessionPolicy;
use crate::policy::lockout::LockoutPolicy;
use crate::services::Services;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

/// The router's state: what handlers outside Leptos need.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub session: SessionPolicy,
    pub lockout: LockoutPolicy,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
