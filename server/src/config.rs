//! Settings read from the environment, with defaults that run the app on embedded SQLite.

use leptos::config::LeptosOptions;

/// Where the app keeps its data unless `DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/bizopp.db";

/// The name of the browser bundle (`[[workspace.metadata.leptos]] output-name`).
pub const OUTPUT_NAME: &str = "bizopp";

#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://path` or `postgres://…`.
    pub database_url: String,
    /// Seed the demo organisation and users into an empty database.
    pub demo_data: bool,
    /// Where to listen, the site root and the bundle names (from cargo-leptos' environment).
    pub leptos: LeptosOptions,
}

impl Settings {
    /// Reads `DATABASE_URL`, `BIZOPP_DEMO_DATA` (default on; `0`/`false`/`off` turns it off) and
    /// the `LEPTOS_*` variables cargo-leptos sets.
    pub fn from_env() -> anyhow::Result<Self> {
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
        let demo_data = std::env::var("BIZOPP_DEMO_DATA")
            .map(|v| !matches!(v.trim(), "0" | "false" | "off" | "no"))
            .unwrap_or(true);
        let mut leptos = leptos::config::get_configuration(None)?.leptos_options;
        // Built by plain `cargo` (tests), not cargo-leptos: the bundle name is still ours.
        if leptos.output_name.is_empty() {
            leptos.output_name = OUTPUT_NAME.into();
        }
        Ok(Self {
            database_url,
            demo_data,
            leptos,
        })
    }
}
