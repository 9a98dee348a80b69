//! A province of generated data for measuring the application at the scale it serves: 11
//! cities, thousands of users, hundreds of thousands of customers and a million opportunities
//! over four years, each with the records, tasks and messages its approvals wrote
//! (`province` binary; docs/BENCHMARKS.md). The same seed gives the same province. It fills a
//! new database (after the demo data), in large transactions of multi-row inserts.

mod announcements;
mod customers;
mod life;
mod opportunities;
mod people;
mod rng;
mod writer;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use std::time::Instant;
use writer::Writer;

/// How large a province to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub users: i64,
    pub customers: i64,
    pub opportunities: i64,
}

impl Size {
    /// What a province's division holds after four years.
    pub const PROVINCE: Size = Size {
        users: 5_000,
        customers: 200_000,
        opportunities: 1_000_000,
    };

    /// For the test suite: every kind of row, in a second.
    pub const TINY: Size = Size {
        users: 80,
        customers: 400,
        opportunities: 3_000,
    };
}

/// The four years the data spans, up to `now`.
pub struct Window {
    pub start: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

impl Window {
    fn new(now: DateTime<Utc>) -> Self {
        Self {
            start: now - Duration::days(4 * 365),
            now,
        }
    }

    fn random_time(&self, rng: &mut rng::Rng) -> DateTime<Utc> {
        self.start + Duration::seconds(rng.range(0, (self.now - self.start).num_seconds()))
    }
}

/// The calendar day in China of a moment.
fn cst_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("a valid offset"))
        .date_naive()
}

/// What was written, and how fast.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// (what, rows, seconds)
    pub phases: Vec<(&'static str, u64, f64)>,
}

impl Report {
    pub fn rows(&self) -> u64 {
        self.phases.iter().map(|p| p.1).sum()
    }

    pub fn seconds(&self) -> f64 {
        self.phases.iter().map(|p| p.2).sum()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (what, rows, seconds) in &self.phases {
            writeln!(
                f,
                "  {what:<36} {rows:>10} rows {seconds:>7.1} s {:>9.0} rows/s",
                *rows as f64 / seconds.max(0.001)
            )?;
        }
        write!(
            f,
            "  {:<36} {:>10} rows {:>7.1} s {:>9.0} rows/s",
            "in all",
            self.rows(),
            self.seconds(),
            self.rows() as f64 / self.seconds().max(0.001)
        )
    }
}

/// Fills the database at `url` (migrated and demo-seeded first, if need be) with a province
/// of `size` from `seed`, as of `now`. Refuses a database that already has opportunities.
pub async fn generate(
    url: &str,
    size: Size,
    seed: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<Report> {
    let store = crate::db::connect(url).await?;
    crate::seed::seed_demo(&*store, now).await?;
    drop(store);
    let mut w = Writer::open(url).await?;
    let have = w.number("SELECT COUNT(*) FROM opportunities").await?;
    anyhow::ensure!(
        have == 0,
        "the database already has {have} opportunities: the generator fills a new one"
    );
    let mut rng = rng::Rng::new(seed);
    let window = Window::new(now);
    let mut phases = Vec::new();

    let started = Instant::now();
    let (people, rows) = people::generate(&mut w, &mut rng, size.users, now).await?;
    phases.push((
        "org units, users, roles",
        rows,
        started.elapsed().as_secs_f64(),
    ));

    let started = Instant::now();
    let (customers, rows) =
        customers::generate(&mut w, &mut rng, &people, size.customers, &window).await?;
    phases.push((
        "customers, contacts, quick find, shares",
        rows,
        started.elapsed().as_secs_f64(),
    ));

    let started = Instant::now();
    let rows = opportunities::generate(
        &mut w,
        &mut rng,
        &people,
        &customers,
        size.opportunities,
        &window,
    )
    .await?;
    phases.push((
        "opportunities and their approvals",
        rows,
        started.elapsed().as_secs_f64(),
    ));

    let started = Instant::now();
    let rows = announcements::generate(&mut w, &people, &window).await?;
    phases.push(("announcements", rows, started.elapsed().as_secs_f64()));

    // 统计分析's cells, as the server's fold makes them (the triggers marked every opportunity).
    let started = Instant::now();
    let store = crate::db::connect(url).await?;
    let mut folded = 0;
    loop {
        let n = store.fold_analysis(5000).await?;
        folded += n as u64;
        if n < 5000 {
            break;
        }
    }
    drop(store);
    phases.push(("统计分析 cells", folded, started.elapsed().as_secs_f64()));

    let started = Instant::now();
    finish(&mut w).await?;
    phases.push(("sequences, statistics", 0, started.elapsed().as_secs_f64()));
    Ok(Report { phases })
}

/// Moves PostgreSQL's id sequences past the written ids, and gathers the planners'
/// statistics on both databases.
async fn finish(w: &mut Writer) -> anyhow::Result<()> {
    if w.is_postgres() {
        for table in [
            "org_units",
            "users",
            "customers",
            "contacts",
            "opportunities",
            "tasks",
            "approval_records",
            "messages",
            "stage_history",
            "activities",
            "announcements",
        ] {
            w.exec(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
        w.exec("VACUUM ANALYZE").await?;
    } else {
        w.exec("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    Ok(())
}
