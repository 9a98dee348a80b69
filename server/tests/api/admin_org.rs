//! 组织管理 (#15): add, rename, move (no cycles; a city stays put; to another city only while
//! nothing lies in it), 停用 a unit nobody active works in; only the 系统管理员.

use crate::helpers::*;
use server::db::NewUser;

async fn unit(app: &TestApp, name: &str) -> String {
    let units = app.store.org_units().await.unwrap();
    units
        .iter()
        .find(|u| u.name == name)
        .unwrap()
        .id
        .to_string()
}

async fn org(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form("/admin/org", fields).await
}

async fn refused_with(app: &TestApp, fields: &[(&str, &str)], message: &str) {
    let response = org(app, fields).await;
    assert_eq!(response.status(), 422, "{fields:?}");
    let html = response.text().await.unwrap();
    assert!(html.contains(message), "{fields:?}: {message}");
}

on_both_databases! {
    async fn the_tree_grows_moves_and_disables_by_its_rules(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_vp1").await;
        assert_eq!(app.get("/admin/org").await.status(), 403);
        assert_eq!(org(&app, &[("action", "rename"), ("id", "1"), ("name", "X")]).await.status(), 403);

        app.login_as("admin").await;
        let tangshan = unit(&app, "唐山").await;
        let added = org(&app, &[("action", "add"), ("name", "唐山一部"), ("kind", "department"), ("parent_id", &tangshan)]).await;
        assert_eq!(location(&added), "/admin/org?saved=1");
        refused_with(&app, &[("action", "add"), ("name", "唐山一部"), ("kind", "department"), ("parent_id", &tangshan)],
            "同一上级单位下已有同名单位").await;
        let a = unit(&app, "唐山一部").await;
        refused_with(&app, &[("action", "add"), ("name", "伪地市"), ("kind", "city"), ("parent_id", &a)],
            "地市公司只能设在省公司下").await;
        assert_eq!(org(&app, &[("action", "add"), ("name", "唐山一组"), ("kind", "department"), ("parent_id", &a)]).await.status(), 303);
        let b = unit(&app, "唐山一组").await;
        assert_eq!(org(&app, &[("action", "rename"), ("id", &b), ("name", "唐山一部一组")]).await.status(), 303);
        let b = unit(&app, "唐山一部一组").await;

        refused_with(&app, &[("action", "move"), ("id", &a), ("parent_id", &b)], "不能移动到自身或其下级单位之下").await;
        refused_with(&app, &[("action", "move"), ("id", &unit(&app, "石家庄").await), ("parent_id", &tangshan)],
            "省公司和地市公司不能移动").await;
        let baoding = unit(&app, "保定").await;
        assert_eq!(org(&app, &[("action", "move"), ("id", &a), ("parent_id", &baoding)]).await.status(), 303, "empty: may change city");
        let page = app.get("/admin/org").await.text().await.unwrap();
        let at = |name: &str| page.find(&format!("data-unit=\"{name}\"")).unwrap();
        assert!(at("保定") < at("唐山一部") && at("唐山一部") < at("唐山一部一组") && at("唐山一部一组") < at("唐山"),
            "depth first: the moved unit and its own under 保定");

        let actor = server::db::Actor::system(chrono::Utc::now());
        app.store.create_user(&actor, &NewUser {
            login: "bd_dept1".into(), name: "保定部门员工".into(), org_unit_id: b.parse().unwrap(),
            password_hash: server::auth::password::hash(server::seed::DEMO_PASSWORD.into()).await.unwrap(),
            phone: None, email: None, must_change_password: false,
            roles: vec![app::model::Role::AccountManager], industry_ids: vec![],
        }).await.unwrap();
        refused_with(&app, &[("action", "move"), ("id", &a), ("parent_id", &tangshan)],
            "不能移到其他地市").await;
        refused_with(&app, &[("action", "disable"), ("id", &b)], "该单位仍有在职人员").await;
        refused_with(&app, &[("action", "disable"), ("id", &a)], "请先停用其下级单位").await;

        let worker = app.store.user_by_login("bd_dept1").await.unwrap().unwrap().id;
        assert_eq!(app.post_form(&format!("/admin/users/{worker}/disable"), &[]).await.status(), 303);
        assert_eq!(org(&app, &[("action", "disable"), ("id", &b)]).await.status(), 303);
        assert_eq!(org(&app, &[("action", "disable"), ("id", &a)]).await.status(), 303);
        refused_with(&app, &[("action", "enable"), ("id", &b)], "上级单位已停用").await;
        let form = app.get("/admin/users/new").await.text().await.unwrap();
        assert!(!form.contains("唐山一部"), "a disabled unit takes no new users");
        let into_disabled = app.post_form("/admin/users/new", &[
            ("login", "late"), ("name", "迟到"), ("org_unit_id", &a), ("role", "account_manager"),
            ("password", "Chu-Shi-Mi-Ma-2026"),
        ]).await;
        assert_eq!(into_disabled.status(), 422);
        assert_eq!(org(&app, &[("action", "enable"), ("id", &a)]).await.status(), 303);
        refused_with(&app, &[("action", "disable"), ("id", &unit(&app, server::seed::PROVINCE).await)], "省公司不能停用").await;
        assert_eq!(scalar(db, &app.database_url,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'org_unit' AND actor_id IS NOT NULL AND action IN ('create', 'update', 'move', 'disable', 'enable')").await, 7);
    }
}
