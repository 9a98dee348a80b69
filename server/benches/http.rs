//! The application measured over HTTP, as users meet it: `scripts/bench-http.sh` (README).
//! Starts the server binary on a copy of a generated province (`province`), pinned to one
//! core while this load generator keeps to the other, logs in one real session per role and
//! measures, for each role's pages, p50 / p95 / p99 of sequential requests, then requests/s at
//! 16 and 64 connections, an approval decision and a filing, a mixed load of simulated users,
//! and the floors beside them (the health check through the same stack; the store's own
//! queries in-process on the same database). Prints Markdown tables for docs/BENCHMARKS.md.
//!
//! Run by `cargo bench` it measures; run by `cargo test --bench http` (the test command) it
//! makes a tiny province and passes once over everything, failing on any error, to prove the
//! bench works.

use server::policy::scope::{Reach, Scope};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod http_bench;

use http_bench::*;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let measuring = std::env::args().any(|a| a == "--bench");
    let plan = if measuring {
        Plan::full()
    } else {
        Plan::quick()
    };
    let database = prepare_database(measuring).await?;
    let result = match std::env::var("BENCH_SOAK_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(people) if measuring => soak_run(&database, &plan, people).await,
        _ => {
            let server = Server::start(&database, plan.port)?;
            run(&plan, &server, &database).await
        }
    };
    // The copy (or the tiny province) is not kept.
    if let Some(path) = database.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    result
}

async fn run(plan: &Plan, server: &Server, database: &str) -> anyhow::Result<()> {
    let base = &server.base;
    println!(
        "\n{} — server pinned: {}, load generator pinned: {}",
        if plan.full { "measuring" } else { "quick pass" },
        server.pinned,
        pin_self()
    );
    let mut errors = 0u64;
    let roles = Role::all();
    let mut sessions = Vec::new();
    for role in &roles {
        let (cookie, took) = login(base, role.login).await?;
        sessions.push(Session {
            role: role.clone(),
            cookie,
            login_ms: took,
        });
    }
    println!(
        "\n### Pages, sequential ({} requests each after {} to warm up)\n",
        plan.runs, WARMUP
    );
    println!("| role | page | p50 ms | p95 ms | p99 ms | bytes |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut pages_of_roles = Vec::new();
    for s in &sessions {
        println!(
            "| {} | login (argon2 included) | {:.1} | | | |",
            s.role.label, s.login_ms
        );
        let pages = pages_for(base, s).await?;
        for (label, path) in &pages {
            let stats = sequential(base, &s.cookie, path, plan.runs).await;
            errors += stats.errors;
            println!(
                "| {} | {label} `{}` | {:.1} | {:.1} | {:.1} | {} |",
                s.role.label,
                short(path),
                stats.p50,
                stats.p95,
                stats.p99,
                stats.bytes
            );
        }
        pages_of_roles.push((s.cookie.clone(), pages));
    }
    let floor = sequential(base, "", "/healthz", plan.runs).await;
    errors += floor.errors;
    println!(
        "| — | floor: `/healthz` (the stack and a database ping) | {:.1} | {:.1} | {:.1} | |",
        floor.p50, floor.p95, floor.p99
    );
    store_floors(database, plan.runs).await?;

    println!(
        "\n### Throughput ({} s each, every role's session in turn)\n",
        plan.seconds
    );
    println!("| pages | connections | requests/s | p50 ms | p99 ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, labels) in GROUPS {
        let requests: Vec<(String, String)> = pages_of_roles
            .iter()
            .flat_map(|(cookie, pages)| {
                pages
                    .iter()
                    .filter(|(l, _)| labels.contains(&l.as_str()))
                    .map(|(_, p)| (cookie.clone(), p.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        if requests.is_empty() {
            continue;
        }
        for connections in [16, 64] {
            let load = throughput(base, &requests, connections, plan.seconds).await;
            errors += load.errors;
            println!(
                "| {label} | {connections} | {:.0} | {:.1} | {:.1} | {} |",
                load.per_second, load.p50, load.p99, load.errors
            );
        }
    }
    let health = vec![(String::new(), "/healthz".to_owned())];
    for connections in [16, 64] {
        let load = throughput(base, &health, connections, plan.seconds).await;
        errors += load.errors;
        println!(
            "| floor: `/healthz` | {connections} | {:.0} | {:.1} | {:.1} | {} |",
            load.per_second, load.p50, load.p99, load.errors
        );
    }

    println!("\n### Writes\n");
    println!("| what | n | p50 ms | p95 ms | p99 ms | per second | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let deputy = sessions
        .iter()
        .find(|s| s.role.login == "sjz_vp1")
        .expect("the deputy's session");
    let decided = decisions(base, &deputy.cookie, plan.decisions).await?;
    errors += decided.errors;
    print_writes("审批 decision (通过，审批结束), one approver", &decided);
    let manager = sessions
        .iter()
        .find(|s| s.role.login == MANAGER)
        .expect("the manager's session");
    let filed = filings(base, &manager.cookie, plan.filings).await?;
    errors += filed.errors;
    print_writes("报备 (提交审批), one account manager", &filed);

    println!(
        "\n### Mixed: {} simulated users for {} s\n",
        plan.users,
        plan.seconds * 2
    );
    let mixed = mixed(base, &sessions, plan.users, plan.seconds * 2).await?;
    errors += mixed.errors;
    println!(
        "{} requests ({:.0}/s), {} decisions, {} filings, p50 {:.1} ms, p99 {:.1} ms, {} errors",
        mixed.requests,
        mixed.requests as f64 / (plan.seconds * 2) as f64,
        mixed.decisions,
        mixed.filings,
        mixed.p50,
        mixed.p99,
        mixed.errors
    );
    // The soak, briefly: a few people on the tiny province (`scripts/soak.sh` runs it long).
    if !plan.full {
        let people = people(database, 20).await?;
        let report = soak(
            std::slice::from_ref(base),
            &[server.child.id()],
            &people,
            3,
            0,
        )
        .await?;
        print_soak(&report, 1, 3, 0);
        errors += report.errors;
        anyhow::ensure!(
            report.decisions + report.filings > 0,
            "the soak decided and filed"
        );
    }
    println!(
        "\nserver resident memory after the run: {} MB",
        server.rss_mb()
    );
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    Ok(())
}

/// The soak alone (`scripts/soak.sh`): `people` sessions for `BENCH_SOAK_SECONDS` (600) on
/// `BENCH_INSTANCES` (1) servers sharing the database, each pinned as one server would be; the
/// people arrive over `BENCH_SOAK_RAMP` seconds (0: all at once).
async fn soak_run(database: &str, plan: &Plan, people: usize) -> anyhow::Result<()> {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (instances, seconds) = (
        number("BENCH_INSTANCES", 1),
        number("BENCH_SOAK_SECONDS", 600),
    );
    let mut servers = Vec::new();
    for i in 0..instances {
        servers.push(Server::start(database, plan.port + i as u16)?);
    }
    println!(
        "\nsoak — {instances} server(s) pinned: {}, load generator pinned: {}",
        servers[0].pinned,
        pin_self()
    );
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    let people = http_bench::people(database, people).await?;
    let ramp = number("BENCH_SOAK_RAMP", 0);
    let report = soak(&bases, &pids, &people, seconds, ramp).await?;
    print_soak(&report, instances as usize, seconds, ramp);
    anyhow::ensure!(report.errors == 0, "{} requests failed", report.errors);
    Ok(())
}

/// The store's queries for the same pages, in-process on the same database: what SQL alone
/// costs, the floor under each page.
async fn store_floors(database: &str, runs: usize) -> anyhow::Result<()> {
    use server::db::opportunities::{OpportunityQuery, TaskFilter, TaskQuery};
    let store = server::db::connect(database).await?;
    let vp = store
        .user_by_login("sjz_vp1")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no sjz_vp1"))?;
    let city = store
        .org_units()
        .await?
        .into_iter()
        .find(|u| u.name == "石家庄")
        .ok_or_else(|| anyhow::anyhow!("no 石家庄"))?
        .id;
    let scope = Scope {
        viewer_id: vp.id,
        reach: Reach::City(city),
    };
    let list = OpportunityQuery {
        limit: 21,
        ..Default::default()
    };
    let took = time_runs(runs, || store.opportunities(&scope, &list)).await;
    println!(
        "| 地市副总 | floor: the store's 商机管理 全部 first page | {:.1} | {:.1} | {:.1} | |",
        took.p50, took.p95, took.p99
    );
    let todo = TaskQuery {
        filter: TaskFilter::Todo,
        limit: 21,
        ..Default::default()
    };
    let took = time_runs(runs, || store.tasks(vp.id, &todo)).await;
    println!(
        "| 地市副总 | floor: the store's 任务 待办 | {:.1} | {:.1} | {:.1} | |",
        took.p50, took.p95, took.p99
    );
    Ok(())
}

/// A copy of the province to measure on (the bench decides and files, so the generated one
/// stays as it was): `BENCH_DATABASE` names the generated one (default
/// `target/bench/province.db`); in the quick pass a tiny province is generated.
async fn prepare_database(measuring: bool) -> anyhow::Result<String> {
    let root = workspace_root();
    std::fs::create_dir_all(root.join("target/bench"))?;
    if !measuring {
        let path = root.join(format!("target/bench/quick-{}.db", std::process::id()));
        let url = format!("sqlite://{}", path.display());
        let report =
            server::province::generate(&url, server::province::Size::TINY, 7, chrono::Utc::now())
                .await?;
        println!("tiny province generated:\n{report}");
        return Ok(url);
    }
    let source = std::env::var("BENCH_DATABASE").unwrap_or_else(|_| {
        format!(
            "sqlite://{}",
            root.join("target/bench/province.db").display()
        )
    });
    if let Some(db) = source.strip_prefix("postgres://").map(|_| source.as_str()) {
        let (server_url, name) = db.rsplit_once('/').ok_or_else(|| anyhow::anyhow!("{db}"))?;
        let copy = format!("{name}_run");
        let status = Command::new("psql")
            .args([
                &format!("{server_url}/postgres"),
                "-qc",
                &format!("DROP DATABASE IF EXISTS {copy} WITH (FORCE)"),
                "-c",
                &format!("CREATE DATABASE {copy} TEMPLATE {name}"),
                // The copy on disk before the server starts (see the SQLite branch).
                "-c",
                "CHECKPOINT",
            ])
            .status()?;
        anyhow::ensure!(status.success(), "copying {name} failed");
        Ok(format!("{server_url}/{copy}"))
    } else {
        let path = source.trim_start_matches("sqlite://");
        let copy = format!("{path}.run");
        std::fs::copy(path, &copy)?;
        // On disk before the server starts: otherwise the kernel writes the copy's gigabytes
        // back during the first minutes, while every commit waits for its own `fsync`.
        std::fs::File::open(&copy)?.sync_all()?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{copy}{suffix}"));
        }
        Ok(format!("sqlite://{copy}"))
    }
}

/// The server binary beside this one (`target/release/server` when measuring,
/// `target/debug/server` in the test command's pass).
struct Server {
    child: Child,
    base: String,
    pinned: String,
}

impl Server {
    /// A server on `database`, pinned to core 1 (with two cores, the other is the load
    /// generator's): several instances share it, and get what one would.
    fn start(database: &str, port: u16) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let binary = exe
            .parent()
            .and_then(|deps| deps.parent())
            .map(|dir| dir.join("server"))
            .ok_or_else(|| anyhow::anyhow!("no server binary beside {}", exe.display()))?;
        anyhow::ensure!(binary.exists(), "build {} first", binary.display());
        let taskset = Command::new("taskset").arg("-V").output().is_ok() && cores() > 1;
        let mut command = if taskset {
            let mut c = Command::new("taskset");
            c.args(["-c", "1"]).arg(&binary);
            c
        } else {
            Command::new(&binary)
        };
        let root = workspace_root();
        let child = command
            .env("DATABASE_URL", database)
            .env("LEPTOS_OUTPUT_NAME", "bizopp")
            .env("LEPTOS_SITE_ROOT", root.join("target/site"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            pinned: if taskset {
                "core 1".into()
            } else {
                "no".into()
            },
        };
        let started = Instant::now();
        loop {
            let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            if up {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(server)
    }

    fn rss_mb(&self) -> u64 {
        // The server itself: taskset execs it in place, so the pid is the server's.
        rss_mb(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
