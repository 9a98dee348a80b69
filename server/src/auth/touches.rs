//! When each session was last seen, kept in memory and written in batches: one write
//! transaction every few seconds for all sessions instead of one per session per minute, so a
//! crowd that arrived together does not queue hundreds of writes ahead of everyone's pages
//! and decisions a minute later.

use crate::db::{Store, StoreResult};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct Touches {
    pending: Mutex<HashMap<i64, DateTime<Utc>>>,
}

impl Touches {
    /// Notes that session `id` was seen at `at`.
    pub fn seen(&self, id: i64, at: DateTime<Utc>) {
        let mut pending = self.lock();
        let kept = pending.entry(id).or_insert(at);
        *kept = (*kept).max(at);
    }

    /// The later of `stored` (the database's) and a sighting not written yet.
    pub fn last_seen(&self, id: i64, stored: DateTime<Utc>) -> DateTime<Utc> {
        self.lock().get(&id).map_or(stored, |&at| at.max(stored))
    }

    /// Writes the sightings so far in one transaction. On failure they are kept for the next
    /// flush (a later sighting of the same session wins).
    pub async fn flush(&self, store: &dyn Store) -> StoreResult<usize> {
        let mut batch: Vec<(i64, DateTime<Utc>)> =
            std::mem::take(&mut *self.lock()).into_iter().collect();
        // In id order: two instances flushing the same sessions on PostgreSQL lock their rows
        // in one order, never each waiting for the other.
        batch.sort_unstable();
        if batch.is_empty() {
            return Ok(0);
        }
        match store.touch_sessions(&batch).await {
            Ok(()) => Ok(batch.len()),
            Err(e) => {
                for (id, at) in batch {
                    self.seen(id, at);
                }
                Err(e)
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, DateTime<Utc>>> {
        // A panic while holding this lock leaves a map that is still whole.
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::Touches;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn the_latest_sighting_wins_over_the_stored_time_and_earlier_sightings() {
        let touches = Touches::default();
        let t0 = Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap();
        assert_eq!(touches.last_seen(1, t0), t0);
        touches.seen(1, t0 + Duration::minutes(5));
        touches.seen(1, t0 + Duration::minutes(2));
        assert_eq!(touches.last_seen(1, t0), t0 + Duration::minutes(5));
        assert_eq!(
            touches.last_seen(1, t0 + Duration::minutes(9)),
            t0 + Duration::minutes(9)
        );
        assert_eq!(touches.last_seen(2, t0), t0);
    }
}
