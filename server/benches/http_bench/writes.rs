//! Timed writes: approval decisions and filings posted as a browser would, and the mixed mode
//! of simulated people deciding, browsing and filing at once.

use super::*;

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
