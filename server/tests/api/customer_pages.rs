//! 添加客户 and the customer page over HTTP, as a browser without JavaScript uses them.

use crate::helpers::*;
use server::db::DictKind;

async fn form(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    let industry = app.store.dictionary(DictKind::Industry).await.unwrap()[0]
        .id
        .to_string();
    let level = app.store.dictionary(DictKind::CustomerLevel).await.unwrap()[0]
        .id
        .to_string();
    let mut all: Vec<(&str, &str)> = vec![
        ("industry_id", industry.as_str()),
        ("level_id", level.as_str()),
        ("kind", "potential"),
        ("registered_on", "2026-11-20"),
    ];
    all.extend_from_slice(fields);
    app.post_form("/customers/new", &all).await
}

on_both_databases! {
    async fn an_account_manager_adds_a_customer_and_lands_on_its_page(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let page = app.get("/customers/new").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("添加客户") && html.contains(r#"for="name""#) && html.contains("政务"));

        let response = form(&app, &[("name", "石家庄市数据局"), ("phone", "0311-87654321")]).await;
        assert_eq!(response.status(), 303);
        let target = location(&response);
        assert!(target.starts_with("/customers/"), "{target}");
        let html = app.get(&target).await.text().await.unwrap();
        assert!(html.contains("石家庄市数据局") && html.contains("0311-87654321"));
        assert!(html.contains("潜在客户") && html.contains("石家庄客户经理1") && html.contains("2026-11-20"));
    }

    async fn a_refused_form_comes_back_with_everything_typed_and_the_reasons(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let response = form(&app, &[
            ("name", "  "),
            ("phone", "abc-not-a-phone"),
            ("address", "石家庄市长安区中山东路 1 号"),
        ]).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("此项为必填项"), "name refusal missing");
        assert!(html.contains("电话号码格式不正确"));
        assert!(html.contains(r#"value="abc-not-a-phone""#), "typed phone lost");
        assert!(html.contains("石家庄市长安区中山东路 1 号"), "typed address lost");
        assert!(html.contains(r#"value="2026-11-20""#), "typed date lost");
    }

    async fn a_name_taken_in_another_city_says_only_that(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        assert_eq!(form(&app, &[("name", "河北高速集团")]).await.status(), 303);
        let other = another_client(&app);
        other.login_as("bd_am1").await;
        let response = form(&other, &[("name", "河北高速集团"), ("phone", "0312-5555555")]).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("客户名称已存在"));
        assert!(html.contains(r#"value="0312-5555555""#));
        assert!(!html.contains("石家庄客户经理1"), "the holder is not revealed");
    }

    async fn a_customer_out_of_scope_is_refused_by_address(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄某医院")]).await);
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let response = outsider.get(&target).await;
        assert_eq!(response.status(), 403);
        let html = response.text().await.unwrap();
        assert!(html.contains("无权访问") && !html.contains("石家庄某医院"));
        // A city deputy of 石家庄 may open it.
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        assert_eq!(vp.get(&target).await.status(), 200);
        // So may the server function, and only in scope.
        let id = target.rsplit('/').next().unwrap().to_owned();
        let refused = outsider.client
            .post(format!("{}/api/customer", outsider.address))
            .header("Sec-Fetch-Site", "same-origin")
            .form(&[("id", id.as_str())])
            .send().await.unwrap();
        assert_eq!(refused.status(), 403);
        assert!(!refused.text().await.unwrap().contains("石家庄某医院"));
    }

    async fn sales_support_reads_but_does_not_add(db) {
        let app = spawn_app(db).await;
        app.login_as("support").await;
        assert_eq!(form(&app, &[("name", "不应被添加")]).await.status(), 403);
    }

    async fn the_list_shows_my_customers_filters_them_and_pages_on(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        for i in 0..23 {
            assert_eq!(form(&app, &[("name", &format!("列表客户{i:02}"))]).await.status(), 303);
        }
        assert_eq!(form(&app, &[("name", "石家庄数据中心")]).await.status(), 303);
        let html = app.get("/customers").await.text().await.unwrap();
        assert!(html.contains("潜在客户") && html.contains("交易客户") && html.contains("查询"));
        assert!(html.contains("石家庄数据中心"), "newest first");
        assert_eq!(html.matches("<tr>").count(), 1 + 20, "a header and 20 rows");
        let next = html.split("href=\"").filter_map(|s| s.split('"').next())
            .find(|h| h.contains("after_id=")).expect("a 下一页 link").replace("&amp;", "&");
        let page2 = app.get(&next).await.text().await.unwrap();
        assert_eq!(page2.matches("<tr>").count(), 1 + 4);
        assert!(!page2.contains("下一页"), "no page after the last");

        let filtered = app.get("/customers?kind=potential&name=%E6%95%B0%E6%8D%AE").await.text().await.unwrap();
        assert_eq!(filtered.matches("<tr>").count(), 2);
        assert!(filtered.contains("石家庄数据中心"));
        let transaction = app.get("/customers?kind=transaction").await.text().await.unwrap();
        assert!(transaction.contains("没有符合条件的客户"));

        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let theirs = outsider.get("/customers").await.text().await.unwrap();
        assert!(!theirs.contains("石家庄数据中心") && theirs.contains("没有符合条件的客户"));
    }
}
