//! The opportunity queries at scale: `scripts/bench.sh` runs it after the customer benchmark
//! (or `cargo bench -p server --bench opportunities -- [sqlite] [postgres]`). Loads
//! `BENCH_ROWS` opportunities (default a million: one filed every two minutes for almost four
//! years, a fifth still pending, a tenth signed) into bench databases once, then times the
//! store's ranking queries as the home page and 「更多排名」 ask them, and the 商机管理 list in
//! the scope of each kind of user. Results: docs/BENCHMARKS.md.

use app::model::ranking::{Dimension, Metric, Month};
use chrono::{Datelike, FixedOffset, Utc};
use server::db::opportunities::OpportunityQuery;
use server::db::rankings::RankingQuery;
use server::db::{self, DictKind, Store};
use server::policy::scope::{Reach, Scope};
use sqlx::Connection;
use std::time::Instant;

mod common;

use common::{time, RUNS};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows = common::rows();
    if common::wanted("sqlite") {
        std::fs::create_dir_all("../target/bench")?;
        run("SQLite", "sqlite://../target/bench/opportunities.db", rows).await?;
    }
    if common::wanted("postgres") {
        let url = std::env::var("BENCH_PG_OPPORTUNITIES_URL").unwrap_or_else(|_| {
            "postgres://postgres@127.0.0.1:5432/bizopp_bench_opportunities".into()
        });
        run("PostgreSQL", &url, rows).await?;
    }
    Ok(())
}

async fn run(label: &str, url: &str, rows: i64) -> anyhow::Result<()> {
    let store = db::connect(url).await?;
    server::seed::seed_demo(&*store, Utc::now()).await?;
    let started = Instant::now();
    if load(&*store, url, rows).await? {
        println!(
            "{label}: loaded {rows} opportunities in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let today = Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
        .date_naive();
    let this_month = Month::of(today);
    let earlier = Month::of(today.with_day(1).unwrap() - chrono::Duration::days(150));
    let sjz = store
        .org_units()
        .await?
        .into_iter()
        .find(|u| u.name == "石家庄")
        .unwrap()
        .id;
    let s = &*store;
    println!("\n{label}, {rows} opportunities: median / slowest of {RUNS} runs");
    let cases = [
        (
            "home: 报备数量 top 10 people, this month",
            RankingQuery::for_month(Metric::Filed, Dimension::Person, this_month, None, 10),
        ),
        (
            "home: 签约金额 top 10 people, this month",
            RankingQuery::for_month(Metric::Signed, Dimension::Person, this_month, None, 10),
        ),
        (
            "报备数量 by person, five months ago",
            RankingQuery::for_month(Metric::Filed, Dimension::Person, earlier, None, 100),
        ),
        (
            "报备数量 by city",
            RankingQuery::for_month(Metric::Filed, Dimension::City, earlier, None, 100),
        ),
        (
            "报备数量 by industry",
            RankingQuery::for_month(Metric::Filed, Dimension::Industry, earlier, None, 100),
        ),
        (
            "报备数量 by business type, one city",
            RankingQuery::for_month(
                Metric::Filed,
                Dimension::BusinessType,
                earlier,
                Some(sjz),
                100,
            ),
        ),
        (
            "签约金额 by city",
            RankingQuery::for_month(Metric::Signed, Dimension::City, earlier, None, 100),
        ),
        (
            "签约金额 by industry, one city",
            RankingQuery::for_month(Metric::Signed, Dimension::Industry, earlier, Some(sjz), 100),
        ),
    ];
    for (name, q) in cases {
        time(name, || s.ranking(&q)).await;
    }
    list(s, sjz).await?;
    Ok(())
}

/// The 商机管理 list's first page (21 rows, as the page asks) in each kind of scope.
async fn list(s: &dyn Store, sjz: i64) -> anyhow::Result<()> {
    let user =
        |login: &'static str| async move { s.user_by_login(login).await.map(|u| u.unwrap()) };
    let (admin, vp, am, director) = (
        user("admin").await?,
        user("sjz_vp1").await?,
        user("sjz_am1").await?,
        user("ind_gov").await?,
    );
    let tangshan = s
        .org_units()
        .await?
        .into_iter()
        .find(|u| u.name == "唐山")
        .unwrap()
        .id;
    let page = |owner_id: Option<i64>, name: Option<&str>| OpportunityQuery {
        owner_id,
        name_contains: name.map(str::to_owned),
        limit: 21,
        ..Default::default()
    };
    let cases = [
        (
            "list: 系统管理员, 全部",
            Scope {
                viewer_id: admin.id,
                reach: Reach::All,
            },
            page(None, None),
        ),
        (
            "list: 地市副总, 全部 (石家庄)",
            Scope {
                viewer_id: vp.id,
                reach: Reach::City(sjz),
            },
            page(None, None),
        ),
        (
            "list: 地市副总 of a city with none (唐山)",
            Scope {
                viewer_id: vp.id,
                reach: Reach::City(tangshan),
            },
            page(None, None),
        ),
        (
            "list: 地市副总, filtered by one owner",
            Scope {
                viewer_id: vp.id,
                reach: Reach::City(sjz),
            },
            page(Some(am.id), None),
        ),
        (
            "list: 客户经理, 我的商机",
            Scope {
                viewer_id: am.id,
                reach: Reach::Own,
            },
            page(Some(am.id), None),
        ),
        (
            "list: 客户经理, 全部",
            Scope {
                viewer_id: am.id,
                reach: Reach::Own,
            },
            page(None, None),
        ),
        (
            "list: 行业总监, 全部",
            Scope {
                viewer_id: director.id,
                reach: Reach::Industries(director.industry_ids.clone()),
            },
            page(None, None),
        ),
        (
            "list: 地市副总, 商机名称 contains (rare)",
            Scope {
                viewer_id: vp.id,
                reach: Reach::City(sjz),
            },
            page(None, Some("bench-77777")),
        ),
    ];
    for (name, scope, q) in cases {
        time(name, || s.opportunities(&scope, &q)).await;
    }
    Ok(())
}

/// Loads `rows` opportunities unless the database has them: owners are the demo account
/// managers of 石家庄, 保定 and the province in turn, over every industry and business type.
/// Returns whether it loaded.
async fn load(store: &dyn Store, url: &str, rows: i64) -> anyhow::Result<bool> {
    let ids = |items: Vec<db::DictItem>| items.into_iter().map(|d| d.id).collect::<Vec<i64>>();
    let industries = ids(store.dictionary(DictKind::Industry).await?);
    let types = ids(store.dictionary(DictKind::BusinessType).await?);
    let mut owners = Vec::new();
    let units = store.org_units().await?;
    for login in ["sjz_am1", "sjz_am2", "bd_am1", "prov_am1"] {
        let u = store.user_by_login(login).await?.unwrap();
        let city = server_city(&units, u.org_unit_id);
        owners.push((u.id, u.org_unit_id, city));
    }
    // CASE expressions over the row number (integers only, so formatting them in is safe).
    let pick = |values: Vec<String>| {
        let arms: String = values
            .iter()
            .enumerate()
            .map(|(k, v)| format!(" WHEN {k} THEN {v}"))
            .collect();
        format!("(CASE i % {}{arms} END)", values.len())
    };
    let owner = pick(owners.iter().map(|o| o.0.to_string()).collect());
    let unit = pick(owners.iter().map(|o| o.1.to_string()).collect());
    let city = pick(
        owners
            .iter()
            .map(|o| o.2.map(|c| c.to_string()).unwrap_or("NULL".into()))
            .collect(),
    );
    let industry =
        pick(industries.iter().map(|i| i.to_string()).collect()).replace("i %", "(i / 7) %");
    let kind = pick(types.iter().map(|i| i.to_string()).collect()).replace("i %", "(i / 3) %");
    let status =
        "(CASE WHEN i % 10 = 0 THEN 'signed' WHEN i % 5 = 0 THEN 'pending' ELSE 'active' END)";
    let columns = "name, business_type_id, level, org_unit_id, city_id, industry_id, owner_id, stage, status, submitted_at, filed_at, created_at, updated_at";
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM opportunities")
            .fetch_one(&mut conn)
            .await?;
        if have >= rows {
            return Ok(false);
        }
        let at = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || (i * 2) || ' minutes')";
        sqlx::query(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
             INSERT INTO opportunities ({columns})
             SELECT 'bench-' || i, {kind}, 'city', {unit}, {city}, {industry}, {owner}, 'identify', {status},
                    {at}, CASE WHEN i % 5 = 0 AND i % 10 <> 0 THEN NULL ELSE {at} END, {at}, {at}
             FROM n"
        ))
        .execute(&mut conn)
        .await?;
        sqlx::query(
            "INSERT INTO signings (opportunity_id, contract_no, amount_fen, signed_on, updated_at)
             SELECT id, 'HT-' || id, id % 1000000 + 1, substr(submitted_at, 1, 10), submitted_at
             FROM opportunities WHERE status = 'signed'",
        )
        .execute(&mut conn)
        .await?;
        sqlx::query("ANALYZE").execute(&mut conn).await?;
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM opportunities")
            .fetch_one(&mut conn)
            .await?;
        if have >= rows {
            return Ok(false);
        }
        let at = "(now() - i * interval '2 minutes')";
        sqlx::query(&format!(
            "INSERT INTO opportunities ({columns})
             SELECT 'bench-' || i, {kind}, 'city', {unit}, {city}, {industry}, {owner}, 'identify', {status},
                    {at}, CASE WHEN i % 5 = 0 AND i % 10 <> 0 THEN NULL ELSE {at} END, {at}, {at}
             FROM generate_series(1, {rows}) AS i"
        ))
        .execute(&mut conn)
        .await?;
        sqlx::query(
            "INSERT INTO signings (opportunity_id, contract_no, amount_fen, signed_on, updated_at)
             SELECT id, 'HT-' || id, id % 1000000 + 1,
                    to_char(submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), submitted_at
             FROM opportunities WHERE status = 'signed'",
        )
        .execute(&mut conn)
        .await?;
        sqlx::query("VACUUM ANALYZE").execute(&mut conn).await?;
    }
    Ok(true)
}

/// The city an org unit belongs to (itself or an ancestor), if any.
fn server_city(units: &[db::OrgUnit], id: i64) -> Option<i64> {
    let mut current = units.iter().find(|u| u.id == id)?;
    loop {
        if current.kind == app::model::OrgUnitKind::City {
            return Some(current.id);
        }
        current = units.iter().find(|u| Some(u.id) == current.parent_id)?;
    }
}
