//! What the benchmarks share: how many rows, which databases were asked for, and how a
//! query is timed.

use server::db::StoreError;
use std::time::{Duration, Instant};

/// Runs per query; the median and the slowest are printed.
pub const RUNS: usize = 20;

/// `BENCH_ROWS`, a million by default.
pub fn rows() -> i64 {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Whether the command line asks for `backend` (`sqlite`, `postgres`; none named: both).
pub fn wanted(backend: &str) -> bool {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    args.is_empty() || args.iter().any(|a| a == backend)
}

/// Times `query` [`RUNS`] times and prints the median and the slowest.
pub async fn time<F, Fut, T>(label: &str, query: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, StoreError>>,
{
    let mut took: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut found = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        found = query().await.expect("query").len();
        took.push(start.elapsed());
    }
    took.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {label:<44} {:>8.2} ms {:>8.2} ms  ({found} rows)",
        ms(took[RUNS / 2]),
        ms(took[RUNS - 1])
    );
}
