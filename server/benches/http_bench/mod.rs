//! The HTTP bench's parts: its plan, the roles and their pages, and the ways of timing them.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod soak;
mod writes;
pub use soak::*;
pub use writes::*;

/// Requests made and not timed before each page's timed ones.
pub const WARMUP: usize = 3;

/// The account manager who files (a generated one of 石家庄, with an ordinary book).
pub const MANAGER: &str = "sjz_am0001";

/// How much to do.
pub struct Plan {
    pub full: bool,
    pub runs: usize,
    pub seconds: u64,
    pub decisions: usize,
    pub filings: usize,
    pub users: usize,
    pub port: u16,
}

impl Plan {
    pub fn full() -> Self {
        let number = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Self {
            full: true,
            runs: number("BENCH_RUNS", 30),
            seconds: number("BENCH_SECONDS", 10) as u64,
            decisions: number("BENCH_DECISIONS", 50),
            filings: number("BENCH_FILINGS", 30),
            users: number("BENCH_USERS", 32),
            port: 3200,
        }
    }

    pub fn quick() -> Self {
        Self {
            full: false,
            runs: 2,
            seconds: 1,
            decisions: 2,
            filings: 2,
            users: 4,
            port: 3201,
        }
    }
}

#[derive(Clone)]
pub struct Role {
    pub label: &'static str,
    pub login: &'static str,
}

impl Role {
    pub fn all() -> Vec<Role> {
        [
            ("系统管理员", "admin"),
            ("商机管理员", "oppadmin"),
            ("集客部总经理", "prov_gm"),
            ("集客部副总经理", "prov_vp"),
            ("行业总监", "ind_gov"),
            ("地市总经理", "sjz_gm"),
            ("地市副总", "sjz_vp1"),
            ("客户经理", MANAGER),
            ("销售支持", "support"),
        ]
        .into_iter()
        .map(|(label, login)| Role { label, login })
        .collect()
    }
}

pub struct Session {
    pub role: Role,
    pub cookie: String,
    pub login_ms: f64,
}

/// The page groups loaded together for throughput: (label, the pages' labels).
pub const GROUPS: [(&str, &[&str]); 4] = [
    ("首页", &["首页"]),
    (
        "lists' first pages",
        &[
            "商机管理 全部",
            "商机管理 我的",
            "客户管理",
            "联系人",
            "销售活动",
            "任务 待办",
            "任务 已办",
        ],
    ),
    ("searches", &["商机名称 rare", "客户名称", "快速查找"]),
    ("records", &["商机 page", "客户 page", "task page"]),
];

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Keeps this process (the load generator) on core 0, the server having core 1.
pub fn pin_self() -> String {
    if cores() < 2 {
        return "no (one core)".into();
    }
    let pinned = std::process::Command::new("taskset")
        .args(["-a", "-cp", "0", &std::process::id().to_string()])
        .output()
        .is_ok_and(|o| o.status.success());
    if pinned { "core 0" } else { "no" }.into()
}

/// A path as a table shows it (its query decoded, shortened).
pub fn short(path: &str) -> String {
    let decoded: String = url_decode(path);
    decoded.chars().take(60).collect()
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// Signs in through the login form; the session cookie and how long it took (ms).
pub async fn login(base: &str, login: &str) -> anyhow::Result<(String, f64)> {
    let started = Instant::now();
    let response = client()
        .post(format!("{base}/login"))
        .header("Origin", base)
        .form(&[("login", login), ("password", server::seed::DEMO_PASSWORD)])
        .send()
        .await?;
    let took = ms(started.elapsed());
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|v| !v.starts_with("lang="))
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("login as {login} failed: {}", response.status()))?;
    Ok((cookie, took))
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn get(client: &reqwest::Client, base: &str, cookie: &str, path: &str) -> (u16, String) {
    let mut request = client.get(format!("{base}{path}"));
    if !cookie.is_empty() {
        request = request.header("Cookie", cookie);
    }
    match request.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        }
        Err(e) => {
            eprintln!("GET {path}: {e}");
            (0, String::new())
        }
    }
}

/// The first `{prefix}{number}` link of a page, as a number.
pub fn first_id(html: &str, prefix: &str) -> Option<i64> {
    let needle = format!("href=\"{prefix}");
    html.match_indices(&needle).find_map(|(at, _)| {
        let rest = &html[at + needle.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = rest[digits.len()..].chars().next();
        (!digits.is_empty() && matches!(after, Some('"') | Some('?')))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// A role's pages: (label, path), the records among them found on its lists.
pub async fn pages_for(base: &str, s: &Session) -> anyhow::Result<Vec<(String, String)>> {
    let c = client();
    let mut pages: Vec<(&str, String)> = vec![
        ("首页", "/".into()),
        ("商机管理 全部", "/opportunities?tab=all".into()),
    ];
    if s.role.login == MANAGER {
        pages.push(("商机管理 我的", "/opportunities?tab=mine".into()));
    }
    let (_, list) = get(&c, base, &s.cookie, "/opportunities?tab=all").await;
    if let Some(newest) = first_id(&list, "/opportunities/") {
        pages.push((
            "商机管理 deep page",
            format!("/opportunities?tab=all&after_id={}", newest / 2),
        ));
        pages.push(("商机 page", format!("/opportunities/{newest}")));
    }
    pages.extend([
        (
            "商机名称 common",
            "/opportunities?tab=all&name=专线".to_owned(),
        ),
        (
            "商机名称 rare",
            "/opportunities?tab=all&name=凯旋建设集团第12分部".into(),
        ),
        ("客户管理", "/customers".into()),
        ("客户名称", "/customers?name=凯旋建设集团".into()),
        ("快速查找", "/customers/find?q=凯旋建设集团第12".into()),
        ("联系人", "/contacts".into()),
        ("任务 待办", "/tasks?tab=todo".into()),
        ("任务 已办", "/tasks?tab=done".into()),
        ("任务 全部", "/tasks?tab=all".into()),
        ("待阅消息", "/tasks?tab=messages".into()),
        ("更多排名", "/rankings".into()),
        ("排名 export", "/rankings/export".into()),
        ("公告", "/announcements".into()),
        ("销售活动", "/activities".into()),
        (
            "销售活动 计划中 拜访",
            "/activities?kind=visit&status=planned".into(),
        ),
        ("逾期里程碑", "/milestones".into()),
        ("客户业务预警", "/warnings".into()),
        ("预警 商机长期无跟进", "/warnings?kind=idle".into()),
        (
            "预警 客户长期无活动",
            "/warnings?kind=quiet_customer".into(),
        ),
    ]);
    if s.role.login != MANAGER {
        // 统计分析 (客户经理 are refused it).
        pages.extend([
            ("销售漏斗", "/analysis".into()),
            (
                "销售漏斗 a quarter",
                "/analysis?from=2026-01&to=2026-03".into(),
            ),
            ("客户价值金字塔", "/analysis/pyramid".into()),
            ("金字塔 第四层", "/analysis/pyramid?tier=4".into()),
            ("销售预测", "/analysis/forecast".into()),
            ("竞争分析", "/analysis/competition".into()),
            ("漏斗 export", "/analysis/export?figure=funnel".into()),
        ]);
    }
    let (_, customers) = get(&c, base, &s.cookie, "/customers").await;
    if let Some(customer) = first_id(&customers, "/customers/") {
        pages.push(("客户 page", format!("/customers/{customer}")));
    }
    let (_, tasks) = get(&c, base, &s.cookie, "/tasks?tab=all").await;
    if let Some(task) = first_id(&tasks, "/tasks/") {
        pages.push(("task page", format!("/tasks/{task}")));
    }
    Ok(pages.into_iter().map(|(l, p)| (l.to_owned(), p)).collect())
}

/// Percentiles of sequential requests, in ms.
#[derive(Default)]
pub struct Stats {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub bytes: usize,
    pub errors: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn stats(mut took: Vec<f64>, bytes: usize, errors: u64) -> Stats {
    took.sort_by(f64::total_cmp);
    Stats {
        p50: percentile(&took, 50.0),
        p95: percentile(&took, 95.0),
        p99: percentile(&took, 99.0),
        bytes,
        errors,
    }
}

/// `runs` requests one after another on one keep-alive connection.
pub async fn sequential(base: &str, cookie: &str, path: &str, runs: usize) -> Stats {
    let c = client();
    let mut took = Vec::with_capacity(runs);
    let (mut bytes, mut errors) = (0, 0);
    for k in 0..WARMUP + runs {
        let started = Instant::now();
        let (status, body) = get(&c, base, cookie, path).await;
        if k >= WARMUP {
            took.push(ms(started.elapsed()));
        }
        bytes = body.len();
        if status != 200 {
            errors += 1;
            eprintln!("GET {path} answered {status}");
        }
    }
    stats(took, bytes, errors)
}

/// Times an in-process call `runs` times.
pub async fn time_runs<F, Fut, T, E>(runs: usize, call: F) -> Stats
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Debug,
{
    let mut took = Vec::with_capacity(runs);
    for k in 0..WARMUP + runs {
        let started = Instant::now();
        call().await.expect("the store answers");
        if k >= WARMUP {
            took.push(ms(started.elapsed()));
        }
    }
    stats(took, 0, 0)
}

pub struct Load {
    pub per_second: f64,
    pub p50: f64,
    pub p99: f64,
    pub errors: u64,
}

/// `connections` keep-alive connections requesting `requests` in turn for `seconds`.
pub async fn throughput(
    base: &str,
    requests: &[(String, String)],
    connections: usize,
    seconds: u64,
) -> Load {
    let requests = Arc::new(requests.to_vec());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for k in 0..connections {
        let (requests, base) = (requests.clone(), base.to_owned());
        workers.push(tokio::spawn(async move {
            let c = client();
            let (mut took, mut errors) = (Vec::new(), 0u64);
            let mut n = k;
            while Instant::now() < deadline {
                let (cookie, path) = &requests[n % requests.len()];
                n += 1;
                let at = Instant::now();
                let (status, _) = get(&c, &base, cookie, path).await;
                took.push(ms(at.elapsed()));
                if status != 200 {
                    errors += 1;
                }
            }
            (took, errors)
        }));
    }
    let (mut took, mut errors) = (Vec::new(), 0);
    for w in workers {
        if let Ok((t, e)) = w.await {
            took.extend(t);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let count = took.len();
    let s = stats(took, 0, errors);
    Load {
        per_second: count as f64 / elapsed,
        p50: s.p50,
        p99: s.p99,
        errors,
    }
}
