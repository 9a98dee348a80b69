//! The customer queries at scale: `scripts/bench.sh` (or `cargo bench -p server --bench
//! customers -- [sqlite] [postgres]`). Loads `BENCH_ROWS` customers (default a million) into a
//! bench database once (kept for the next run), then times the store's real queries, each in
//! the scope of a demo user, and prints the median and the slowest of `RUNS` runs.
//! Results are written down in docs/BENCHMARKS.md.

use server::db::customers::{CustomerCursor, CustomerQuery, CustomerSort};
use server::db::{self, DictKind, Store};
use server::policy::scope::{Reach, Scope};
use std::time::Instant;

mod common;

use common::{time, RUNS};
const CITIES: [&str; 4] = ["石家庄", "保定", "唐山", "邯郸"];
const WORDS: [&str; 6] = ["第一", "第二", "华北", "冀中", "新区", "燕赵"];
const KINDS: [&str; 8] = [
    "人民医院",
    "中学",
    "电力公司",
    "交通局",
    "银行",
    "制造厂",
    "数据局",
    "水务集团",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows = common::rows();
    if common::wanted("sqlite") {
        std::fs::create_dir_all("../target/bench")?;
        run("SQLite", "sqlite://../target/bench/customers.db", rows).await?;
    }
    if common::wanted("postgres") {
        let url = std::env::var("BENCH_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/bizopp_bench".into());
        run("PostgreSQL", &url, rows).await?;
    }
    Ok(())
}

async fn run(label: &str, url: &str, rows: i64) -> anyhow::Result<()> {
    let store = db::connect(url).await?;
    server::seed::seed_demo(&*store, chrono::Utc::now()).await?;
    let started = Instant::now();
    let loaded = load(&*store, url, rows).await?;
    if loaded > 0 {
        println!(
            "{label}: loaded {loaded} customers in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let user = |login: &'static str| {
        let store = store.clone();
        async move { store.user_by_login(login).await.unwrap().unwrap() }
    };
    let admin = user("admin").await;
    let vp = user("sjz_vp1").await;
    let am = user("sjz_am1").await;
    let few = user("prov_am1").await;
    let director = user("ind_gov").await;
    let sjz = store
        .org_units()
        .await?
        .into_iter()
        .find(|u| u.name == "石家庄")
        .unwrap()
        .id;
    let scope = |viewer_id, reach| Scope { viewer_id, reach };
    // As the list asks: one tab (潜在客户) at a time.
    let tab = Some(app::model::customer::CustomerKind::Potential);
    let first_page = CustomerQuery {
        kind: tab,
        limit: 21,
        ..Default::default()
    };
    let by_name = CustomerQuery {
        kind: tab,
        sort: CustomerSort::Name { descending: false },
        after: Some(CustomerCursor {
            key: "唐山".into(),
            id: 0,
        }),
        limit: 21,
        ..Default::default()
    };
    let name_contains = CustomerQuery {
        kind: tab,
        name_contains: Some("冀中水务".into()),
        limit: 21,
        ..Default::default()
    };
    let rare_name = CustomerQuery {
        kind: tab,
        name_contains: Some("-777777".into()),
        limit: 21,
        ..Default::default()
    };

    println!("\n{label}, {rows} customers: median / slowest of {RUNS} runs");
    let s = &*store;
    let all = scope(admin.id, Reach::All);
    let city = scope(vp.id, Reach::City(sjz));
    let own = scope(am.id, Reach::Own);
    let own_few = scope(few.id, Reach::Own);
    let industries = scope(
        director.id,
        Reach::Industries(director.industry_ids.clone()),
    );
    time("list, first page, 系统管理员 (all)", || {
        s.customers(&all, &first_page)
    })
    .await;
    time("list, first page, 地市副总 (city)", || {
        s.customers(&city, &first_page)
    })
    .await;
    time("list, first page, 客户经理 owning ~1/3", || {
        s.customers(&own, &first_page)
    })
    .await;
    // prov_am1's ten customers are all 交易客户.
    let few_page = CustomerQuery {
        kind: Some(app::model::customer::CustomerKind::Transaction),
        ..first_page.clone()
    };
    time("list, first page, 客户经理 owning 10", || {
        s.customers(&own_few, &few_page)
    })
    .await;
    time("list, first page, 行业总监 (one industry)", || {
        s.customers(&industries, &first_page)
    })
    .await;
    time("list, by name from the middle (keyset)", || {
        s.customers(&all, &by_name)
    })
    .await;
    time("list, 客户名称 contains (common)", || {
        s.customers(&all, &name_contains)
    })
    .await;
    time("list, 客户名称 contains (one match)", || {
        s.customers(&all, &rare_name)
    })
    .await;
    time("快速查找, 3+ characters, one match", || {
        s.quick_find(&all, "-777777", 20)
    })
    .await;
    time("快速查找, 3+ characters, common", || {
        s.quick_find(&all, "冀中水务", 20)
    })
    .await;
    time("快速查找, 3+ characters, 客户经理", || {
        s.quick_find(&own, "燕赵银行", 20)
    })
    .await;
    time("快速查找, 2 characters (name prefix)", || {
        s.quick_find(&all, "唐山", 20)
    })
    .await;
    Ok(())
}

/// Adds customers until there are `rows`: names like 「唐山冀中银行-123456」, spread over the
/// demo users (prov_am1 owns only ten), industries and levels. Returns how many it added.
async fn load(store: &dyn Store, url: &str, rows: i64) -> anyhow::Result<i64> {
    let industries: Vec<i64> = store
        .dictionary(DictKind::Industry)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    let levels: Vec<i64> = store
        .dictionary(DictKind::CustomerLevel)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    let units = store.org_units().await?;
    let mut owners = Vec::new();
    for login in ["sjz_am1", "sjz_am2", "bd_am1"] {
        let u = store.user_by_login(login).await?.unwrap();
        let city = units.iter().find(|x| x.id == u.org_unit_id).map(|x| x.id);
        owners.push((u.id, u.org_unit_id, city));
    }
    let few = store.user_by_login("prov_am1").await?.unwrap();
    let row = |i: i64| {
        let (owner, dept, city) = if i % 100_000 == 0 {
            (few.id, few.org_unit_id, None)
        } else {
            owners[(i % 3) as usize]
        };
        let name = format!(
            "{}{}{}-{i}",
            CITIES[(i % 4) as usize],
            WORDS[(i / 4 % 6) as usize],
            KINDS[(i / 24 % 8) as usize]
        );
        let phone = format!("0311-{:07}", i % 10_000_000);
        let industry = industries[(i % industries.len() as i64) as usize];
        let level = levels[(i % levels.len() as i64) as usize];
        let kind = if i % 5 == 0 {
            "transaction"
        } else {
            "potential"
        };
        let day = format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        (name, industry, level, kind, owner, dept, city, day, phone)
    };
    macro_rules! bulk {
        ($pool:expr, $db:ty, $search:literal) => {{
            let pool = $pool;
            let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(&pool).await?;
            let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM customers").fetch_one(&pool).await?;
            let now = chrono::Utc::now();
            let mut i = have;
            while i < rows {
                let end = (i + 1000).min(rows);
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO customers (name, name_key, industry_id, level_id, kind, owner_id, \
                     dept_id, city_id, registered_on, phone, version, created_at, updated_at) ",
                );
                qb.push_values(i..end, |mut b, n| {
                    let (name, industry, level, kind, owner, dept, city, day, phone) = row(n + 1);
                    b.push_bind(name.clone())
                        .push_bind(name)
                        .push_bind(industry)
                        .push_bind(level)
                        .push_bind(kind)
                        .push_bind(owner)
                        .push_bind(dept)
                        .push_bind(city)
                        .push_bind(day)
                        .push_bind(phone)
                        .push_bind(1_i64)
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.build().execute(&pool).await?;
                i = end;
            }
            sqlx::query($search).bind(last).execute(&pool).await?;
            sqlx::query(if url.starts_with("sqlite") { "ANALYZE" } else { "ANALYZE customers" })
                .execute(&pool)
                .await?;
            rows.saturating_sub(have)
        }};
    }
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        Ok(bulk!(
            pool,
            sqlx::Sqlite,
            "INSERT INTO customer_search (rowid, body) SELECT id, name || ' ' || COALESCE(phone, '') FROM customers WHERE id > $1"
        ))
    } else {
        let pool = sqlx::PgPool::connect(url).await?;
        Ok(bulk!(
            pool,
            sqlx::Postgres,
            "INSERT INTO customer_search (customer_id, body) SELECT id, name || ' ' || COALESCE(phone, '') FROM customers WHERE id > $1"
        ))
    }
}
