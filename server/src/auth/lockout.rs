//! Login throttling: too many failures for one account in a window lock that account (only
//! that one) for a while. Pure: the store keeps the counters, this decides.

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

/// An account's failure counters.
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

    /// The counters after one more failure at `now`.
    pub fn after_failure(self, now: DateTime<Utc>, policy: &LockoutPolicy) -> Self {
        let in_window = self
            .first_failed_at
            .is_some_and(|first| now - first <= policy.window);
        let (count, first) = if in_window {
            (self.failed_logins + 1, self.first_failed_at)
        } else {
            (1, Some(now))
        };
        if count >= policy.max_failures {
            FailureState {
                failed_logins: 0,
                first_failed_at: None,
                locked_until: Some(now + policy.lock_for),
            }
        } else {
            FailureState {
                failed_logins: count,
                first_failed_at: first,
                locked_until: self.locked_until.filter(|until| *until > now),
            }
        }
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
        let mut state = FailureState::default();
        for minute in 0..4 {
            state = state.after_failure(at(minute), &policy);
            assert!(!state.is_locked(at(minute)));
        }
        state = state.after_failure(at(10), &policy);
        assert_eq!(state.locked_until, Some(at(25)));
        assert!(state.is_locked(at(24)));
        assert!(!state.is_locked(at(25)));
    }

    #[test]
    fn failures_spread_over_more_than_the_window_do_not_lock() {
        let policy = LockoutPolicy::default();
        let mut state = FailureState::default();
        for minute in [0, 5, 10, 14, 16, 20] {
            state = state.after_failure(at(minute), &policy);
        }
        // The window restarted at minute 16: two failures since.
        assert_eq!(state.failed_logins, 2);
        assert!(!state.is_locked(at(20)));
    }
}
