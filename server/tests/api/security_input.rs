//! What an outside review sent by hand, sent again (SECURITY.md): stored text that tries to
//! break out of a `<textarea>`, extreme dates in addresses and forms, oversized and
//! over-repeated form fields, a file form's body read only after its right is checked.

use crate::customer_pages::form;
use crate::filing::{business_type, customer, first_task, user_id};
use crate::helpers::*;
use crate::lifecycle::filed;

const PAYLOAD: &str = "</textarea><img src=x onerror=alert(1)>";

/// The escaped form of [`PAYLOAD`] inside a textarea.
const ESCAPED: &str = "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;";

on_both_databases! {
    async fn stored_text_cannot_close_a_textarea_on_the_approvers_page(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "XSS测试客户").await;
        let vp1 = user_id(&app, "sjz_vp1").await.to_string();
        let filed = app.post_form("/opportunities/new", &[
            ("name", "XSS测试商机"), ("customer_id", &c), ("business_type_id", &business_type(&app).await),
            ("description", PAYLOAD), ("approver_id", &vp1), ("action", "submit"),
        ]).await;
        assert_eq!(filed.status(), 303);
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
        let task = deputy.get(&first_task(&todo)).await.text().await.unwrap();
        assert!(!task.contains("<img src=x"), "the approver's page holds no injected element");
        assert!(task.contains(ESCAPED), "the text is kept as typed");
    }

    async fn a_customers_notes_cannot_close_the_textarea_of_its_edit_and_copy_pages(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let created = form(&app, &[("name", "备注XSS客户"), ("notes", PAYLOAD)]).await;
        assert_eq!(created.status(), 303);
        let target = location(&created);
        let id = target.rsplit('/').next().unwrap();
        for page in [format!("{target}/edit"), format!("/customers/new?copy={id}")] {
            let html = app.get(&page).await.text().await.unwrap();
            assert!(!html.contains("<img src=x"), "{page}");
            assert!(html.contains(ESCAPED), "{page}");
        }
        // A refused form shows it back the same way.
        let refused = form(&app, &[("name", ""), ("notes", PAYLOAD)]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(!html.contains("<img src=x") && html.contains(ESCAPED));
    }

    async fn an_address_is_decoded_once_and_its_nul_never_reaches_the_database(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        customer(&app, "百分%41号").await;
        customer(&app, "百分A号").await;
        // `%2541` is the text `%41`: not `A` (leptos_router 0.8 decoded it twice).
        let page = app.get("/customers?name=%E7%99%BE%E5%88%86%2541").await.text().await.unwrap();
        assert!(page.contains("百分%41号") && !page.contains("百分A号"), "searched as typed");
        // A NUL, escaped once or twice, on the pages that search and the forms that store.
        for path in ["/customers?name=a%00b", "/customers?name=%2500", "/customers/find?q=%00%00%00",
            "/customers/find?q=%2500%2500", "/opportunities?name=%2500ab", "/contacts?name=%2500"] {
            assert_eq!(app.get(path).await.status(), 200, "{path}");
        }
        let created = form(&app, &[("name", "空\0字符客户"), ("notes", "a\0b")]).await;
        assert_eq!(created.status(), 303);
        let id = location(&created).rsplit('/').next().unwrap().to_owned();
        assert_eq!(
            text(db, &app.database_url, &format!("SELECT name || notes FROM customers WHERE id = {id}")).await,
            "空字符客户ab"
        );
        // Control characters other than NUL, emoji and full-width text are kept as typed (a
        // name is one line: its tabs and line breaks become spaces; notes keep them).
        let name = "响铃\u{7}退格\u{8}😀ＡＢＣ";
        let notes = "制表\t换行\r\n响铃\u{7}😀ＡＢＣ";
        let created = form(&app, &[("name", name), ("notes", notes)]).await;
        assert_eq!(created.status(), 303);
        let id = location(&created).rsplit('/').next().unwrap().to_owned();
        let stored = |column: &str| format!("SELECT {column} FROM customers WHERE id = {id}");
        assert_eq!(text(db, &app.database_url, &stored("name")).await, name);
        assert_eq!(text(db, &app.database_url, &stored("notes")).await, notes);
    }

    async fn extreme_dates_in_list_addresses_fall_back_and_never_drop_the_connection(db) {
        let app = spawn_app(db).await;
        app.login_as("admin").await;
        for month in ["262142-12", "+262142-12", "-5000-01", "2026-13", "9999-12"] {
            for path in [format!("/rankings?month={month}"), format!("/rankings/export?month={month}")] {
                let response = app.get(&path).await;
                assert_eq!(response.status(), 200, "{path}");
            }
        }
        for date in ["+262142-12-31", "262142-12-31", "-262143-01-01", "9999-12-31"] {
            for path in [
                format!("/customers?from={date}&to={date}"),
                format!("/opportunities?tab=all&from={date}&to={date}"),
                format!("/tasks?from={date}&to={date}"),
                format!("/tasks?tab=done&from={date}&to={date}"),
                format!("/contacts?from={date}"),
            ] {
                assert_eq!(app.get(&path).await.status(), 200, "{path}");
            }
            let listed = app.server_fn_form("tasks", &[
                ("query[tab]".into(), "all".into()), ("query[from]".into(), date.into()), ("query[to]".into(), date.into()),
            ]).await;
            assert_eq!(listed.status(), 200, "tasks with {date}");
        }
    }

    async fn a_date_beyond_the_plausible_years_is_refused_beside_its_field(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "远期日期客户").await;
        let refused = app.post_form("/opportunities/new", &[
            ("name", "远期商机"), ("customer_id", &c), ("business_type_id", &business_type(&app).await),
            ("expected_sign_date", "+262142-12-31"), ("action", "save"),
        ]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("日期格式不正确") && html.contains("远期商机"));
        let (target, _) = filed(&app, "远期签约商机").await;
        let director = user_id(&app, "ind_gov").await.to_string();
        let sign = app.post_form(&format!("{target}/sign"), &[
            ("contract_no", "HT-1"), ("amount", "1"), ("signed_on", "-0001-01-01"), ("approver_id", &director),
        ]).await;
        assert_eq!(sign.status(), 422);
        assert!(sign.text().await.unwrap().contains("日期格式不正确"));
    }

    async fn the_same_competitor_twice_or_one_customer_written_two_ways_counts_once(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "重复编号客户").await;
        let competitor = app.store.dictionary(server::db::DictKind::Competitor).await.unwrap()[0].id.to_string();
        let padded = format!("0{c}");
        let saved = app.post_form("/opportunities/new", &[
            ("name", "重复编号商机"), ("customer_id", &c), ("customer_id", &padded),
            ("business_type_id", &business_type(&app).await),
            ("competitor_id", &competitor), ("competitor_id", &competitor), ("action", "save"),
        ]).await;
        assert_eq!(saved.status(), 303);
        let id: i64 = location(&saved).trim_start_matches("/opportunities/").split('?').next().unwrap().parse().unwrap();
        assert_eq!(app.store.opportunity_customer_names(id).await.unwrap().len(), 1);
        let competitors = scalar(db, &app.database_url,
            &format!("SELECT COUNT(*) FROM opportunity_competitors WHERE opportunity_id = {id}")).await;
        assert_eq!(competitors, 1);
    }

    async fn a_form_without_a_file_takes_no_multipart_and_no_flood_of_fields(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        // 20 MB of 客户名称 through multipart: refused before it is read.
        let big = "名".repeat(7 * 1024 * 1024);
        let multipart = reqwest::multipart::Form::new().text("name", big);
        let sent = app.client.post(format!("{}/customers/new", app.address))
            .header("Sec-Fetch-Site", "same-origin").multipart(multipart).send().await;
        // The server answers 415 at once and does not read the rest: the client either reads
        // that answer or, still writing, finds the connection closed under it.
        match sent {
            Ok(response) => assert_eq!(response.status(), 415),
            Err(e) => assert!(e.is_request() && !e.is_timeout(), "{e:?}"),
        }
        // Thousands of repeated ids in an ordinary post.
        let mut flood: Vec<(&str, String)> = vec![("name", "字段洪水".into()), ("action", "save".into())];
        flood.extend((0..2000).map(|i| ("customer_id", i.to_string())));
        let response = app.client.post(format!("{}/opportunities/new", app.address))
            .header("Sec-Fetch-Site", "same-origin").form(&flood).send().await.unwrap();
        assert_eq!(response.status(), 413);
        // A file form's text fields get the same budget as an ordinary form's.
        let (target, _) = filed(&app, "大字段签约商机").await;
        let response = app.post_multipart(&format!("{target}/sign"), &[
            ("contract_no", &"号".repeat(100 * 1024)),
        ], ("attachment", "合同.pdf", b"%PDF".to_vec())).await;
        assert_eq!(response.status(), 413);
        assert_eq!(attachments(&app).await, 0, "nothing kept from a body refused whole");
    }

    async fn a_file_is_read_only_after_the_right_to_post_it_is_checked(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "他人签约商机").await;
        let before = attachments(&app).await;
        // Not theirs to sign.
        let other = another_client(&app);
        other.login_as("sjz_am2").await;
        let refused = other.post_multipart(&format!("{target}/sign"), &[("contract_no", "HT-X")],
            ("attachment", "合同.pdf", b"%PDF other".to_vec())).await;
        assert_eq!(refused.status(), 403);
        // Not theirs to publish.
        let refused = other.post_multipart("/announcements/new", &[("title", "无权公告"), ("body", "x")],
            ("attachment", "公告.pdf", b"%PDF notice".to_vec())).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(attachments(&app).await, before, "no file kept for a refused post");
    }

    async fn what_one_user_holds_unattached_is_capped(db) {
        let app = spawn_app(db).await;
        app.login_as("oppadmin").await;
        let file = vec![b'x'; 9 * 1024 * 1024];
        // Each post is refused (no title), each keeps its file for the next try: five fit in 50 MB.
        for _ in 0..5 {
            let refused = app.post_multipart("/announcements/new", &[("title", ""), ("body", "x")],
                ("attachment", "大文件.pdf", file.clone())).await;
            assert_eq!(refused.status(), 422);
            let html = refused.text().await.unwrap();
            assert!(html.contains("已上传") && html.contains("大文件.pdf"));
        }
        let over = app.post_multipart("/announcements/new", &[("title", ""), ("body", "x")],
            ("attachment", "大文件.pdf", file)).await;
        assert_eq!(over.status(), 422);
        assert!(over.text().await.unwrap().contains("已达 50 MB 上限"));
        assert_eq!(attachments(&app).await, 5);
    }
}

/// How many files the database holds.
async fn attachments(app: &TestApp) -> i64 {
    let db = if app.database_url.starts_with("postgres") {
        Db::Postgres
    } else {
        Db::Sqlite
    };
    scalar(db, &app.database_url, "SELECT COUNT(*) FROM attachments").await
}
