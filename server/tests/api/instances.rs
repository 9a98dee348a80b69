//! Several instances on one PostgreSQL (#19): two server processes behind one address (a
//! round-robin proxy, as any HTTP balancer): a session made on one is valid on the other, a
//! decision on one reaches a browser on the other, and decisions on one step split over both
//! make exactly one winner.

use crate::filing::{customer, file, first_task, user_id};
use crate::helpers::*;
use crate::live::{next_change, subscribe};
use crate::processes::{round_robin, start, Process};
use futures::future::join_all;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn host(process: &Process) -> String {
    process.app.address.trim_start_matches("http://").to_owned()
}

/// A client of `app`'s instance logged in as `login`.
async fn logged_in(app: &TestApp, login: &str) -> TestApp {
    let client = another_client(app);
    client.login_as(login).await;
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_behind_one_address_share_sessions_events_and_decisions() {
    let url = seeded_database(Db::Postgres).await;
    let (a, b) = (start(&url).await, start(&url).await);
    let (front, counts) = round_robin(vec![host(&a), host(&b)]).await;

    // Through the balancer, every request on a new connection: each instance serves some, and
    // the session made by the login (on whichever) is valid on both.
    let browser = TestApp {
        address: front,
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        store: a.app.store.clone(),
        database_url: url.clone(),
    };
    browser.login_as("sjz_am1").await;
    for _ in 0..6 {
        let home = browser.get("/").await;
        assert_eq!(home.status(), 200, "logged in on either instance");
        assert!(home.text().await.unwrap().contains("石家庄客户经理1"));
    }
    assert!(
        counts.iter().all(|n| n.load(Ordering::SeqCst) >= 3),
        "both instances served: {counts:?}"
    );

    // sjz_vp1 decides on A; sjz_am1's live channel on B hears it.
    let am_on_b = logged_in(&b.app, "sjz_am1").await;
    let vp1 = user_id(&am_on_b, "sjz_vp1").await;
    let c = customer(&am_on_b, "两实例客户").await;
    let target = file(&am_on_b, "两实例商机", &c, vp1).await;
    let id = target.rsplit('/').next().unwrap().to_owned();
    let mut stream = subscribe(&am_on_b).await;
    let vp_on_a = logged_in(&a.app, "sjz_vp1").await;
    let task = first_task(&vp_on_a.get("/tasks?tab=todo").await.text().await.unwrap());
    let decided = crate::filing::decide(&vp_on_a, &task, "approve_end", "同意").await;
    assert_eq!(decided.status(), 303);
    let note = next_change(&mut stream, Duration::from_secs(5))
        .await
        .expect("the decision on A reaches the browser on B");
    assert!(note.contains(&format!("\"opportunity_id\":{id}")), "{note}");

    // Fifty decisions on one step, half on each instance: one is recorded.
    let second = file(&am_on_b, "两实例并发商机", &c, vp1).await;
    let second_id = second.rsplit('/').next().unwrap().to_owned();
    let mut deputies = Vec::new();
    for instance in [
        &a.app, &b.app, &a.app, &b.app, &a.app, &b.app, &a.app, &b.app, &a.app, &b.app,
    ] {
        deputies.push(logged_in(instance, "sjz_vp1").await);
    }
    let task = first_task(
        &deputies[0]
            .get("/tasks?tab=todo")
            .await
            .text()
            .await
            .unwrap(),
    );
    let answers = join_all(deputies.iter().flat_map(|deputy| {
        (0..5)
            .map(|i| crate::filing::decide(deputy, &task, ["approve_end", "return"][i % 2], "并发"))
    }))
    .await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| matches!(s, 303 | 422)),
        "{statuses:?}"
    );
    assert_eq!(
        scalar(
            Db::Postgres,
            &url,
            &format!("SELECT COUNT(*) FROM approval_records WHERE opportunity_id = {second_id}")
        )
        .await,
        2,
        "the submission and one decision"
    );
}
