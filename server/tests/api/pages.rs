//! What a browser gets over HTTP.

use crate::helpers::*;

on_both_databases! {
    async fn healthz_answers_ok_when_the_database_does(db) {
        let app = spawn_app(db).await;
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");
    }

    async fn the_home_page_is_rendered_on_the_server_in_chinese(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
        assert!(html.contains("商机管理系统"));
        assert!(html.contains("石家庄客户经理1") && html.contains("登录时间："));
        // The organisation comes from the database, rendered before any script runs.
        for name in ["河北省分公司", "石家庄", "保定", "唐山", "邯郸"] {
            assert!(html.contains(name), "{name} missing");
        }
        assert!(html.contains("/pkg/bizopp.js"), "hydration script missing");
    }

    async fn an_unknown_address_is_a_404_page(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status(), 404);
        assert!(response.text().await.unwrap().contains("页面不存在"));
    }

    async fn each_role_sees_only_the_menu_entries_it_may_use(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let html = app.get("/").await.text().await.unwrap();
        for entry in ["首页", "客户", "商机", "任务", "公告通知", "商机排名", "个人资料", "退出"] {
            assert!(html.contains(entry), "{entry} missing for 客户经理");
        }
        assert!(!html.contains("系统管理") && !html.contains("统计分析"));

        let admin = spawn_app(db).await;
        admin.login_as("admin").await;
        let html = admin.get("/").await.text().await.unwrap();
        assert!(html.contains("系统管理") && html.contains("统计分析"));

        let vp = spawn_app(db).await;
        vp.login_as("sjz_vp1").await;
        let html = vp.get("/").await.text().await.unwrap();
        assert!(html.contains("统计分析") && !html.contains("系统管理"));
    }

    async fn a_forbidden_page_refuses(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_vp1").await;
        let response = app.get("/analysis").await;
        assert_eq!(response.status(), 200);
        assert!(response.text().await.unwrap().contains("销售漏斗"));
        let response = app.get("/admin").await;
        assert_eq!(response.status(), 403);
        let html = response.text().await.unwrap();
        assert!(html.contains("无权访问") && !html.contains("销售漏斗"));
    }

    async fn the_english_switch_changes_the_labels_and_is_remembered(db) {
        let app = spawn_app(db).await;
        app.login_as("admin").await;
        let response = app.post_form("/lang", &[("lang", "en"), ("back", "/customers")]).await;
        assert_eq!((response.status().as_u16(), location(&response)), (303, "/customers".into()));
        let html = app.get("/").await.text().await.unwrap();
        assert!(html.contains(r#"<html lang="en""#));
        for label in ["Home", "Customers", "Opportunities", "Administration", "Log out"] {
            assert!(html.contains(label), "{label} missing");
        }
        app.post_form("/lang", &[("lang", "zh-CN"), ("back", "/")]).await;
        assert!(app.get("/").await.text().await.unwrap().contains("系统管理"));
    }
}
