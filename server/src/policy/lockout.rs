//! Login throttling: too many failures for one account in a window lock that account (only
//! that one) for a while. The policy is pure; the store counts the failures in SQL, one
//! atomic increment each, so parallel failures all count.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    pub max_failures: i64,
    pub window: Duration,
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    /// 5 failures in 15 minutes lock the account for 15 minutes.
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
            lock_for: Duration::minutes(15),
        }
    }
}

/// An account's failure counters, as the store keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureState {
    pub failed_logins: i64,
    pub first_failed_at: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl FailureState {
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

impl LockoutPolicy {
    /// A failure at `now` counts with the earlier ones when the first of them came at or
    /// after this instant; otherwise the count starts again.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether this many failures in the window lock the account.
    pub fn locks(&self, failures: i64) -> bool {
        failures >= self.max_failures
    }

    /// Until when a lock taken at `now` holds.
    pub fn locked_until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + self.lock_for
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_fifth_failure_within_fifteen_minutes_locks_for_fifteen_minutes() {
        let policy = LockoutPolicy::default();
        assert!(!policy.locks(4));
        assert!(policy.locks(5));
        assert_eq!(policy.locked_until(at(10)), at(25));
        let state = FailureState {
            locked_until: Some(at(25)),
            ..Default::default()
        };
        assert!(state.is_locked(at(24)));
        assert!(!state.is_locked(at(25)));
    }

    #[test]
    fn failures_older_than_the_window_no_longer_count() {
        assert_eq!(LockoutPolicy::default().window_start(at(16)), at(1));
    }
}
