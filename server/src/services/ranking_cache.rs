//! 首页's rankings of the month, the same for every viewer, kept once per instance: computed
//! at most once per change instead of on every home page. An event that the rankings changed
//! (published on whichever instance approved, delivered to every instance) drops them; so does
//! a minute's age, in case an event was lost while a PostgreSQL listener reconnected.

use crate::events::Events;
use app::api::rankings::HomeRankings;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// The longest rankings are kept without an event.
const AT_MOST: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct RankingCache {
    /// Bumped by every change: rankings computed before it are not kept.
    generation: AtomicU64,
    kept: Mutex<Option<Kept>>,
}

struct Kept {
    month: String,
    generation: u64,
    at: Instant,
    rankings: HomeRankings,
}

impl RankingCache {
    /// Drops the kept rankings when the events say they changed (or were missed).
    pub fn follow(self: &Arc<Self>, events: &Events) {
        let mut notes = events.subscribe();
        let cache = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let changed = match notes.recv().await {
                    Ok(event) => event.kind.refreshes_rankings(),
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return,
                };
                match cache.upgrade() {
                    Some(cache) if changed => cache.clear(),
                    Some(_) => {}
                    None => return,
                }
            }
        });
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut kept) = self.kept.lock() {
            *kept = None;
        }
    }

    /// The generation to hand back to [`keep`](Self::keep) with what is computed now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The kept rankings of `month`, if fresh.
    pub fn get(&self, month: &str) -> Option<HomeRankings> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|k| {
                k.month == month && k.generation == self.generation() && k.at.elapsed() < AT_MOST
            })
            .map(|k| k.rankings.clone())
    }

    /// Keeps `rankings` computed at `generation`, unless something changed since.
    pub fn keep(&self, month: &str, generation: u64, rankings: &HomeRankings) {
        if let Ok(mut kept) = self.kept.lock() {
            if generation == self.generation() {
                *kept = Some(Kept {
                    month: month.to_owned(),
                    generation,
                    at: Instant::now(),
                    rankings: rankings.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rankings(month: &str) -> HomeRankings {
        HomeRankings {
            month: month.into(),
            ..Default::default()
        }
    }

    #[test]
    fn kept_until_a_change_and_never_kept_when_computed_before_one() {
        let cache = RankingCache::default();
        assert!(cache.get("2026-11").is_none());
        let g = cache.generation();
        cache.keep("2026-11", g, &rankings("2026-11"));
        assert_eq!(
            cache.get("2026-11").map(|r| r.month),
            Some("2026-11".into())
        );
        assert!(cache.get("2026-12").is_none(), "another month is computed");
        cache.clear();
        assert!(cache.get("2026-11").is_none());
        // Computed before a change, kept after it: not kept.
        let before = cache.generation();
        cache.clear();
        cache.keep("2026-11", before, &rankings("2026-11"));
        assert!(cache.get("2026-11").is_none());
    }
}
