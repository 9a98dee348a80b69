//! Builds the axum application: the database, the demo data, the routes and the layers.

use crate::auth::guard;
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::{self, Store};
use crate::forms;
use crate::seed;
use crate::services::Services;
pub use crate::state::AppState;
use app::paths;
use app::{shell, App};
use axum::extract::State;
use axum::http::Method;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, MethodRouter};
use axum::serve::ListenerExt;
use axum::Router;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    services: Services,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// As [`build`](Self::build), with the clock the server acts by.
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let store = db::connect(&settings.database_url).await?;
        if settings.demo_data && seed::seed_demo(&*store, clock.now()).await? {
            tracing::info!("demo data seeded");
        }
        if settings.session.secure_cookie {
            crate::going_live::refuse_published_passwords(&*store).await?;
        }
        // A job runs in the instance that started it: with SQLite there is one instance, so a
        // job still running at start was cut short. (On PostgreSQL another instance may be
        // running it.)
        if store.backend() == db::Backend::Sqlite {
            let cut = store.fail_running_jobs(clock.now()).await?;
            if cut > 0 {
                tracing::warn!(jobs = cut, "jobs cut short by the last stop marked failed");
            }
        }
        let listener = TcpListener::bind(settings.leptos.site_addr).await?;
        let events = crate::events::Events::new(store.clone());
        if store.backend() == db::Backend::Postgres {
            events.listen_postgres(settings.database_url.clone());
        }
        let mut services = Services::new(store, clock, Some(events.clone()));
        services.outreach = crate::outreach::Outreach::new(settings.smtp.as_ref())?;
        services.rankings.follow(&events);
        // Hourly: uploads that a refused form held and nobody came back for; the planner's
        // statistics.
        let janitor = services.clone();
        tokio::spawn(async move {
            let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                hourly.tick().await;
                janitor.purge_unattached_uploads().await;
                crate::services::import::purge_stale_uploads().await;
                if let Err(e) = janitor.store.refresh_statistics().await {
                    tracing::warn!(error = %e, "planner statistics not refreshed");
                }
            }
        });
        // 统计分析's cells follow the records in the background too, so a page seldom waits
        // for a fold (and a backlog after an upgrade is folded without one).
        let folder = services.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
            loop {
                every.tick().await;
                folder.fold_pending_analysis().await;
            }
        });
        // Sessions seen are written every 10 s; a stop writes the rest.
        let touches = services.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(10));
            loop {
                every.tick().await;
                touches.flush_touches().await;
            }
        });
        let router = router(AppState {
            leptos_options: settings.leptos,
            services: services.clone(),
            session: settings.session,
            lockout: settings.lockout,
        });
        Ok(Self {
            listener,
            router,
            services,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener")
    }

    pub fn store(&self) -> Arc<dyn Store> {
        self.services.store.clone()
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let events = self.services.events.clone();
        let services = self.services.clone();
        let served = axum::serve(
            self.listener.tap_io(no_delay),
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Open event streams would otherwise hold the shutdown forever.
            if let Some(events) = events {
                events.close();
            }
        })
        .await;
        services.flush_touches().await;
        served
    }

    /// Serves until the task is dropped. Installs no signal handler (tests run many servers in
    /// one process, which must still die on SIGTERM).
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(
            self.listener.tap_io(no_delay),
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    }
}

/// Sends each response as soon as it is written: with Nagle's algorithm a response written in
/// two pieces (head, then body) waits for the client's delayed ACK, about 40 ms a request on
/// a keep-alive connection (measured on static files: 58 requests/s on one connection).
fn no_delay(tcp: &mut tokio::net::TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "TCP_NODELAY not set");
    }
}

/// The app's routes, generated once per process. Generating them sets a process-wide flag
/// (leptos_server's `SuppressResourceLoad`) that keeps every resource from loading while it
/// runs, so a server generating its routes while another renders stalls that page (tests start
/// many servers in one process; `tests/route_generation.rs` shows the stall).
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// A safety net for a request that never answers (a page whose data never comes): the
/// browser is told the server is busy instead of waiting forever. The event stream's body is
/// not limited (only the wait for its head is).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn router(state: AppState) -> Router {
    let routes = routes();
    let context = {
        let services = state.services.clone();
        move || services.provide()
    };
    own_routes()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(from_fn(
            crate::api_status::garbled_arguments_are_bad_requests,
        ))
        .layer(from_fn_with_state(state.clone(), forms::follow_merged))
        .layer(from_fn_with_state(state.clone(), guard::load_session))
        .layer(from_fn_with_state(state.clone(), guard::reject_cross_site))
        .layer(from_fn(crate::refusals::in_language))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(from_fn(crate::headers::security_headers))
        .layer(from_fn({
            let hashed = state.leptos_options.hash_files;
            move |req, next| crate::headers::bundle_caching(hashed, req, next)
        }))
        // Outside every layer that may answer without reading the body (see `input`).
        .layer(from_fn(crate::input::normalized))
        .layer(from_fn(crate::client_addr::remember))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The pages' paths (`/customers/{id}`), as the router serves them.
pub fn page_paths() -> Vec<String> {
    routes().iter().map(|r| r.path().to_owned()).collect()
}

/// Every server function's path and method, as registered with the router.
pub fn server_functions() -> Vec<(Method, &'static str)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method, path))
        .collect()
}

/// The server's own endpoints besides the pages and the server functions (forms, exports,
/// downloads, the live channel, the health check): one list, which builds the router and which
/// the access test walks, so no endpoint escapes it.
pub fn endpoints() -> Vec<(Method, &'static str)> {
    own_route_table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

fn own_routes() -> Router<AppState> {
    own_route_table()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
}

fn own_route_table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, paths::HEALTH.path(), get(healthz)),
        (Method::POST, paths::LOGIN.path(), post(guard::post_login)),
        (Method::POST, paths::LOGOUT.path(), post(guard::post_logout)),
        (
            Method::POST,
            paths::LANGUAGE.path(),
            post(crate::prefs::post_language),
        ),
        (
            Method::POST,
            paths::COLUMNS.path(),
            post(forms::post_columns),
        ),
        (
            Method::GET,
            paths::EVENTS.path(),
            get(crate::event_stream::stream),
        ),
        (
            Method::POST,
            paths::CUSTOMER_NEW.path(),
            post(forms::post_new_customer),
        ),
        (
            Method::POST,
            paths::CUSTOMER_EDIT.pattern(),
            post(forms::post_edit_customer),
        ),
        (
            Method::POST,
            paths::CUSTOMER_CONVERT.pattern(),
            post(forms::post_convert_customer),
        ),
        (
            Method::POST,
            paths::CUSTOMER_DELETE.pattern(),
            post(forms::post_delete_customer),
        ),
        (
            Method::POST,
            paths::CUSTOMER_CONTACT_NEW.pattern(),
            post(forms::post_new_contact),
        ),
        (
            Method::POST,
            paths::CUSTOMER_SHARE.pattern(),
            post(forms::shares::post_share::<forms::shares::Customers>),
        ),
        (
            Method::POST,
            paths::CUSTOMER_UNSHARE.pattern(),
            post(forms::shares::post_unshare::<forms::shares::Customers>),
        ),
        (
            Method::POST,
            paths::CONTACT_EDIT.pattern(),
            post(forms::post_edit_contact),
        ),
        (
            Method::POST,
            paths::CONTACT_DELETE.pattern(),
            post(forms::post_delete_contact),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_NEW.path(),
            post(forms::post_new_opportunity),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_SUBMIT.pattern(),
            post(forms::post_submit_draft),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_EDIT.pattern(),
            post(forms::post_edit_opportunity),
        ),
        (
            Method::POST,
            paths::TASK.pattern(),
            post(forms::post_decision),
        ),
        (
            Method::POST,
            paths::TASK_RESUBMIT.pattern(),
            post(forms::post_resubmit),
        ),
        (
            Method::POST,
            paths::TASK_VOID.pattern(),
            post(forms::post_void),
        ),
        (
            Method::POST,
            paths::TASK_WITHDRAW.pattern(),
            post(forms::post_withdraw),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_STAGE.pattern(),
            post(forms::post_stage),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_SHARE.pattern(),
            post(forms::shares::post_share::<forms::shares::Opportunities>),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_UNSHARE.pattern(),
            post(forms::shares::post_unshare::<forms::shares::Opportunities>),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_SIGN.pattern(),
            post(forms::post_sign),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_TERMINATE.pattern(),
            post(forms::post_terminate),
        ),
        (
            Method::POST,
            paths::MESSAGE.pattern(),
            post(forms::open_message),
        ),
        (
            Method::GET,
            paths::ATTACHMENT.pattern(),
            get(forms::download_attachment),
        ),
        (
            Method::POST,
            paths::ATTACHMENT_DELETE.pattern(),
            post(forms::post_delete_record_file),
        ),
        (
            Method::POST,
            paths::CUSTOMER_FILES.pattern(),
            post(forms::post_customer_files),
        ),
        (
            Method::POST,
            paths::CUSTOMER_RELATIONS.pattern(),
            post(forms::post_relation),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_FILES.pattern(),
            post(forms::post_opportunity_files),
        ),
        (
            Method::GET,
            paths::RANKING_EXPORT.path(),
            get(forms::export_ranking),
        ),
        (
            Method::GET,
            paths::ANALYSIS_EXPORT.path(),
            get(forms::export_analysis),
        ),
        (
            Method::POST,
            paths::WARNINGS.path(),
            post(forms::post_warning_days),
        ),
        (
            Method::GET,
            paths::WARNINGS_EXPORT.path(),
            get(forms::export_warnings),
        ),
        (
            Method::POST,
            paths::ADMIN_USER_NEW.path(),
            post(forms::post_new_user),
        ),
        (
            Method::POST,
            paths::ADMIN_DICTIONARIES.path(),
            post(forms::post_dictionary),
        ),
        (
            Method::POST,
            paths::ADMIN_USER.pattern(),
            post(forms::post_edit_user),
        ),
        (
            Method::POST,
            paths::TRANSFER.path(),
            post(forms::post_transfer),
        ),
        (
            Method::POST,
            paths::ADMIN_ROUTING.path(),
            post(forms::post_routing),
        ),
        (Method::POST, paths::ADMIN_ORG.path(), post(forms::post_org)),
        (
            Method::GET,
            paths::ADMIN_AUDIT_EXPORT.path(),
            get(forms::export_audit),
        ),
        (
            Method::GET,
            paths::CUSTOMER_EXPORT.path(),
            get(forms::export_customers),
        ),
        (
            Method::POST,
            paths::CUSTOMER_MERGE.path(),
            post(forms::post_merge),
        ),
        (
            Method::POST,
            paths::CUSTOMER_BATCH.path(),
            post(forms::post_customer_batch),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_BATCH.path(),
            post(forms::post_opportunity_batch),
        ),
        (
            Method::GET,
            paths::JOB_REPORT.pattern(),
            get(forms::job_report),
        ),
        (
            Method::POST,
            paths::ACTIVITY_EDIT.pattern(),
            post(forms::post_edit_activity),
        ),
        (
            Method::POST,
            paths::ACTIVITY_DELETE.pattern(),
            post(forms::post_delete_activity),
        ),
        (
            Method::POST,
            paths::OUTREACH.path(),
            post(forms::post_outreach),
        ),
        (
            Method::POST,
            paths::CUSTOMER_IMPORT.path(),
            post(forms::post_import_file),
        ),
        (
            Method::POST,
            paths::CUSTOMER_IMPORT_START.path(),
            post(forms::post_import_start),
        ),
        (
            Method::GET,
            paths::CONTACT_EXPORT.path(),
            get(forms::export_contacts),
        ),
        (
            Method::GET,
            paths::OPPORTUNITY_EXPORT.path(),
            get(forms::export_opportunities),
        ),
        (
            Method::POST,
            paths::ADMIN_USER_DISABLE.pattern(),
            post(forms::post_disable_user),
        ),
        (
            Method::POST,
            paths::ADMIN_USER_ENABLE.pattern(),
            post(forms::post_enable_user),
        ),
        (
            Method::POST,
            paths::ADMIN_USER_PASSWORD.pattern(),
            post(forms::post_reset_password),
        ),
        (
            Method::POST,
            paths::PROFILE.path(),
            post(forms::post_profile),
        ),
        (
            Method::POST,
            paths::PROFILE_PASSWORD.path(),
            post(forms::post_password),
        ),
        (
            Method::POST,
            paths::PASSWORD.path(),
            post(forms::post_password),
        ),
        (
            Method::POST,
            paths::PROFILE_SESSIONS_END.path(),
            post(forms::post_end_other_sessions),
        ),
        (
            Method::POST,
            paths::ANNOUNCEMENT_NEW.path(),
            post(forms::post_new_announcement),
        ),
        (
            Method::POST,
            paths::ANNOUNCEMENT_EDIT.pattern(),
            post(forms::post_edit_announcement),
        ),
        (
            Method::POST,
            paths::ANNOUNCEMENT_WITHDRAW.pattern(),
            post(forms::post_withdraw_announcement),
        ),
        (
            Method::POST,
            paths::CUSTOMER_ACTIVITY_NEW.pattern(),
            post(forms::post_customer_activity),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_ACTIVITY_NEW.pattern(),
            post(forms::post_opportunity_activity),
        ),
        (
            Method::POST,
            paths::ACTIVITY_COMPLETE.pattern(),
            post(forms::post_complete_activity),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_QUOTES.pattern(),
            post(forms::post_new_quote),
        ),
        (
            Method::POST,
            paths::QUOTE.pattern(),
            post(forms::post_save_quote),
        ),
        (
            Method::POST,
            paths::QUOTE_SENT.pattern(),
            post(forms::post_quote_sent),
        ),
        (
            Method::POST,
            paths::QUOTE_APPLY.pattern(),
            post(forms::post_apply_quote),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_EVALUATION.pattern(),
            post(forms::post_evaluation),
        ),
        (
            Method::POST,
            paths::OPPORTUNITY_MILESTONE_NEW.pattern(),
            post(forms::post_new_milestone),
        ),
        (
            Method::POST,
            paths::MILESTONE_EDIT.pattern(),
            post(forms::post_edit_milestone),
        ),
        (
            Method::POST,
            paths::MILESTONE_DELETE.pattern(),
            post(forms::post_delete_milestone),
        ),
    ]
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.services.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
