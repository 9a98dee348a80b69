//! Settings read from the environment, with defaults that run the app on embedded SQLite.

use crate::auth::session::SessionPolicy;
use crate::outreach::SmtpSettings;
use crate::policy::lockout::LockoutPolicy;
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
    pub session: SessionPolicy,
    pub lockout: LockoutPolicy,
    /// Where 邮件 goes; `None`: email is not configured and the page says so.
    pub smtp: Option<SmtpSettings>,
}

impl Settings {
    /// Reads `DATABASE_URL`, `BIZOPP_DEMO_DATA` (default on), `BIZOPP_HTTPS` (secure cookies,
    /// default off), `BIZOPP_SESSION_IDLE_MINUTES` (30), `BIZOPP_SESSION_MAX_HOURS` (12) and the
    /// `LEPTOS_*` variables cargo-leptos sets; `BIZOPP_SMTP_URL` and `BIZOPP_SMTP_FROM` (both or
    /// neither) for 邮件.
    pub fn from_env() -> anyhow::Result<Self> {
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
        let demo_data = flag("BIZOPP_DEMO_DATA", true);
        let defaults = SessionPolicy::default();
        let session = SessionPolicy {
            idle: chrono::Duration::minutes(number("BIZOPP_SESSION_IDLE_MINUTES", 30)?),
            absolute: chrono::Duration::hours(number("BIZOPP_SESSION_MAX_HOURS", 12)?),
            secure_cookie: flag("BIZOPP_HTTPS", defaults.secure_cookie),
        };
        let mut leptos = leptos::config::get_configuration(None)?.leptos_options;
        // Built by plain `cargo` (tests), not cargo-leptos: the bundle name is still ours.
        if leptos.output_name.is_empty() {
            leptos.output_name = OUTPUT_NAME.into();
        }
        // cargo-leptos hashed the bundle's names (Cargo.toml's `hash-files`) when it wrote
        // their hashes beside the binary; a binary built by plain `cargo` (tests) has none.
        leptos.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*leptos.hash_file)))
            .is_some_and(|file| file.exists());
        let smtp = match (env("BIZOPP_SMTP_URL"), env("BIZOPP_SMTP_FROM")) {
            (Some(url), Some(from)) => Some(SmtpSettings { url, from }),
            (None, None) => None,
            _ => anyhow::bail!("set both BIZOPP_SMTP_URL and BIZOPP_SMTP_FROM, or neither"),
        };
        Ok(Self {
            database_url,
            demo_data,
            leptos,
            session,
            lockout: LockoutPolicy::default(),
            smtp,
        })
    }
}

/// A variable that is set and not blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &str, default: bool) -> bool {
    std::env::var(name)
        .map(|v| !matches!(v.trim(), "0" | "false" | "off" | "no"))
        .unwrap_or(default)
}

fn number(name: &str, default: i64) -> anyhow::Result<i64> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{name} must be a whole number, not {v:?}")),
        Err(_) => Ok(default),
    }
}
