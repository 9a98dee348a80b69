//! Login, sessions, throttling, the cross-site check and data scope, over HTTP.

use crate::helpers::*;
use chrono::{Duration, SubsecRound, Utc};
use server::clock::{Clock, ManualClock};
use server::db::Actor;
use server::policy::scope::{Reach, Scope};
use server::seed::DEMO_PASSWORD;
use std::sync::Arc;

async fn spawn_with_manual_clock(db: Db) -> (TestApp, ManualClock) {
    // Whole seconds: PostgreSQL keeps microseconds, and a boundary test must not trip on that.
    let clock = ManualClock::new(Utc::now().trunc_subsecs(0));
    (
        spawn_app_with_clock(db, Arc::new(clock.clone())).await,
        clock,
    )
}

/// A client that sends one given session cookie and keeps nothing.
fn client_with_cookie(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn session_cookie(response: &reqwest::Response) -> String {
    let set = response
        .headers()
        .get("set-cookie")
        .expect("a cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_owned()
}

on_both_databases! {
    async fn a_correct_login_opens_a_session_with_a_safe_cookie(db) {
        let app = spawn_app(db).await;
        let response = app.login("sjz_am1", DEMO_PASSWORD).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/");
        let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
        assert!(cookie.starts_with("bizopp_session="));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let token = session_cookie(&response).split('=').nth(1).unwrap().to_owned();
        assert!(token.len() >= 32, "token too short: {token}");
        let me = app.whoami().await;
        assert_eq!((me.login.as_str(), me.name.as_str()), ("sjz_am1", "石家庄客户经理1"));
        assert_eq!(me.org_unit_name, "石家庄");
    }

    async fn a_login_goes_on_to_the_page_asked_for_but_never_off_site(db) {
        let app = spawn_app(db).await;
        let response = app.get("/customers").await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/login?next=%2Fcustomers");
        let response = app.post_form("/login", &[
            ("login", "sjz_am1"), ("password", DEMO_PASSWORD), ("next", "/customers"),
        ]).await;
        assert_eq!(location(&response), "/customers");
        let other = spawn_app(db).await;
        let response = other.post_form("/login", &[
            ("login", "sjz_am1"), ("password", DEMO_PASSWORD), ("next", "//evil.example/x"),
        ]).await;
        assert_eq!(location(&response), "/");
    }

    async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(db) {
        let app = spawn_app(db).await;
        let wrong = app.login("sjz_am1", "wrong").await;
        let unknown = app.login("nobody", "wrong").await;
        assert_eq!(location(&wrong), "/login?error=bad&login=sjz_am1&next=");
        assert_eq!(location(&unknown), "/login?error=bad&login=nobody&next=");
        assert!(wrong.headers().get("set-cookie").is_none());
        let page = app.get(&location(&wrong)).await.text().await.unwrap();
        assert!(page.contains("用户名或密码错误"));
        assert!(page.contains(r#"value="sjz_am1""#), "the login typed is kept");
        assert_eq!(app.server_fn("whoami").await.status(), 401);
    }

    async fn five_failures_lock_the_account_for_fifteen_minutes_and_no_other(db) {
        let (app, clock) = spawn_with_manual_clock(db).await;
        for attempt in 1..=5 {
            let response = app.login("sjz_am1", "wrong").await;
            let expected = if attempt < 5 { "bad" } else { "locked" };
            assert!(location(&response).contains(&format!("error={expected}")), "attempt {attempt}");
        }
        let locked = app.login("sjz_am1", DEMO_PASSWORD).await;
        assert!(location(&locked).contains("error=locked"), "the right password is refused too");
        assert!(app.get(&location(&locked)).await.text().await.unwrap().contains("账户已锁定"));
        // Other accounts are untouched.
        let other = another_client(&app);
        other.login_as("sjz_am2").await;
        clock.advance(Duration::minutes(15) + Duration::seconds(1));
        app.login_as("sjz_am1").await;

        let user = app.store.user_by_login("sjz_am1").await.unwrap().unwrap();
        let trail = app.store.audit_trail("user", &user.id.to_string()).await.unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "login_failed").count(), 5);
        assert!(actions.contains(&"lock") && actions.contains(&"login_refused_locked"));
        assert_eq!(actions.last(), Some(&"login"));
    }

    async fn logout_ends_the_session_on_the_server(db) {
        let app = spawn_app(db).await;
        let response = app.login("sjz_am1", DEMO_PASSWORD).await;
        let old = client_with_cookie(&session_cookie(&response));
        let response = app.post_form("/logout", &[]).await;
        assert_eq!((response.status().as_u16(), location(&response)), (303, "/login".into()));
        assert!(response.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
        // The old cookie, replayed, opens nothing.
        let replay = old.get(format!("{}/", app.address)).send().await.unwrap();
        assert_eq!(replay.status(), 303);
        assert!(location(&replay).starts_with("/login"));
    }

    async fn a_session_ends_after_thirty_idle_minutes(db) {
        let (app, clock) = spawn_with_manual_clock(db).await;
        app.login_as("sjz_am1").await;
        clock.advance(Duration::minutes(20));
        assert_eq!(app.get("/").await.status(), 200);
        clock.advance(Duration::minutes(20));
        assert_eq!(app.get("/").await.status(), 200, "activity keeps it alive");
        clock.advance(Duration::minutes(31));
        let response = app.get("/").await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).starts_with("/login"));
    }

    async fn when_a_session_was_last_seen_is_written_within_seconds(db) {
        let (app, clock) = spawn_with_manual_clock(db).await;
        app.login_as("sjz_am1").await;
        let user = app.store.user_by_login("sjz_am1").await.unwrap().unwrap();
        clock.advance(Duration::minutes(5));
        let seen = clock.now();
        assert_eq!(app.get("/").await.status(), 200);
        // Sightings are written in batches every 10 s (one write for everyone's).
        let mut stored = None;
        for _ in 0..30 {
            let sessions = app.store.live_sessions(user.id).await.unwrap();
            stored = sessions.first().map(|s| s.last_seen_at);
            if stored == Some(seen) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        assert_eq!(stored, Some(seen));
    }

    async fn a_session_ends_twelve_hours_after_login_however_busy(db) {
        let (app, clock) = spawn_with_manual_clock(db).await;
        app.login_as("sjz_am1").await;
        for _ in 0..(12 * 60 / 20) {
            clock.advance(Duration::minutes(20));
            assert_eq!(app.get("/healthz").await.status(), 200);
            assert_eq!(app.server_fn("whoami").await.status(), 200);
        }
        clock.advance(Duration::minutes(1));
        assert_eq!(app.server_fn("whoami").await.status(), 401);
    }

    async fn disabling_a_user_ends_their_sessions(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am2").await;
        let user = app.store.user_by_login("sjz_am2").await.unwrap().unwrap();
        let admin = app.store.user_by_login("admin").await.unwrap().unwrap();
        app.store.set_user_disabled(&Actor::user(admin.id, Utc::now()), user.id, true).await.unwrap();
        assert_eq!(app.server_fn("whoami").await.status(), 401);
        let again = app.login("sjz_am2", DEMO_PASSWORD).await;
        assert!(location(&again).contains("error=disabled"));
    }

    async fn the_logged_in_user_is_read_from_the_directory_and_renewed_at_once(db) {
        let app = spawn_app(db).await;
        // Every kind of user: the kept directory says what the store says.
        for login in ["sjz_am1", "sjz_vp1", "ind_gov", "prov_gm", "admin"] {
            let client = another_client(&app);
            client.login_as(login).await;
            let user = app.store.user_by_login(login).await.unwrap().unwrap();
            let from_store = server::auth::login::current_user(&*app.store, user, Utc::now()).await.unwrap();
            let mut seen = client.whoami().await;
            seen.roles.sort_by_key(|r| r.code());
            let mut expected = from_store.clone();
            expected.roles.sort_by_key(|r| r.code());
            expected.login_time = seen.login_time.clone();
            assert_eq!(seen, expected, "{login}");
        }
        // A change to the directory is seen by the very next request.
        app.login_as("sjz_am1").await;
        let unit = app.whoami().await.org_unit_id;
        let admin = app.store.user_by_login("admin").await.unwrap().unwrap();
        app.store.rename_org_unit(&Actor::user(admin.id, Utc::now()), unit, "石家庄分公司").await.unwrap();
        assert_eq!(app.whoami().await.org_unit_name, "石家庄分公司");
    }

    async fn a_cross_site_post_is_refused(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        for (header, value) in [("Sec-Fetch-Site", "cross-site"), ("Origin", "http://evil.example")] {
            let response = app.client
                .post(format!("{}/logout", app.address))
                .header(header, value)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{header}: {value}");
        }
        // The session survived the forged logouts.
        assert_eq!(app.whoami().await.login, "sjz_am1");
        let forged_login = app.client
            .post(format!("{}/login", app.address))
            .header("Origin", "http://evil.example")
            .form(&[("login", "sjz_am2"), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(forged_login.status(), 403);
    }

    async fn a_server_function_without_a_session_is_refused(db) {
        let app = spawn_app(db).await;
        for endpoint in ["whoami", "org_units"] {
            assert_eq!(app.server_fn(endpoint).await.status(), 401, "{endpoint}");
        }
        app.login_as("bd_am1").await;
        assert_eq!(app.server_fn("org_units").await.status(), 200);
    }

    async fn every_demo_role_gets_its_scope(db) {
        let app = spawn_app(db).await;
        let units = app.store.org_units().await.unwrap();
        let city = |name: &str| units.iter().find(|u| u.name == name).unwrap().id;
        let expected = [
            ("admin", Reach::All),
            ("oppadmin", Reach::Province),
            ("prov_gm", Reach::Province),
            ("prov_vp", Reach::Province),
            ("support", Reach::Province),
            ("prov_am1", Reach::Own),
            ("sjz_am1", Reach::Own),
            ("sjz_am2", Reach::Own),
            ("sjz_vp1", Reach::City(city("石家庄"))),
            ("sjz_gm", Reach::City(city("石家庄"))),
            ("bd_am1", Reach::Own),
            ("bd_vp1", Reach::City(city("保定"))),
            ("bd_gm", Reach::City(city("保定"))),
        ];
        for (login, reach) in expected {
            let client = another_client(&app);
            client.login_as(login).await;
            let me = client.whoami().await;
            assert_eq!(Scope::of(&me), Scope { viewer_id: me.id, reach }, "{login}");
        }
        let director = another_client(&app);
        director.login_as("ind_gov").await;
        let me = director.whoami().await;
        assert!(matches!(Scope::of(&me).reach, Reach::Industries(ref ids) if ids.len() == 1));
    }

    async fn pages_are_never_cached_so_back_after_logout_shows_nothing(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let response = app.get("/").await;
        assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    }
}
