//! The HTTP bench's parts: its plan, the roles and their pages, and the ways of timing them.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    ]);
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

/// Timed writes.
pub struct Writes {
    pub n: usize,
    pub stats: Stats,
    pub per_second: f64,
    pub errors: u64,
}

pub fn print_writes(label: &str, w: &Writes) {
    println!(
        "| {label} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {} |",
        w.n, w.stats.p50, w.stats.p95, w.stats.p99, w.per_second, w.errors
    );
}

/// The value of the input with `id` on a page.
fn input_value(page: &str, id: &str) -> String {
    page.split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|s| s.split("value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// The chosen (or else the first) option of the select named `name`.
fn chosen_option(page: &str, name: &str, label_holds: &str) -> String {
    let Some(select) = page
        .split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|s| s.split("</select>").next())
    else {
        return String::new();
    };
    let options: Vec<(&str, bool, &str)> = select
        .split("<option")
        .skip(1)
        .filter_map(|o| {
            let value = o.split("value=\"").nth(1)?.split('"').next()?;
            let tag = o.split('>').next().unwrap_or_default();
            let label = o.split('>').nth(1).unwrap_or_default();
            Some((value, tag.contains("selected"), label))
        })
        .filter(|(v, _, _)| !v.is_empty())
        .collect();
    options
        .iter()
        .find(|o| o.1)
        .or_else(|| options.iter().find(|o| o.2.contains(label_holds)))
        .or(options.first())
        .map(|o| o.0.to_owned())
        .unwrap_or_default()
}

async fn post(
    c: &reqwest::Client,
    base: &str,
    cookie: &str,
    path: &str,
    form: &[(&str, String)],
) -> (u16, f64) {
    let started = Instant::now();
    let status = c
        .post(format!("{base}{path}"))
        .header("Cookie", cookie)
        .header("Origin", base)
        .form(form)
        .send()
        .await
        .map_or(0, |r| r.status().as_u16());
    (status, ms(started.elapsed()))
}

/// Decides `n` of the approver's waiting filings (通过，审批结束), one after another; only
/// the decision's post is timed.
pub async fn decisions(base: &str, cookie: &str, n: usize) -> anyhow::Result<Writes> {
    let c = client();
    let (mut took, mut errors) = (Vec::new(), 0);
    for _ in 0..n {
        let (_, todo) = get(&c, base, cookie, "/tasks?tab=todo&flow=filing").await;
        // None left: fewer decisions are reported than were asked for.
        let Some(task) = first_id(&todo, "/tasks/") else {
            break;
        };
        let path = format!("/tasks/{task}");
        let (_, page) = get(&c, base, cookie, &path).await;
        let form = [
            ("name", input_value(&page, "name")),
            (
                "customer_id",
                page.split("name=\"customer_id\" value=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap_or_default()
                    .to_owned(),
            ),
            (
                "business_type_id",
                chosen_option(&page, "business_type_id", ""),
            ),
            ("expected_amount", input_value(&page, "expected_amount")),
            ("decision", "approve_end".into()),
            ("opinion", "同意".into()),
        ];
        let (status, ms) = post(&c, base, cookie, &path, &form).await;
        took.push(ms);
        if status != 303 {
            errors += 1;
            eprintln!("deciding {path} answered {status}");
        }
    }
    Ok(writes(took, errors))
}

fn writes(took: Vec<f64>, errors: u64) -> Writes {
    let total: f64 = took.iter().sum();
    let n = took.len();
    Writes {
        n,
        per_second: if total > 0.0 {
            n as f64 * 1000.0 / total
        } else {
            0.0
        },
        stats: stats(took, 0, errors),
        errors,
    }
}

/// Files `n` opportunities (提交审批 to the city's 副总), one after another.
pub async fn filings(base: &str, cookie: &str, n: usize) -> anyhow::Result<Writes> {
    let c = client();
    let (_, page) = get(&c, base, cookie, "/opportunities/new").await;
    let approver = chosen_option(&page, "approver_id", "副总");
    let business_type = chosen_option(&page, "business_type_id", "");
    // The list opens on 潜在客户; a manager whose customers all signed has only 交易客户.
    let mut customer = None;
    for tab in ["/customers", "/customers?kind=transaction"] {
        let (_, customers) = get(&c, base, cookie, tab).await;
        customer = customer.or(first_id(&customers, "/customers/"));
    }
    let customer = customer
        .ok_or_else(|| anyhow::anyhow!("the manager has no customer"))?
        .to_string();
    let (mut took, mut errors) = (Vec::new(), 0);
    for k in 0..n {
        let form = [
            ("name", format!("压测商机{k}")),
            ("customer_id", customer.clone()),
            ("business_type_id", business_type.clone()),
            ("expected_amount", "100000".into()),
            ("approver_id", approver.clone()),
            ("action", "submit".into()),
        ];
        let (status, ms) = post(&c, base, cookie, "/opportunities/new", &form).await;
        took.push(ms);
        if status != 303 {
            errors += 1;
            eprintln!("filing answered {status}");
        }
    }
    Ok(writes(took, errors))
}

pub struct Mixed {
    pub requests: usize,
    pub decisions: usize,
    pub filings: usize,
    pub p50: f64,
    pub p99: f64,
    pub errors: u64,
}

/// `users` people at once for `seconds`: the city's 副总 deciding what comes in, the rest
/// account managers browsing (首页, 商机管理, an opportunity, 任务) and filing now and then.
pub async fn mixed(
    base: &str,
    sessions: &[Session],
    users: usize,
    seconds: u64,
) -> anyhow::Result<Mixed> {
    let cookie = |login: &str| {
        sessions
            .iter()
            .find(|s| s.role.login == login)
            .map(|s| s.cookie.clone())
            .unwrap_or_default()
    };
    let (deputy, manager) = (cookie("sjz_vp1"), cookie(MANAGER));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for k in 0..users {
        let base = base.to_owned();
        let (deputy, manager) = (deputy.clone(), manager.clone());
        workers.push(tokio::spawn(async move {
            let c = client();
            let (mut took, mut errors, mut decided, mut filed) = (Vec::new(), 0u64, 0, 0);
            let mut round = 0;
            while Instant::now() < deadline {
                round += 1;
                if k == 0 {
                    let started = Instant::now();
                    let w = decisions(&base, &deputy, 1).await;
                    took.push(ms(started.elapsed()));
                    match w {
                        Ok(w) if w.n == 1 && w.errors == 0 => decided += 1,
                        Ok(w) if w.n == 0 => tokio::time::sleep(Duration::from_millis(50)).await,
                        _ => errors += 1,
                    }
                    continue;
                }
                for path in ["/", "/opportunities?tab=mine", "/tasks?tab=todo"] {
                    let started = Instant::now();
                    let (status, body) = get(&c, &base, &manager, path).await;
                    took.push(ms(started.elapsed()));
                    if status != 200 {
                        errors += 1;
                    }
                    if path == "/opportunities?tab=mine" {
                        if let Some(id) = first_id(&body, "/opportunities/") {
                            let started = Instant::now();
                            let (status, _) =
                                get(&c, &base, &manager, &format!("/opportunities/{id}")).await;
                            took.push(ms(started.elapsed()));
                            if status != 200 {
                                errors += 1;
                            }
                        }
                    }
                }
                if round % 10 == 0 {
                    let started = Instant::now();
                    match filings(&base, &manager, 1).await {
                        Ok(w) if w.errors == 0 => filed += 1,
                        _ => errors += 1,
                    }
                    took.push(ms(started.elapsed()));
                }
            }
            (took, errors, decided, filed)
        }));
    }
    let (mut took, mut errors, mut decisions, mut filings) = (Vec::new(), 0, 0, 0);
    for w in workers {
        let (t, e, d, f) = w.await?;
        took.extend(t);
        errors += e;
        decisions += d;
        filings += f;
    }
    let requests = took.len();
    let s = stats(took, 0, errors);
    Ok(Mixed {
        requests,
        decisions,
        filings,
        p50: s.p50,
        p99: s.p99,
        errors,
    })
}
