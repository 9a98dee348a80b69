//! Session tokens: 256 random bits, handed to the browser once in a cookie and kept on the
//! server only as a SHA-256, so a copy of the database opens no session.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// How long a session lives.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Ends a session unused for this long.
    pub idle: Duration,
    /// Ends any session this long after login.
    pub absolute: Duration,
    /// Served over https: the cookie gets `Secure` and the `__Host-` prefix.
    pub secure_cookie: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
            secure_cookie: false,
        }
    }
}

impl SessionPolicy {
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookie {
            "__Host-bizopp_session"
        } else {
            "bizopp_session"
        }
    }

    /// The cookie that hands `token` to the browser (a jar's `remove` of it forgets it).
    pub fn cookie(&self, token: &str) -> Cookie<'static> {
        Cookie::build((self.cookie_name(), token.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookie)
            .build()
    }

    /// The session's token in a request's cookies.
    pub fn token<'a>(&self, jar: &'a CookieJar) -> Option<&'a str> {
        jar.get(self.cookie_name())
            .map(|c| c.value_trimmed())
            .filter(|v| !v.is_empty())
    }

    /// Whether a session created and last seen at these times is still alive at `now`.
    pub fn is_alive(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now - last_seen_at <= self.idle && now - created_at <= self.absolute
    }
}

/// A new random token (64 hex characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn a_session_ends_after_thirty_idle_minutes_or_twelve_hours() {
        let policy = SessionPolicy::default();
        let t0 = Utc::now();
        assert!(policy.is_alive(t0, t0, t0 + Duration::minutes(30)));
        assert!(!policy.is_alive(t0, t0, t0 + Duration::minutes(31)));
        let recent = t0 + Duration::hours(12) - Duration::minutes(1);
        assert!(policy.is_alive(t0, recent, t0 + Duration::hours(12)));
        assert!(!policy.is_alive(t0, recent, t0 + Duration::hours(12) + Duration::seconds(1)));
    }

    #[test]
    fn the_cookie_is_http_only_and_secure_behind_https() {
        let plain = SessionPolicy::default().cookie("t").to_string();
        assert!(plain.starts_with("bizopp_session=t"), "{plain}");
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(plain.contains("Path=/") && !plain.contains("Secure"));
        let https = SessionPolicy {
            secure_cookie: true,
            ..SessionPolicy::default()
        };
        let secure = https.cookie("t").to_string();
        assert!(secure.starts_with("__Host-bizopp_session=t"), "{secure}");
        assert!(secure.contains("Secure") && secure.contains("Path=/"));
    }

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = axum::http::HeaderMap::new();
        let cookies = "lang=en; bizopp_session=abc; x=1";
        headers.insert("cookie", cookies.parse().unwrap());
        let jar = CookieJar::from_headers(&headers);
        assert_eq!(SessionPolicy::default().token(&jar), Some("abc"));
        headers.insert("cookie", "bizopp_session=".parse().unwrap());
        let jar = CookieJar::from_headers(&headers);
        assert_eq!(SessionPolicy::default().token(&jar), None);
    }
}
