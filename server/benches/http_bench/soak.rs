//! The soak (#19; `scripts/soak.sh`, never in CI): simulated people, each with their own
//! session, for minutes on the generated province — account managers of every city browsing
//! (首页, 商机管理, an opportunity, 客户管理, 任务) and now and then filing to their city's 副总,
//! the cities' 副总 deciding what comes in — with a think time between pages, as people work.
//! Counts every error and every answer over a second, and samples the servers' memory.

use super::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What a soak found.
pub struct SoakReport {
    pub sessions: usize,
    pub requests: usize,
    pub decisions: u64,
    pub filings: u64,
    pub errors: u64,
    pub over_a_second: usize,
    pub p50: f64,
    pub p99: f64,
    pub slowest: f64,
    /// Each kind of request's.
    pub kinds: Vec<Kind>,
    /// (seconds since the start, MB) of each server, every ten seconds.
    pub memory: Vec<(u64, Vec<u64>)>,
    /// (start of a 30 s window, answers over a second asked in it), where there were some.
    pub slow_windows: Vec<(u64, usize)>,
}

/// One kind of request's figures.
pub struct Kind {
    pub label: &'static str,
    pub n: usize,
    pub p50: f64,
    pub p99: f64,
    pub slowest: f64,
    pub over_a_second: usize,
}

/// Who the soak's `n` people are, from the province's users: each city's 副总 (they decide),
/// then account managers, the first of every city before anyone's second.
pub async fn people(database: &str, n: usize) -> anyhow::Result<Vec<String>> {
    let sql = "SELECT login FROM users WHERE NOT disabled ORDER BY id";
    let logins: Vec<String> = if database.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(database).await?;
        sqlx::query_scalar(sql).fetch_all(&pool).await?
    } else {
        let pool = sqlx::SqlitePool::connect(database).await?;
        sqlx::query_scalar(sql).fetch_all(&pool).await?
    };
    let numbered = |login: &str| -> Option<u32> {
        let (city, rest) = login.split_once("_am")?;
        (city != "prov" && rest.len() == 4).then_some(())?;
        rest.parse().ok()
    };
    let mut deciders: Vec<String> = logins
        .iter()
        .filter(|l| l.ends_with("_vp1") && !l.starts_with("prov"))
        .cloned()
        .collect();
    let mut managers: Vec<(u32, String)> = logins
        .iter()
        .filter_map(|l| numbered(l).map(|k| (k, l.clone())))
        .collect();
    managers.sort();
    deciders.extend(managers.into_iter().map(|(_, l)| l));
    anyhow::ensure!(
        deciders.len() >= n,
        "the province has {} people for {n}",
        deciders.len()
    );
    deciders.truncate(n);
    Ok(deciders)
}

/// The resident memory of process `pid`, in MB.
pub fn rss_mb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// A pause of 1–3 s (a person reading the page), from a per-person sequence.
fn think(state: &mut u64) -> Duration {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    Duration::from_millis(1_000 + *state % 2_000)
}

/// A session of each of `people` for `seconds` against `bases` (one per instance, a person
/// keeps to one, in turn, as a balancer with sticky connections would); `pids` are the
/// servers' processes. The people start one after another over the first `ramp` seconds, as
/// people arrive at work, not all in the same second (`ramp` 0: they do).
pub async fn soak(
    bases: &[String],
    pids: &[u32],
    people: &[String],
    seconds: u64,
    ramp: u64,
) -> anyhow::Result<SoakReport> {
    // Logging in is argon2 on the server: done before the clock starts.
    let mut sessions = Vec::with_capacity(people.len());
    for (k, login) in people.iter().enumerate() {
        let base = bases[k % bases.len()].clone();
        let (cookie, _) = login_to(&base, login).await?;
        sessions.push((base, login.clone(), cookie));
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let (decided, filed, errors) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    );
    let mut workers = Vec::new();
    let n = sessions.len().max(1) as u64;
    for (k, (base, login, cookie)) in sessions.into_iter().enumerate() {
        let (decided, filed, errors) = (decided.clone(), filed.clone(), errors.clone());
        let arrives = Duration::from_millis(ramp * 1_000 * k as u64 / n);
        workers.push(tokio::spawn(async move {
            let c = client();
            let mut pause = 0x9E37_79B9_7F4A_7C15_u64 ^ (k as u64 + 1);
            let mut took: Vec<(&'static str, u64, f64)> = Vec::new();
            let at = |t: Instant| t.duration_since(started).as_secs();
            let mut round = 0_u64;
            // Spread the first requests over the first think time.
            tokio::time::sleep(arrives + think(&mut pause)).await;
            while Instant::now() < deadline {
                round += 1;
                if login.ends_with("_vp1") {
                    let started = Instant::now();
                    match decisions(&base, &cookie, 1).await {
                        Ok(w) if w.n == 1 && w.errors == 0 => {
                            decided.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(w) if w.n == 0 => {}
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    took.push((
                        "审批: 待办, the task, the decision",
                        at(started),
                        ms(started.elapsed()),
                    ));
                    tokio::time::sleep(think(&mut pause)).await;
                    continue;
                }
                for (label, path) in [
                    ("首页", "/"),
                    ("商机管理", "/opportunities?tab=mine"),
                    ("客户管理", "/customers"),
                    ("任务 待办", "/tasks?tab=todo"),
                ] {
                    let started = Instant::now();
                    let (status, body) = get(&c, &base, &cookie, path).await;
                    took.push((label, at(started), ms(started.elapsed())));
                    if status != 200 {
                        errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("{login} GET {path}: {status}");
                    }
                    if path == "/opportunities?tab=mine" {
                        if let Some(id) = first_id(&body, "/opportunities/") {
                            tokio::time::sleep(think(&mut pause)).await;
                            let started = Instant::now();
                            let (status, _) =
                                get(&c, &base, &cookie, &format!("/opportunities/{id}")).await;
                            took.push(("商机 page", at(started), ms(started.elapsed())));
                            if status != 200 {
                                errors.fetch_add(1, Ordering::Relaxed);
                                eprintln!("{login} GET /opportunities/{id}: {status}");
                            }
                        }
                    }
                    tokio::time::sleep(think(&mut pause)).await;
                    if Instant::now() >= deadline {
                        break;
                    }
                }
                if round.is_multiple_of(5) && Instant::now() < deadline {
                    let started = Instant::now();
                    match filings(&base, &cookie, 1).await {
                        Ok(w) if w.errors == 0 => {
                            filed.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    took.push((
                        "报备: the form, 2 lists, the post",
                        at(started),
                        ms(started.elapsed()),
                    ));
                }
            }
            took
        }));
    }
    // Memory every ten seconds while they work.
    let mut memory = Vec::new();
    while Instant::now() < deadline {
        memory.push((
            started.elapsed().as_secs(),
            pids.iter().map(|p| rss_mb(*p)).collect(),
        ));
        let left = deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(left.min(Duration::from_secs(10))).await;
    }
    let mut took = Vec::new();
    for w in workers {
        took.extend(w.await?);
    }
    memory.push((
        started.elapsed().as_secs(),
        pids.iter().map(|p| rss_mb(*p)).collect(),
    ));
    let mut slow_windows: Vec<(u64, usize)> = Vec::new();
    for (_, at, _) in took.iter().filter(|(_, _, t)| *t > 1_000.0) {
        let window = at / 30 * 30;
        match slow_windows.iter_mut().find(|(w, _)| *w == window) {
            Some((_, count)) => *count += 1,
            None => slow_windows.push((window, 1)),
        }
    }
    slow_windows.sort();
    let mut labels: Vec<&'static str> = took.iter().map(|(l, _, _)| *l).collect();
    labels.sort();
    labels.dedup();
    let kinds = labels
        .into_iter()
        .map(|label| {
            let mut of: Vec<f64> = took
                .iter()
                .filter(|(l, _, _)| *l == label)
                .map(|(_, _, t)| *t)
                .collect();
            of.sort_by(f64::total_cmp);
            Kind {
                label,
                n: of.len(),
                p50: percentile(&of, 50.0),
                p99: percentile(&of, 99.0),
                slowest: of.last().copied().unwrap_or_default(),
                over_a_second: of.iter().filter(|t| **t > 1_000.0).count(),
            }
        })
        .collect();
    let mut took: Vec<f64> = took.into_iter().map(|(_, _, t)| t).collect();
    took.sort_by(f64::total_cmp);
    Ok(SoakReport {
        kinds,
        sessions: people.len(),
        requests: took.len(),
        decisions: decided.load(Ordering::Relaxed),
        filings: filed.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        over_a_second: took.iter().filter(|t| **t > 1_000.0).count(),
        p50: percentile(&took, 50.0),
        p99: percentile(&took, 99.0),
        slowest: took.last().copied().unwrap_or_default(),
        memory,
        slow_windows,
    })
}

/// Logs in, trying again while the server is busy hashing others' passwords.
async fn login_to(base: &str, login: &str) -> anyhow::Result<(String, f64)> {
    let mut last = None;
    for _ in 0..3 {
        match super::login(base, login).await {
            Ok(done) => return Ok(done),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| anyhow::anyhow!("no login")))
}

pub fn print_soak(report: &SoakReport, instances: usize, seconds: u64, ramp: u64) {
    println!(
        "\n### Soak: {} sessions for {} s on {instances} instance(s), arriving over {ramp} s\n",
        report.sessions, seconds
    );
    println!(
        "{} requests ({:.0}/s), {} decisions, {} filings, {} errors; p50 {:.1} ms, p99 {:.1} ms, \
         slowest {:.0} ms, {} answers over 1 s",
        report.requests,
        report.requests as f64 / seconds as f64,
        report.decisions,
        report.filings,
        report.errors,
        report.p50,
        report.p99,
        report.slowest,
        report.over_a_second
    );
    let samples: Vec<String> = report
        .memory
        .iter()
        .map(|(at, mb)| {
            let each: Vec<String> = mb.iter().map(|m| m.to_string()).collect();
            format!("{at}s: {} MB", each.join("+"))
        })
        .collect();
    println!("\n| request | n | p50 ms | p99 ms | slowest ms | over 1 s |");
    println!("|---|---:|---:|---:|---:|---:|");
    for k in &report.kinds {
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.0} | {} |",
            k.label, k.n, k.p50, k.p99, k.slowest, k.over_a_second
        );
    }
    let slow: Vec<String> = report
        .slow_windows
        .iter()
        .map(|(at, n)| format!("{at}–{} s: {n}", at + 30))
        .collect();
    println!("\nanswers over 1 s asked in each 30 s: {}", slow.join(", "));
    println!("\nserver memory (RSS): {}", samples.join(", "));
}
