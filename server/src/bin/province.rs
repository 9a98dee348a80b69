//! Fills a new database with a generated province (`server::province`):
//!   province DATABASE_URL [--opportunities N] [--customers N] [--users N] [--seed N]
//!            [--now 2026-11-30T08:00:00Z]
//! Defaults: a million opportunities, 200,000 customers, 5,000 users, seed 1, now.

use server::province::{generate, Size};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .filter(|a| !a.starts_with("--"))
        .ok_or_else(|| anyhow::anyhow!("usage: province DATABASE_URL [--opportunities N] [--customers N] [--users N] [--seed N] [--now TIME]"))?;
    let mut size = Size::PROVINCE;
    let mut seed = 1;
    let mut now = chrono::Utc::now();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--opportunities" => size.opportunities = value.parse()?,
            "--customers" => size.customers = value.parse()?,
            "--users" => size.users = value.parse()?,
            "--seed" => seed = value.parse()?,
            "--now" => now = value.parse()?,
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    anyhow::ensure!(
        size.users > 0 && size.customers > 0 && size.opportunities > 0,
        "every size must be positive"
    );
    println!(
        "generating {} users, {} customers, {} opportunities (seed {seed}, as of {now}) into {url}",
        size.users, size.customers, size.opportunities
    );
    let report = generate(&url, size, seed, now).await?;
    println!("{report}");
    Ok(())
}
