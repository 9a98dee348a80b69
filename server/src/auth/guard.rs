//! The HTTP side of authentication: the session middleware, the cross-site check, and the
//! 登录 / 退出 form handlers (plain form posts, so they work without JavaScript).

use super::{login, session};
use crate::refusals::refused;
use crate::state::AppState;
use app::api::opportunities::Badges;
use app::model::redirect::local_path;
use app::model::{AppError, CurrentUser};
use app::paths;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

/// Refuses a state-changing request that another site made the browser send.
pub async fn reject_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let scheme = if state.session.secure_cookie {
        "https"
    } else {
        "http"
    };
    if !safe && is_cross_site(req.headers(), scheme) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return refused(AppError::CrossSite);
    }
    next.run(req).await
}

/// Browsers say where a request comes from in `Sec-Fetch-Site`, or at least `Origin`; a
/// request with neither is not from a browser page and cannot ride on a user's cookie. An
/// `Origin` must name this site whole: the scheme it is served on (`scheme`) and its host.
fn is_cross_site(headers: &HeaderMap, scheme: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => match (origin.to_str(), host.to_str()) {
            (Ok(origin), Ok(host)) => origin != format!("{scheme}://{host}"),
            _ => true,
        },
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Resolves the session cookie into a [`CurrentUser`] in the request's extensions, ends
/// sessions past their idle or absolute limit, and keeps pages behind the login.
pub async fn load_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let policy = state.session;
    let jar = CookieJar::from_headers(req.headers());
    let mut clear_cookie = false;
    if let Some(token) = policy.token(&jar) {
        let page = crate::badges::is_page(req.method(), req.uri().path());
        match resolve(&state, token, page).await {
            Ok(Some((user, badges))) => {
                if let Some(mut badges) = badges {
                    badges.warnings = state.services.warning_badge(&user).await;
                    req.extensions_mut().insert(badges);
                }
                req.extensions_mut().insert(user);
            }
            Ok(None) => clear_cookie = true,
            Err(()) => return refused(AppError::Internal),
        }
    }
    let path = req.uri().path().to_owned();
    let logged_in = req.extensions().get::<CurrentUser>().is_some();
    let must_change = req
        .extensions()
        .get::<CurrentUser>()
        .is_some_and(|u| u.must_change_password);
    let mut response = if logged_in && path == paths::LOGIN.path() && req.method() == Method::GET {
        Redirect::to("/").into_response()
    } else if logged_in
        && !must_change
        && path == paths::PASSWORD.path()
        && req.method() == Method::GET
    {
        // The page for a password that must be changed; anyone else changes theirs here.
        Redirect::to(paths::PROFILE.path()).into_response()
    } else if must_change && !open_while_changing_password(&path) {
        // A new or reset password is changed before anything else is shown or done.
        if req.method() == Method::GET && !path.starts_with("/api/") {
            Redirect::to(paths::PASSWORD.path()).into_response()
        } else {
            refused(AppError::PasswordChangeRequired)
        }
    } else if !logged_in && needs_login(&path) {
        if req.method() == Method::GET && !path.starts_with("/api/") {
            let query = serde_urlencoded::to_string([("next", path.as_str())]).unwrap_or_default();
            Redirect::to(&format!("/login?{query}")).into_response()
        } else {
            refused(AppError::Unauthenticated)
        }
    } else {
        next.run(req).await
    };
    // A stale cookie is forgotten, unless the answer hands out a new one (a login).
    let new_session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| Cookie::parse(v.to_str().ok()?).ok())
        .any(|c| c.name() == policy.cookie_name());
    if clear_cookie && !new_session {
        response = (jar.remove(policy.cookie("")), response).into_response();
    }
    let headers = response.headers_mut();
    // After 退出, the back button must not show the app from the browser's cache.
    if !path.starts_with("/pkg/") {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The live session's user, or `None` (unknown, ended, expired, or a disabled user); for a
/// `page`, also the menu's counts, read with the session.
async fn resolve(
    state: &AppState,
    token: &str,
    page: bool,
) -> Result<Option<(CurrentUser, Option<Badges>)>, ()> {
    let store = &state.services.store;
    let now = state.services.clock.now();
    let fail = |e: crate::db::StoreError| tracing::error!(error = %e, "session lookup failed");
    let hash = session::token_hash(token);
    let found = if page {
        store.session_for_page(&hash).await.map_err(fail)?.map(|p| {
            let badges = Badges {
                todo: p.todo,
                unread: p.unread,
                warnings: 0,
            };
            (p.session, Some(badges))
        })
    } else {
        store.session(&hash).await.map_err(fail)?.map(|s| (s, None))
    };
    let Some((s, badges)) = found else {
        return Ok(None);
    };
    let touches = &state.services.touches;
    let last_seen = touches.last_seen(s.id, s.last_seen_at);
    if !state.session.is_alive(s.created_at, last_seen, now) {
        let reason = if now - s.created_at > state.session.absolute {
            "expired"
        } else {
            "idle"
        };
        store.end_session(s.id, reason, now).await.map_err(fail)?;
        return Ok(None);
    }
    // Who they are comes from the kept directory the session's read named: no query of its
    // own (it was five: the user, their roles, industries, unit and its city).
    let people = state
        .services
        .people_at(s.directory_version)
        .await
        .map_err(|e| tracing::error!(error = %e, "directory unavailable"))?;
    let Some(mut user) = people.current_user(s.user_id, login::china_time(s.created_at)) else {
        // Disabled (or gone): the session ends.
        store
            .end_session(s.id, "disabled", now)
            .await
            .map_err(fail)?;
        return Ok(None);
    };
    // Noted at most once a minute (enough precision for a 30-minute idle limit), written with
    // the others' in the next batch.
    if now - last_seen > chrono::Duration::minutes(1) {
        touches.seen(s.id, now);
    }
    user.session_id = s.id;
    Ok(Some((user, badges)))
}

/// What a user who must change their password may still reach: the 修改密码 page and its post,
/// 退出, and what needs no login at all.
fn open_while_changing_password(path: &str) -> bool {
    path == paths::PASSWORD.path() || path == paths::LOGOUT.path() || !needs_login(path)
}

/// Everything but the login page, the language switch, the health check and the static bundle
/// needs a session.
fn needs_login(path: &str) -> bool {
    !(path == paths::LOGIN.path()
        || path == paths::LANGUAGE.path()
        || path == paths::HEALTH.path()
        || path == "/favicon.ico"
        || path.starts_with("/pkg/"))
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`: opens a session and goes on to `next`, or back to the form with the reason
/// and the login typed (never the password).
pub async fn post_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let now = state.services.clock.now();
    let store = &*state.services.store;
    // A new token at every login; the session the browser had before ends.
    if let Some(old) = state.session.token(&jar) {
        if let Ok(Some(s)) = store.session(&session::token_hash(old)).await {
            let _ = store.end_session(s.id, "replaced", now).await;
        }
    }
    match login::login(store, &state.lockout, &form.login, &form.password, now).await {
        Ok(token) => (
            jar.add(state.session.cookie(&token)),
            Redirect::to(local_path(&form.next)),
        )
            .into_response(),
        Err(failure) => {
            let query = serde_urlencoded::to_string([
                ("error", failure.code()),
                (
                    "login",
                    form.login.chars().take(64).collect::<String>().as_str(),
                ),
                (
                    "next",
                    if form.next.is_empty() {
                        ""
                    } else {
                        local_path(&form.next)
                    },
                ),
            ])
            .unwrap_or_default();
            Redirect::to(&format!("/login?{query}")).into_response()
        }
    }
}

/// `POST /logout`: ends the session on the server and forgets the cookie.
pub async fn post_logout(State(state): State<AppState>, jar: CookieJar) -> Response {
    let now = state.services.clock.now();
    if let Some(token) = state.session.token(&jar) {
        let store = &state.services.store;
        if let Ok(Some(s)) = store.session(&session::token_hash(token)).await {
            if let Err(e) = store.end_session(s.id, "logout", now).await {
                tracing::error!(error = %e, "logout failed");
                return refused(AppError::Internal);
            }
        }
    }
    let forget = jar.remove(state.session.cookie(""));
    (forget, Redirect::to(paths::LOGIN.path())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_same_origin_post_passes_and_a_cross_site_one_does_not() {
        let cross = |pairs: &[(&'static str, &'static str)]| is_cross_site(&headers(pairs), "http");
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(cross(&[("sec-fetch-site", "same-site")]));
        assert!(!cross(&[("origin", "http://a:3000"), ("host", "a:3000")]));
        assert!(cross(&[("origin", "http://evil"), ("host", "a:3000")]));
        assert!(cross(&[("origin", "null"), ("host", "a:3000")]));
    }

    #[test]
    fn an_origin_on_another_scheme_is_another_site() {
        let h = headers(&[("origin", "https://a:3000"), ("host", "a:3000")]);
        assert!(is_cross_site(&h, "http"));
        assert!(!is_cross_site(&h, "https"));
        let h = headers(&[("origin", "http://a:3000"), ("host", "a:3000")]);
        assert!(is_cross_site(&h, "https"));
    }
}
