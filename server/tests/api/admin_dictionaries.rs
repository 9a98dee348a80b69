//! 数据字典 (#15): only the 系统管理员; add, rename, order, 停用 / 启用 seen by the next page of
//! anyone; a label once per dictionary; an item with behaviour keeps its code when renamed.

use crate::helpers::*;
use server::db::{DictItem, DictKind};

async fn change(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form("/admin/dictionaries", fields).await
}

on_both_databases! {
    async fn the_admin_keeps_the_dictionaries_and_every_page_sees_it(db) {
        let app = spawn_app(db).await;
        let manager = another_client(&app);
        manager.login_as("sjz_am1").await;
        assert_eq!(manager.get("/admin/dictionaries").await.status(), 403);
        let refused = change(&manager, &[("kind", "industry"), ("action", "add"), ("label", "渗透")]).await;
        assert_eq!(refused.status(), 403);

        app.login_as("admin").await;
        let added = change(&app, &[("kind", "industry"), ("action", "add"), ("label", "能源"), ("sort_order", "7")]).await;
        assert_eq!(location(&added), "/admin/dictionaries?kind=industry&saved=1");
        assert!(manager.get("/customers/new").await.text().await.unwrap().contains(">能源</option>"));

        let taken = change(&app, &[("kind", "industry"), ("action", "add"), ("label", "能源"), ("sort_order", "8")]).await;
        assert_eq!(taken.status(), 422);
        let html = taken.text().await.unwrap();
        assert!(html.contains("该字典已有同名项") && html.contains("value=\"8\""), "typed kept");

        let energy = app.store.dictionary(DictKind::Industry).await.unwrap()
            .into_iter().find(|i| i.label == "能源").unwrap().id.to_string();
        let renamed = change(&app, &[("kind", "industry"), ("action", "save"), ("id", &energy),
            ("label", "能源电力"), ("sort_order", "0")]).await;
        assert_eq!(renamed.status(), 303);
        let first = &app.store.dictionary(DictKind::Industry).await.unwrap()[0];
        assert_eq!(first.label, "能源电力", "ordered first");

        let disabled = change(&app, &[("kind", "industry"), ("action", "disable"), ("id", &energy)]).await;
        assert_eq!(disabled.status(), 303);
        assert!(!manager.get("/customers/new").await.text().await.unwrap().contains("能源电力"));
        let listed = app.get("/admin/dictionaries?kind=industry").await.text().await.unwrap();
        assert!(listed.contains("value=\"能源电力\"") && listed.contains("已停用"), "kept, shown disabled");
        assert_eq!(change(&app, &[("kind", "industry"), ("action", "enable"), ("id", &energy)]).await.status(), 303);
        assert!(manager.get("/customers/new").await.text().await.unwrap().contains("能源电力"));

        let audited = scalar(db, &app.database_url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'dict_item' AND entity_id = '{energy}'")).await;
        assert_eq!(audited, 4, "create, update, disable, enable");
    }

    async fn an_item_with_behaviour_keeps_its_code_when_renamed(db) {
        let app = spawn_app(db).await;
        app.login_as("admin").await;
        let lost = app.store.dictionary(DictKind::TerminationReason).await.unwrap().into_iter()
            .find(|i| i.code.as_deref() == Some(DictItem::LOST_TO_COMPETITOR)).unwrap();
        let page = app.get("/admin/dictionaries?kind=termination_reason").await.text().await.unwrap();
        assert!(page.contains(DictItem::LOST_TO_COMPETITOR), "the code is shown");
        let renamed = change(&app, &[("kind", "termination_reason"), ("action", "save"),
            ("id", &lost.id.to_string()), ("label", "被竞争对手赢单"), ("sort_order", "2")]).await;
        assert_eq!(renamed.status(), 303);
        let after = app.store.dictionary(DictKind::TerminationReason).await.unwrap().into_iter()
            .find(|i| i.id == lost.id).unwrap();
        assert_eq!(after.label, "被竞争对手赢单");
        assert_eq!(after.code.as_deref(), Some(DictItem::LOST_TO_COMPETITOR));
        // An item of another dictionary cannot be reached through this one.
        let industry = app.store.dictionary(DictKind::Industry).await.unwrap()[0].id.to_string();
        let crossed = change(&app, &[("kind", "termination_reason"), ("action", "save"),
            ("id", &industry), ("label", "错位"), ("sort_order", "1")]).await;
        assert_ne!(crossed.status(), 303);
        assert_ne!(app.store.dictionary(DictKind::Industry).await.unwrap()[0].label, "错位");
    }
}
