//! The review's findings at the HTTP edge, sent again (SECURITY.md): lockout under parallel
//! failures, open redirects, a stale cookie at login, security headers, the cross-site check's
//! scheme, garbled server-function arguments, a state change on GET.

use crate::helpers::*;
use server::seed::DEMO_PASSWORD;

on_both_databases! {
    async fn parallel_wrong_passwords_all_count_and_lock_the_account(db) {
        let app = spawn_app(db).await;
        let attempts = (0..10).map(|_| {
            let client = another_client(&app);
            tokio::spawn(async move { client.login("sjz_am1", "wrong").await.status() })
        });
        for attempt in futures::future::join_all(attempts).await {
            assert_eq!(attempt.unwrap(), 303);
        }
        let right = app.login("sjz_am1", DEMO_PASSWORD).await;
        assert!(location(&right).contains("error=locked"), "{}", location(&right));
        assert!(right.headers().get("set-cookie").is_none());
    }

    async fn only_a_path_on_this_site_is_a_redirect_target(db) {
        let app = spawn_app(db).await;
        for next in ["/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example", "https://evil.example"] {
            let response = another_client(&app).post_form("/login", &[
                ("login", "sjz_am1"), ("password", DEMO_PASSWORD), ("next", next),
            ]).await;
            assert_eq!(location(&response), "/", "{next:?}");
            let response = app.post_form("/lang", &[("lang", "en"), ("back", next)]).await;
            assert_eq!(location(&response), "/", "{next:?}");
        }
        // The login page does not carry such a target into its form.
        let page = app.get("/login?next=%2F%09%2Fevil.example").await.text().await.unwrap();
        assert!(page.contains(r#"name="next" value="/""#), "{page}");
    }

    async fn logging_in_over_a_stale_session_cookie_keeps_the_new_session(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        // The session ends on the server (expiry, another tab's 退出): the browser still holds
        // its cookie.
        let me = app.whoami().await;
        sqlx_end_sessions(db, &app.database_url, me.id).await;
        let response = app.login("sjz_am1", DEMO_PASSWORD).await;
        let cookies: Vec<&str> = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        assert!(!cookies[0].contains("Max-Age=0"));
        assert_eq!(app.whoami().await.login, "sjz_am1", "logged in after all");
    }

    async fn every_response_carries_the_security_headers_and_pages_a_script_nonce(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        for path in ["/", "/customers", "/login", "/healthz", "/no-such-page"] {
            let response = app.get(path).await;
            let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
            assert_eq!(header("referrer-policy"), "same-origin", "{path}");
            let csp = header("content-security-policy");
            assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        }
        let response = app.get("/customers").await;
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let nonce = csp.split("'nonce-").nth(1).expect("a nonce").split('\'').next().unwrap().to_owned();
        let html = response.text().await.unwrap();
        let scripts = html.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "every script carries the nonce");
        let again = app.get("/customers").await;
        assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce), "a new nonce per page");
    }

    async fn pages_requested_at_once_each_carry_their_own_nonce_in_header_and_scripts(db) {
        // With the page split tried (docs/BENCHMARKS.md), a page under load once answered
        // without its policy header while its scripts carried the nonce: the browser blocked them.
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let paths = ["/", "/customers/new", "/opportunities", "/tasks", "/customers", "/rankings"];
        let pages = (0..48).map(|i| {
            let url = format!("{}{}", app.address, paths[i % paths.len()]);
            let client = app.client.clone();
            async move { client.get(url).send().await.unwrap() }
        });
        let mut seen = std::collections::HashSet::new();
        for response in futures::future::join_all(pages).await {
            let url = response.url().to_string();
            let csp = response.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned());
            let csp = csp.unwrap_or_else(|| panic!("{url}: no policy"));
            let nonce = csp.split("'nonce-").nth(1).unwrap_or_else(|| panic!("{url}: no nonce in {csp}"));
            let nonce = nonce.split('\'').next().unwrap().to_owned();
            let html = response.text().await.unwrap();
            let scripts = html.matches("<script").count();
            assert!(scripts > 0, "{url}");
            assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{url}: every script carries the header's nonce");
            assert!(seen.insert(nonce), "{url}: a nonce of its own");
        }
        // A page shown again after a refused post, too.
        let refused = app.post_form("/customers/new", &[("name", "")]).await;
        let csp = refused.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let nonce = csp.split("'nonce-").nth(1).expect("a nonce").split('\'').next().unwrap().to_owned();
        let html = refused.text().await.unwrap();
        assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), html.matches("<script").count());
    }

    async fn an_origin_on_another_scheme_is_another_site(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let host = app.address.trim_start_matches("http://").to_owned();
        let post = |origin: String| app.client.post(format!("{}/customers/new", app.address))
            .header("Origin", origin).form(&[("name", "跨站客户")]).send();
        assert_eq!(post(format!("https://{host}")).await.unwrap().status(), 403);
        assert_ne!(post(format!("http://{host}")).await.unwrap().status(), 403);
    }

    async fn a_refusal_without_a_page_is_answered_in_the_users_language(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let created = crate::customer_pages::form(&app, &[("name", "语言测试客户")]).await;
        let target = location(&created);
        let other = another_client(&app);
        other.login_as("bd_am1").await;
        let refused = other.post_form(&format!("{target}/delete"), &[]).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(refused.text().await.unwrap(), "无权访问");
        other.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        let refused = other.post_form(&format!("{target}/delete"), &[]).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(refused.text().await.unwrap(), "Access denied");
        // Before any session, and across sites, too.
        let stranger = another_client(&app);
        stranger.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        let unauthenticated = stranger.post_form("/customers/new", &[("name", "x")]).await;
        assert_eq!(unauthenticated.status(), 401);
        assert_eq!(unauthenticated.text().await.unwrap(), "Please log in");
        let cross = app.client.post(format!("{}/customers/new", app.address))
            .header("Sec-Fetch-Site", "cross-site").form(&[("name", "x")]).send().await.unwrap();
        assert_eq!(cross.status(), 403);
        assert_eq!(cross.text().await.unwrap(), "跨站请求已拒绝");
    }

    async fn garbled_server_function_arguments_answer_400_with_a_plain_message(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let response = app.server_fn_form("opportunity_edit", &[("id".into(), "not-a-number".into())]).await;
        assert_eq!(response.status(), 400);
        let body = response.text().await.unwrap();
        assert!(!body.contains("invalid digit") && !body.contains("missing field"), "{body}");
    }
}

/// Ends every session of `user_id` on the server, outside the app (as another tab's logout or
/// an expiry would).
async fn sqlx_end_sessions(db: Db, url: &str, user_id: i64) {
    let sql = format!("UPDATE sessions SET ended_at = created_at WHERE user_id = {user_id}");
    match db {
        Db::Sqlite => {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
        Db::Postgres => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
    }
}
