//! Logging in: password check with throttling, and the user as the pages see it.

use super::password::{self, PasswordHash};
use super::session;
use crate::db::{audit::AuditEntry, Actor, Store, StoreError, User};
use crate::policy::lockout::LockoutPolicy;
use app::model::{CurrentUser, LoginFailure, OrgUnitKind};
use chrono::{DateTime, FixedOffset, Utc};
use tokio::sync::OnceCell;

/// Checks `login`/`password` and opens a session: returns its token (for the cookie only).
pub async fn login(
    store: &dyn Store,
    policy: &LockoutPolicy,
    login: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<String, LoginFailure> {
    let user = store.user_by_login(login).await.map_err(internal)?;
    let Some(user) = user else {
        // Same work as for a real account, so timing does not tell which logins exist.
        password::verify(password.to_owned(), dummy_hash().await).await;
        let mut entry = AuditEntry::new(&Actor::system(now), "login_failed", "login", 0);
        entry.entity_id = login.chars().take(64).collect();
        store.append_audit(&entry).await.map_err(internal)?;
        return Err(LoginFailure::BadCredentials);
    };
    if user.failures.is_locked(now) {
        let entry = AuditEntry::new(&Actor::system(now), "login_refused_locked", "user", user.id);
        store.append_audit(&entry).await.map_err(internal)?;
        return Err(LoginFailure::Locked);
    }
    if !password::verify(password.to_owned(), user.password_hash.clone()).await {
        let failures = store
            .record_login_failure(user.id, policy, now)
            .await
            .map_err(internal)?;
        return Err(if failures.is_locked(now) {
            LoginFailure::Locked
        } else {
            LoginFailure::BadCredentials
        });
    }
    if user.disabled {
        return Err(LoginFailure::Disabled);
    }
    let token = session::new_token();
    // Refused if failures counted in parallel locked the account meanwhile.
    let opened = store
        .create_session(user.id, &session::token_hash(&token), now)
        .await
        .map_err(internal)?;
    if !opened {
        return Err(LoginFailure::Locked);
    }
    Ok(token)
}

/// The user of a session that logged in at `login_at`, as the pages see it.
pub async fn current_user(
    store: &dyn Store,
    user: User,
    login_at: DateTime<Utc>,
) -> Result<CurrentUser, StoreError> {
    let unit = store
        .org_unit(user.org_unit_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let city_id = match unit.kind {
        OrgUnitKind::City => Some(unit.id),
        OrgUnitKind::Department => match unit.parent_id {
            Some(parent) => store
                .org_unit(parent)
                .await?
                .filter(|p| p.kind == OrgUnitKind::City)
                .map(|p| p.id),
            None => None,
        },
        OrgUnitKind::Province => None,
    };
    Ok(CurrentUser {
        id: user.id,
        login: user.login,
        name: user.name,
        org_unit_id: unit.id,
        org_unit_name: unit.name,
        city_id,
        roles: user.roles,
        industry_ids: user.industry_ids,
        login_time: china_time(login_at),
        directory_version: 0,
        must_change_password: user.must_change_password,
        session_id: 0,
    })
}

/// 「2026-11-27 09:30」 in China Standard Time (UTC+8, no daylight saving).
pub fn china_time(at: DateTime<Utc>) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    at.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
}

async fn dummy_hash() -> PasswordHash {
    static DUMMY: OnceCell<PasswordHash> = OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            password::hash("not a password anyone has".to_owned())
                .await
                .unwrap_or_else(|_| PasswordHash::from_stored(String::new()))
        })
        .await
        .clone()
}

fn internal(e: StoreError) -> LoginFailure {
    tracing::error!(error = %e, "login failed on the store");
    LoginFailure::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_times_are_shown_in_china_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-27T01:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(china_time(at), "2026-11-27 09:30");
    }
}
