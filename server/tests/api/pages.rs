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
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
        assert!(html.contains("商机管理系统"));
        // The organisation comes from the database, rendered before any script runs.
        for name in ["河北省分公司", "石家庄", "保定", "唐山", "邯郸"] {
            assert!(html.contains(name), "{name} missing");
        }
        assert!(html.contains("/pkg/bizopp.js"), "hydration script missing");
    }

    async fn an_unknown_address_is_a_404_page(db) {
        let app = spawn_app(db).await;
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status(), 404);
        assert!(response.text().await.unwrap().contains("页面不存在"));
    }
}
