//! 首页's rankings of the month, the same for every viewer, kept once per instance.
//!
//! Every change (an event published on whichever instance approved, delivered to every
//! instance) bumps a generation. A request accepts kept rankings computed at or after the
//! generation it saw on arrival, so it never shows rankings older than the changes made before
//! it came. Only one computation runs at a time: requests that arrive while one runs wait for
//! the next one to start after them and share it, instead of each querying the database
//! (under a steady stream of decisions, dropping them made nearly every 首页 compute them; the
//! soak's slow 首页 answers had other causes too: docs/BENCHMARKS.md). A minute's age also
//! expires them, in case an event was lost while a PostgreSQL listener reconnected. The same
//! pattern as the directory's `PeopleCache` (a version instead of a generation).

use crate::events::Events;
use app::api::rankings::HomeRankings;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// The longest rankings are kept without an event.
const AT_MOST: Duration = Duration::from_secs(60);

pub struct RankingCache<T = HomeRankings> {
    /// Bumped by every change.
    generation: AtomicU64,
    kept: Mutex<Option<Kept<T>>>,
    /// Held while computing: one computation at a time.
    flight: tokio::sync::Mutex<()>,
}

impl<T> Default for RankingCache<T> {
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(0),
            kept: Mutex::new(None),
            flight: tokio::sync::Mutex::new(()),
        }
    }
}

struct Kept<T> {
    month: String,
    generation: u64,
    at: Instant,
    value: T,
}

impl<T: Clone + Send + Sync + 'static> RankingCache<T> {
    /// Bumps the generation when the events say the rankings changed (or were missed).
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
                    Some(cache) if changed => cache.changed(),
                    Some(_) => {}
                    None => return,
                }
            }
        });
    }

    /// Rankings computed from now on are the only ones new requests accept.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The rankings of `month`: kept ones if computed since this request arrived's generation,
    /// else computed by `compute` — once for all the requests waiting meanwhile.
    pub async fn get_or_compute<E, F, Fut>(&self, month: &str, compute: F) -> Result<T, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let seen = self.generation.load(Ordering::SeqCst);
        if let Some(kept) = self.fresh(month, seen) {
            return Ok(kept);
        }
        let _flight = self.flight.lock().await;
        // Whoever held the flight before started after this request saw `seen`.
        if let Some(kept) = self.fresh(month, seen) {
            return Ok(kept);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let value = compute().await?;
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(Kept {
                month: month.to_owned(),
                generation,
                at: Instant::now(),
                value: value.clone(),
            });
        }
        Ok(value)
    }

    fn fresh(&self, month: &str, seen: u64) -> Option<T> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|k| k.month == month && k.generation >= seen && k.at.elapsed() < AT_MOST)
            .map(|k| k.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    type Cache = RankingCache<usize>;

    /// Computes after `ms`, answering how many computations there have been.
    async fn counted(count: &AtomicUsize, ms: u64) -> Result<usize, ()> {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(n)
    }

    #[tokio::test]
    async fn kept_until_a_change_and_by_month() {
        let cache = Cache::default();
        let count = AtomicUsize::new(0);
        let first = cache.get_or_compute("2026-11", || counted(&count, 0)).await;
        let again = cache.get_or_compute("2026-11", || counted(&count, 0)).await;
        assert_eq!((first, again), (Ok(1), Ok(1)));
        let other = cache.get_or_compute("2026-12", || counted(&count, 0)).await;
        assert_eq!(other, Ok(2), "another month is computed");
        cache.changed();
        let after = cache.get_or_compute("2026-12", || counted(&count, 0)).await;
        assert_eq!(after, Ok(3), "a change is never hidden by what was kept");
        let failed = cache.get_or_compute("2026-12", || async { Err(()) }).await;
        assert_eq!(failed, Ok(3), "a failure keeps nothing and is not needed");
        cache.changed();
        let failed = cache.get_or_compute("2026-12", || async { Err(()) }).await;
        assert_eq!(failed, Err(()));
    }

    #[tokio::test]
    async fn concurrent_requests_share_one_computation() {
        let cache = Arc::new(Cache::default());
        let count = Arc::new(AtomicUsize::new(0));
        let asks = (0..50).map(|_| {
            let (cache, count) = (cache.clone(), count.clone());
            tokio::spawn(async move {
                cache
                    .get_or_compute("2026-11", || counted(&count, 30))
                    .await
            })
        });
        let answers: Vec<_> = futures::future::join_all(asks).await;
        assert!(answers.iter().all(|a| matches!(a, Ok(Ok(1)))));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn requests_during_changes_wait_for_one_computation_started_after_them() {
        let cache = Arc::new(Cache::default());
        let count = Arc::new(AtomicUsize::new(0));
        let ask = |cache: Arc<Cache>, count: Arc<AtomicUsize>| {
            tokio::spawn(async move {
                cache
                    .get_or_compute("2026-11", || counted(&count, 30))
                    .await
            })
        };
        // One computation runs; a change comes; 40 requests arrive after it.
        let first = ask(cache.clone(), count.clone());
        tokio::time::sleep(Duration::from_millis(5)).await;
        cache.changed();
        let later: Vec<_> = (0..40).map(|_| ask(cache.clone(), count.clone())).collect();
        assert!(matches!(first.await, Ok(Ok(1))));
        for answer in futures::future::join_all(later).await {
            // Not the computation that started before the change: the one after it.
            assert!(matches!(answer, Ok(Ok(2))), "{answer:?}");
        }
        assert_eq!(
            count.load(Ordering::SeqCst),
            2,
            "not one per waiting request"
        );
    }
}
