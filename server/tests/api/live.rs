//! The live channel (`GET /events`): events reach the users they concern and nobody else, and
//! on PostgreSQL a change made through one instance reaches a browser connected to another.

use crate::customer_pages::form;
use crate::helpers::*;
use server::db::DictKind;
use std::time::Duration;

/// Opens the event stream of the client's user.
pub(crate) async fn subscribe(app: &TestApp) -> reqwest::Response {
    let response = app
        .client
        .get(format!("{}/events", app.address))
        .send()
        .await
        .expect("stream opened");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    response
}

/// The data of the next `change` event within `wait`, if any (keep-alive comments skipped).
pub(crate) async fn next_change(stream: &mut reqwest::Response, wait: Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .ok()?
            .ok()??;
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(event) = buffer.split("\n\n").find(|e| e.contains("event: change")) {
            return event
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .map(str::to_owned);
        }
    }
}

/// sjz_am1 (logged in on `app`) files an opportunity to sjz_vp1.
async fn file_to_deputy(app: &TestApp, name: &str) {
    let customer = location(&form(app, &[("name", &format!("{name}的客户"))]).await);
    let customer = customer.rsplit('/').next().unwrap().to_owned();
    let business_type = app.store.dictionary(DictKind::BusinessType).await.unwrap()[0]
        .id
        .to_string();
    let vp1 = app
        .store
        .user_by_login("sjz_vp1")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let response = app
        .post_form(
            "/opportunities/new",
            &[
                ("name", name),
                ("customer_id", &customer),
                ("business_type_id", &business_type),
                ("approver_id", &vp1),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
}

on_both_databases! {
    async fn a_filing_reaches_its_approver_live_and_nobody_outside_it(db) {
        let app = spawn_app(db).await;
        let anonymous = another_client(&app);
        let refused = anonymous.client.get(format!("{}/events", app.address)).send().await.unwrap();
        assert_eq!(refused.status(), 303, "no session: sent to log in, no stream");

        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let outsider = another_client(&app);
        outsider.login_as("bd_vp1").await;
        let mut theirs = subscribe(&deputy).await;
        let mut not_theirs = subscribe(&outsider).await;

        app.login_as("sjz_am1").await;
        file_to_deputy(&app, "实时事件商机").await;
        let data = next_change(&mut theirs, Duration::from_secs(5)).await.expect("an event for the approver");
        assert!(data.contains("\"kind\":\"task\""), "{data}");
        assert!(next_change(&mut not_theirs, Duration::from_millis(800)).await.is_none(), "another city hears nothing");
    }

    async fn a_disabled_users_open_pages_hear_that_their_session_ended(db) {
        let app = spawn_app(db).await;
        let leaver = another_client(&app);
        leaver.login_as("sjz_am2").await;
        let bystander = another_client(&app);
        bystander.login_as("sjz_am1").await;
        let mut theirs = subscribe(&leaver).await;
        let mut not_theirs = subscribe(&bystander).await;
        app.login_as("admin").await;
        let id = app.store.user_by_login("sjz_am2").await.unwrap().unwrap().id;
        assert_eq!(app.post_form(&format!("/admin/users/{id}/disable"), &[]).await.status(), 303);
        let data = next_change(&mut theirs, Duration::from_secs(5)).await.expect("told at once");
        assert!(data.contains("\"kind\":\"session_ended\""), "{data}");
        assert!(next_change(&mut not_theirs, Duration::from_millis(800)).await.is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgresql_an_event_crosses_from_one_instance_to_another() {
    let first = spawn_app(Db::Postgres).await;
    let second = spawn_instance(&first).await;
    let deputy = another_client(&second);
    deputy.login_as("sjz_vp1").await;
    let mut stream = subscribe(&deputy).await;
    first.login_as("sjz_am1").await;
    file_to_deputy(&first, "跨实例商机").await;
    let data = next_change(&mut stream, Duration::from_secs(5))
        .await
        .expect("delivered through NOTIFY");
    assert!(data.contains("\"kind\":\"task\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgresql_a_lost_listen_connection_is_made_again_and_browsers_refetch() {
    let first = spawn_app(Db::Postgres).await;
    let second = spawn_instance(&first).await;
    let deputy = another_client(&second);
    deputy.login_as("sjz_vp1").await;
    let mut stream = subscribe(&deputy).await;
    // Every instance's LISTEN connection cut, as a database restart or a network cut would.
    execute(
        Db::Postgres,
        &first.database_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .await;
    let data = next_change(&mut stream, Duration::from_secs(10))
        .await
        .expect("told to refetch once listening again");
    assert!(data.contains("\"kind\":\"lagged\""), "{data}");
    // And what one instance publishes reaches the other again.
    first.login_as("sjz_am1").await;
    file_to_deputy(&first, "重连后的商机").await;
    let data = next_change(&mut stream, Duration::from_secs(5))
        .await
        .expect("delivered through NOTIFY again");
    assert!(data.contains("\"kind\":\"task\""), "{data}");
}
