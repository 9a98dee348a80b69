//! Crashes (#19): the server binary under a write load (filing, deciding, editing), killed with
//! SIGKILL at random moments and started again, round after round; then the database is sound,
//! everything the clients saw acknowledged is there, no step was decided twice, and tasks,
//! statuses and rankings agree with the approval records.
//!
//! 30 rounds in the test command; `BIZOPP_CRASH_ROUNDS=1000` for a soak. The binary is the one
//! cargo built for this test (a debug build in the test command).

use crate::filing::{business_type, customer, user_id};
use crate::helpers::*;
use crate::processes::{client_for, start};
use app::model::opportunity::{Flow, RecordKind};
use app::model::ranking::{Dimension, Metric, Month};
use server::db::rankings::{RankingQuery, RankingRow};
use server::workflow::TaskKind;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A form post that may meet a dead server: `Some(status)` when answered.
async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Option<u16> {
    app.client
        .post(format!("{}{}", app.address, path))
        .header("Sec-Fetch-Site", "same-origin")
        .form(form)
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

async fn page(app: &TestApp, path: &str) -> Option<String> {
    let response = app
        .client
        .get(format!("{}{}", app.address, path))
        .send()
        .await
        .ok()?;
    response.text().await.ok()
}

/// What the clients saw acknowledged, over every round.
#[derive(Default)]
struct Acknowledged {
    filings: Vec<String>,
    decisions: Vec<String>,
    /// The phone numbers the edits set, in the order they were sent (each one higher).
    phone: Option<u64>,
}

/// 石家庄客户经理1 files opportunities one after another.
async fn filing(
    am: &TestApp,
    round: usize,
    c: &str,
    vp1: &str,
    bt: &str,
    seen: &Mutex<Acknowledged>,
) {
    for n in 0.. {
        let name = format!("崩溃商机{round}-{n}");
        let answer = post(
            am,
            "/opportunities/new",
            &[
                ("name", &name),
                ("customer_id", c),
                ("business_type_id", bt),
                ("expected_amount", "1000"),
                ("approver_id", vp1),
                ("action", "submit"),
            ],
        )
        .await;
        match answer {
            Some(303) => seen.lock().unwrap().filings.push(name),
            Some(other) => panic!("filing answered {other}"),
            None => return,
        }
    }
}

/// 石家庄副总1 approves what waits, one after another.
async fn deciding(vp: &TestApp, c: &str, bt: &str, seen: &Mutex<Acknowledged>) {
    loop {
        let Some(todo) = page(vp, "/tasks?tab=todo").await else {
            return;
        };
        let Some(start) = todo.find("href=\"/tasks/") else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let task = todo[start + 6..].split('"').next().unwrap().to_owned();
        let Some(form) = page(vp, &task).await else {
            return;
        };
        let name = form
            .split("id=\"name\"")
            .nth(1)
            .and_then(|s| s.split("value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .unwrap_or_default()
            .to_owned();
        let answer = post(
            vp,
            &task,
            &[
                ("name", &name),
                ("customer_id", c),
                ("business_type_id", bt),
                ("expected_amount", "1000"),
                ("decision", "approve_end"),
                ("opinion", "同意"),
            ],
        )
        .await;
        match answer {
            Some(303) => seen.lock().unwrap().decisions.push(task),
            // Decided already: a request the last server took before it died.
            Some(422) => {}
            Some(other) => panic!("deciding answered {other}"),
            None => return,
        }
    }
}

/// 石家庄客户经理1 edits one customer's phone, each edit a higher number.
async fn editing(am: &TestApp, target: &str, next: &Mutex<u64>, seen: &Mutex<Acknowledged>) {
    let id = target.rsplit('/').next().unwrap().to_owned();
    loop {
        let Some(edit) = page(am, &format!("{target}/edit")).await else {
            return;
        };
        let Some(version) = edit
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            panic!("customer {id}'s edit page has no version");
        };
        let phone = {
            let mut next = next.lock().unwrap();
            *next += 1;
            *next
        };
        let answer =
            crate::customer_pages::try_post_edit(am, target, &phone.to_string(), version).await;
        match answer {
            Some(303) => seen.lock().unwrap().phone = Some(phone),
            Some(422) => {}
            Some(other) => panic!("editing answered {other}"),
            None => return,
        }
    }
}

fn rounds() -> usize {
    std::env::var("BIZOPP_CRASH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30)
}

on_both_databases! {
    async fn killed_at_random_moments_under_writes_it_keeps_what_it_acknowledged(db) {
        let url = seeded_database(db).await;
        let mut first = start(&url).await;
        let setup = &first.app;
        setup.login_as("sjz_am1").await;
        let c = customer(setup, "崩溃测试客户").await;
        let target = location(&crate::customer_pages::form(setup, &[("name", "石家庄编辑测试")]).await);
        let vp1 = user_id(setup, "sjz_vp1").await.to_string();
        let bt = business_type(setup).await;
        first.child.start_kill().expect("stopped");
        first.child.wait().await.expect("stopped");

        let seen = Arc::new(Mutex::new(Acknowledged::default()));
        let next_phone = Arc::new(Mutex::new(13_800_000_000_u64));
        let mut random: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..rounds() {
            let mut process = start(&url).await;
            let am = process.app;
            am.login_as("sjz_am1").await;
            let vp = another_client(&am);
            vp.login_as("sjz_vp1").await;
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let after = Duration::from_millis(50 + random % 600);
            let load = async {
                tokio::join!(
                    filing(&am, round, &c, &vp1, &bt, &seen),
                    deciding(&vp, &c, &bt, &seen),
                    editing(&am, &target, &next_phone, &seen),
                )
            };
            // The load ends when its requests meet the dead server.
            let kill = async {
                tokio::time::sleep(after).await;
                process.child.start_kill().expect("SIGKILL sent");
                process.child.wait().await.expect("the server ended");
            };
            tokio::join!(kill, load);
        }

        // The database after the last kill, before any start: sound, and consistent.
        let seen = Arc::try_unwrap(seen).ok().unwrap().into_inner().unwrap();
        println!(
            "{} rounds: {} filings, {} decisions acknowledged, last edit {:?}",
            rounds(), seen.filings.len(), seen.decisions.len(), seen.phone
        );
        if db == Db::Sqlite {
            assert_eq!(text(db, &url, "PRAGMA integrity_check").await, "ok");
        }
        assert!(seen.filings.len() >= rounds(), "the load filed: {}", seen.filings.len());
        for name in &seen.filings {
            assert_eq!(
                scalar(db, &url, &format!("SELECT COUNT(*) FROM opportunities WHERE name = '{name}'")).await,
                1,
                "acknowledged filing {name}"
            );
        }
        for task in &seen.decisions {
            let id = task.rsplit('/').next().unwrap();
            assert_eq!(
                scalar(db, &url, &format!("SELECT COUNT(*) FROM tasks WHERE id = {id} AND open = FALSE")).await,
                1,
                "acknowledged decision {task}"
            );
        }
        assert_eq!(
            scalar(db, &url, "SELECT COUNT(*) FROM (SELECT task_id FROM approval_records \
                WHERE kind IN ('approve_end', 'approve_forward', 'return') GROUP BY task_id HAVING COUNT(*) > 1) twice").await,
            0,
            "no step decided twice"
        );
        let id = target.rsplit('/').next().unwrap();
        let phone: u64 = text(db, &url, &format!("SELECT COALESCE(phone, '0') FROM customers WHERE id = {id}"))
            .await.parse().unwrap();
        assert!(phone >= seen.phone.unwrap_or(0), "the last acknowledged edit or a later one: {phone}");

        // Statuses and tasks agree; the rankings agree with a recount of the approval records.
        let store = open_store(&url).await;
        let am1 = user_id(&client_for(&url).await, "sjz_am1").await;
        let all = opportunity_ids(&store, am1).await;
        assert_eq!(all.len() as i64, scalar(db, &url, "SELECT COUNT(*) FROM opportunities").await);
        let mut filed = 0_i64;
        assert!(!seen.decisions.is_empty() && seen.phone.is_some(), "the load decided and edited");
        for id in &all {
            let o = store.opportunity_for_workflow(*id).await.unwrap().unwrap();
            match o.open_task {
                Some(t) if t.kind == TaskKind::Approve => assert!(o.status.is_pending(), "{o:?}"),
                Some(_) => {}
                None => assert!(!o.status.is_pending(), "{o:?}"),
            }
            let records = store.approval_records(*id).await.unwrap();
            if records.iter().any(|r| r.flow == Flow::Filing && r.kind == RecordKind::ApproveEnd) {
                filed += 1;
            }
        }
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
        let query = RankingQuery::for_month(Metric::Filed, Dimension::Person, Month::of(today), None, 10);
        let ranked = store.ranking(&query).await.unwrap();
        let expected = if filed > 0 { vec![RankingRow { k: Some(am1), v: filed }] } else { vec![] };
        assert_eq!(ranked, expected);
    }
}

/// Every opportunity, as the administrator's scope lists them, page by page.
async fn opportunity_ids(store: &Arc<dyn server::db::Store>, viewer_id: i64) -> Vec<i64> {
    use server::db::opportunities::OpportunityQuery;
    use server::policy::scope::{Reach, Scope};
    let scope = Scope {
        viewer_id,
        reach: Reach::All,
    };
    let (mut ids, mut after_id) = (Vec::new(), None);
    loop {
        let query = OpportunityQuery {
            after_id,
            limit: 200,
            ..Default::default()
        };
        let page: Vec<i64> = store
            .opportunities(&scope, &query)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect();
        after_id = page.last().copied();
        ids.extend(&page);
        if page.len() < 200 {
            return ids;
        }
    }
}
