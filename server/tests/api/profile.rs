//! 个人资料 (name, phone, email; 修改密码; sessions), a password that must be changed first,
//! the first 系统管理员 of an empty database, the production start's refusal of the published
//! demo password, and the append-only audit trail (#15).

use crate::helpers::*;
use server::db::Actor;
use server::going_live::{create_first_admin, FirstAdmin};

const NEW_PASSWORD: &str = "Zhuan-Xian-2026";

/// The version 个人资料's form carries.
fn form_version(html: &str) -> String {
    html.split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

async fn change_password(
    app: &TestApp,
    path: &str,
    old: &str,
    new: &str,
    again: &str,
) -> reqwest::Response {
    app.post_form(
        path,
        &[
            ("old_password", old),
            ("new_password", new),
            ("confirm_password", again),
        ],
    )
    .await
}

on_both_databases! {
    async fn a_user_edits_their_details_and_a_refused_form_keeps_what_was_typed(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let page = app.get("/profile").await.text().await.unwrap();
        assert!(page.contains("sjz_am1") && page.contains("客户经理") && page.contains("石家庄"));
        let version = form_version(&page);
        let refused = app.post_form("/profile", &[
            ("name", "王小明"), ("phone", "abc"), ("email", "wxm@example.cn"), ("version", &version),
        ]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("value=\"王小明\"") && html.contains("value=\"wxm@example.cn\""), "typed kept");
        assert!(html.contains("value=\"abc\""));
        let saved = app.post_form("/profile", &[
            ("name", "王小明"), ("phone", "13800000001"), ("email", "wxm@example.cn"), ("version", &version),
        ]).await;
        assert_eq!(saved.status(), 303);
        assert_eq!(location(&saved), "/profile?saved=1");
        let page = app.get("/profile?saved=1").await.text().await.unwrap();
        assert!(page.contains("个人资料已保存") && page.contains("value=\"13800000001\""));
        // The name is the directory's: the header says it on the next page.
        assert!(app.get("/").await.text().await.unwrap().contains("王小明"));
        // The same version again: someone (another tab) saved meanwhile.
        let stale = app.post_form("/profile", &[("name", "王大明"), ("version", &version)]).await;
        assert_eq!(stale.status(), 422);
        assert!(stale.text().await.unwrap().contains("数据已被他人修改"));
        let id = scalar(db, &app.database_url, "SELECT id FROM users WHERE login = 'sjz_am1'").await;
        let audited = text(db, &app.database_url, &format!(
            "SELECT after_json FROM audit_log WHERE action = 'update_profile' AND entity_id = '{id}'"
        )).await;
        assert!(audited.contains("王小明"));
    }

    async fn changing_the_password_checks_it_and_ends_the_other_sessions(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let other = another_client(&app);
        other.login_as("sjz_am1").await;
        let demo = server::seed::DEMO_PASSWORD;
        let refusals = [
            ("wrong-password", NEW_PASSWORD, NEW_PASSWORD, "原密码不正确"),
            (demo, "Short1!", "Short1!", "密码至少需要10个字符"),
            (demo, "qwertyuiop", "qwertyuiop", "该密码过于常见"),
            (demo, "Password123", "Password123", "该密码过于常见"),
            (demo, NEW_PASSWORD, "Zhuan-Xian-2025", "两次输入的新密码不一致"),
        ];
        for (old, new, again, message) in refusals {
            let refused = change_password(&app, "/profile/password", old, new, again).await;
            assert_eq!(refused.status(), 422, "{message}");
            let html = refused.text().await.unwrap();
            assert!(html.contains(message), "{message}");
            assert!(!html.contains(new), "a password is never sent back to the page");
        }
        let changed = change_password(&app, "/profile/password", demo, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(changed.status(), 303);
        assert_eq!(location(&changed), "/profile?password=changed");
        assert_eq!(app.get("/profile").await.status(), 200, "this session goes on");
        let ended = other.get("/customers").await;
        assert_eq!(ended.status(), 303);
        assert!(location(&ended).starts_with("/login"), "the other session ended");
        let third = another_client(&app);
        assert_eq!(location(&third.login("sjz_am1", demo).await), "/login?error=bad&login=sjz_am1&next=");
        assert_eq!(location(&third.login("sjz_am1", NEW_PASSWORD).await), "/");
        let audited = text(db, &app.database_url,
            "SELECT after_json FROM audit_log WHERE action = 'change_password'").await;
        assert!(audited.contains("\"other_sessions_ended\":1") && !audited.contains("argon2"));
    }

    async fn logging_out_the_other_sessions_keeps_this_one(db) {
        let app = spawn_app(db).await;
        app.login_as("bd_am1").await;
        let other = another_client(&app);
        other.login_as("bd_am1").await;
        let page = app.get("/profile").await.text().await.unwrap();
        assert_eq!(page.matches("当前会话").count(), 1);
        assert!(page.contains("退出其他会话"));
        let ended = app.post_form("/profile/sessions/end", &[]).await;
        assert_eq!(ended.status(), 303);
        assert!(location(&other.get("/").await).starts_with("/login"));
        let page = app.get("/profile?sessions=ended").await.text().await.unwrap();
        assert!(page.contains("其他会话已退出") && !page.contains(">退出其他会话<"));
    }

    async fn a_password_set_by_the_admin_is_changed_before_anything_else(db) {
        let app = spawn_app(db).await;
        execute(db, &app.database_url,
            "UPDATE users SET must_change_password = TRUE WHERE login = 'sjz_am2'").await;
        let response = app.login("sjz_am2", server::seed::DEMO_PASSWORD).await;
        assert_eq!(location(&response), "/");
        for page in ["/", "/customers", "/profile", "/tasks?tab=todo"] {
            let sent = app.get(page).await;
            assert_eq!(sent.status(), 303, "{page}");
            assert_eq!(location(&sent), "/password", "{page}");
        }
        assert_eq!(app.server_fn("whoami").await.status(), 403);
        assert_eq!(app.post_form("/customers/new", &[("name", "x")]).await.status(), 403);
        let page = app.get("/password").await.text().await.unwrap();
        assert!(page.contains("请先修改密码再继续使用系统") && !page.contains("class=\"menu-bar"));
        let refused = change_password(&app, "/password", server::seed::DEMO_PASSWORD, "sjz_am2", "sjz_am2").await;
        assert_eq!(refused.status(), 422);
        let changed = change_password(&app, "/password", server::seed::DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(changed.status(), 303);
        assert_eq!(location(&changed), "/");
        assert_eq!(app.get("/customers").await.status(), 200, "everything is open again");
        assert_eq!(location(&app.get("/password").await), "/profile");
    }

    async fn the_first_admin_is_created_on_an_empty_database_and_only_once(db) {
        let url = empty_database(db).await;
        let store = open_store(&url).await;
        let admin = |login: &str, password: &str| FirstAdmin {
            login: login.into(),
            name: "省管理员".into(),
            province: "河北省分公司".into(),
            password: password.into(),
        };
        let now = chrono::Utc::now();
        let weak = create_first_admin(&*store, &admin("root", "1234567890"), now).await;
        assert!(weak.unwrap_err().to_string().contains("too common"));
        let created = create_first_admin(&*store, &admin("Root", NEW_PASSWORD), now).await.unwrap();
        assert_eq!(created.login, "root");
        let again = create_first_admin(&*store, &admin("root2", NEW_PASSWORD), now).await;
        assert!(again.unwrap_err().to_string().contains("already exists"));
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM org_units WHERE kind = 'province'").await, 1);
        assert_eq!(scalar(db, &url,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND entity = 'user' AND actor_id IS NULL").await, 1);
        // The server starts on it (no demo data) and the admin logs in.
        let app = spawn_on(&url).await;
        assert_eq!(location(&app.login("root", NEW_PASSWORD).await), "/");
        assert_eq!(app.get("/profile").await.status(), 200);
    }

    async fn production_refuses_to_start_while_a_demo_password_is_published(db) {
        let url = seeded_database(db).await;
        let mut production = settings(&url, false);
        production.session.secure_cookie = true;
        let refused = server::startup::Application::build(production.clone()).await;
        let message = refused.err().expect("refused").to_string();
        assert!(message.contains("admin") && message.contains("sjz_am1"), "{message}");
        // Everyone else disabled, the admin's password changed: it starts.
        execute(db, &url, "UPDATE users SET disabled = TRUE WHERE login <> 'admin'").await;
        let store = open_store(&url).await;
        let admin = store.user_by_login("admin").await.unwrap().unwrap();
        let hash = server::auth::password::hash(NEW_PASSWORD.into()).await.unwrap();
        store.change_password(&Actor::system(chrono::Utc::now()), admin.id, &hash, None).await.unwrap();
        assert!(server::startup::Application::build(production).await.is_ok());
    }

    async fn the_audit_trail_refuses_change_and_removal(db) {
        let url = seeded_database(db).await;
        let before = scalar(db, &url, "SELECT COUNT(*) FROM audit_log").await;
        assert!(before > 0);
        assert!(try_execute(db, &url, "UPDATE audit_log SET action = 'x'").await.unwrap_err().contains("append-only"));
        assert!(try_execute(db, &url, "DELETE FROM audit_log").await.unwrap_err().contains("append-only"));
        if db == Db::Postgres {
            assert!(try_execute(db, &url, "TRUNCATE audit_log").await.unwrap_err().contains("append-only"));
        }
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM audit_log").await, before);
    }
}
