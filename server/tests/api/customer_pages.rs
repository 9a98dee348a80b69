//! 添加客户 and the customer page over HTTP, as a browser without JavaScript uses them.

use crate::helpers::*;
use server::db::DictKind;

pub(crate) async fn form(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
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
    // A field given replaces its default.
    all.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
    all.extend_from_slice(fields);
    app.post_form("/customers/new", &all).await
}

/// Posts the edit form of `target` as the customer's fields with a new phone, made on `version`.
pub(crate) async fn post_edit(
    app: &TestApp,
    target: &str,
    phone: &str,
    version: &str,
) -> reqwest::Response {
    let fields = edit_fields(app, phone, version).await;
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(&format!("{target}/edit"), &fields).await
}

/// The same post to a server that may be gone: its status when it answered.
pub(crate) async fn try_post_edit(
    app: &TestApp,
    target: &str,
    phone: &str,
    version: &str,
) -> Option<u16> {
    let fields = edit_fields(app, phone, version).await;
    app.client
        .post(format!("{}{target}/edit", app.address))
        .header("Sec-Fetch-Site", "same-origin")
        .form(&fields)
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

pub(crate) async fn edit_fields(
    app: &TestApp,
    phone: &str,
    version: &str,
) -> Vec<(&'static str, String)> {
    let industry = app.store.dictionary(DictKind::Industry).await.unwrap()[0].id;
    let level = app.store.dictionary(DictKind::CustomerLevel).await.unwrap()[0].id;
    vec![
        ("name", "石家庄编辑测试".to_owned()),
        ("industry_id", industry.to_string()),
        ("level_id", level.to_string()),
        ("kind", "potential".to_owned()),
        ("registered_on", "2026-11-20".to_owned()),
        ("phone", phone.to_owned()),
        ("version", version.to_owned()),
    ]
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
        assert!(html.contains("打印"));
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

    async fn the_owner_edits_and_a_stale_save_is_refused_keeping_the_input(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄编辑测试"), ("phone", "0311-1111111")]).await);
        let edit_page = app.get(&format!("{target}/edit")).await.text().await.unwrap();
        assert!(edit_page.contains("客户信息编辑") && edit_page.contains(r#"value="0311-1111111""#));
        assert!(edit_page.contains(r#"name="version" value="1""#));

        // A manager of the city saves first…
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        let saved = post_edit(&vp, &target, "0311-2222222", "1").await;
        assert_eq!((saved.status().as_u16(), location(&saved)), (303, target.clone()));
        // …so the owner's save, made on version 1, is refused with what they typed kept.
        let stale = post_edit(&app, &target, "0311-3333333", "1").await;
        assert_eq!(stale.status(), 422);
        let html = stale.text().await.unwrap();
        assert!(html.contains("数据已被他人修改"));
        assert!(html.contains(r#"value="0311-3333333""#));
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("0311-2222222") && !page.contains("0311-3333333"));
        // On the current version it goes through, and the trail keeps both changes.
        assert_eq!(post_edit(&app, &target, "0311-3333333", "2").await.status(), 303);
        let id = target.rsplit('/').next().unwrap();
        let trail = app.store.audit_trail("customer", id).await.unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "update"]);
        assert!(trail[1].before_json.as_deref().unwrap().contains("0311-1111111"));
        assert!(trail[1].after_json.as_deref().unwrap().contains("0311-2222222"));

        // Another account manager of the same city may neither open nor post the edit.
        let colleague = another_client(&app);
        colleague.login_as("sjz_am2").await;
        assert_eq!(colleague.get(&format!("{target}/edit")).await.status(), 403);
        assert_eq!(post_edit(&colleague, &target, "0311-9999999", "3").await.status(), 403);
    }

    async fn convert_and_delete_after_confirmation(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄转换测试")]).await);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("转交易客户") && page.contains("删除"));

        let converted = app.post_form(&format!("{target}/convert"), &[]).await;
        assert_eq!((converted.status().as_u16(), location(&converted)), (303, target.clone()));
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("交易客户") && !page.contains(">转交易客户<"));
        let listed = app.get("/customers?kind=transaction").await.text().await.unwrap();
        assert!(listed.contains("石家庄转换测试"));

        let colleague = another_client(&app);
        colleague.login_as("sjz_am2").await;
        assert_eq!(colleague.get(&format!("{target}/delete")).await.status(), 403);
        assert_eq!(colleague.post_form(&format!("{target}/delete"), &[]).await.status(), 403);

        let confirm = app.get(&format!("{target}/delete")).await.text().await.unwrap();
        assert!(confirm.contains("确定删除该客户吗？") && confirm.contains("取消"));
        let deleted = app.post_form(&format!("{target}/delete"), &[]).await;
        assert_eq!((deleted.status().as_u16(), location(&deleted)), (303, "/customers".into()));
        assert_eq!(app.get(&target).await.status(), 403);
        let id = target.rsplit('/').next().unwrap();
        let trail = app.store.audit_trail("customer", id).await.unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "convert", "delete"]);
        // The name is free again.
        assert_eq!(form(&app, &[("name", "石家庄转换测试")]).await.status(), 303);
    }

    async fn quick_find_answers_from_the_customer_pages(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        assert_eq!(form(&app, &[("name", "石家庄快速查找测试单位")]).await.status(), 303);
        let list = app.get("/customers").await.text().await.unwrap();
        assert!(list.contains("快速查找") && list.contains(r#"action="/customers/find""#));
        let found = app.get("/customers/find?q=%E6%9F%A5%E6%89%BE%E6%B5%8B%E8%AF%95").await;
        assert_eq!(found.status(), 200);
        assert!(found.text().await.unwrap().contains("石家庄快速查找测试单位"));
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let html = outsider.get("/customers/find?q=%E6%9F%A5%E6%89%BE%E6%B5%8B%E8%AF%95").await.text().await.unwrap();
        assert!(!html.contains("石家庄快速查找测试单位") && html.contains("没有符合条件的客户"));
    }

    async fn contacts_are_added_on_the_customer_page_and_found_by_quick_find(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄联系人测试单位")]).await);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("联系人") && page.contains("暂无联系人") && page.contains("新建联系人"));
        assert_eq!(app.get(&format!("{target}/contacts/new")).await.status(), 200);

        let refused = app.post_form(&format!("{target}/contacts/new"), &[
            ("name", "赵主任"), ("email", "zhao-at-example"), ("mobile", "13900001111"),
        ]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("邮箱格式不正确") && html.contains(r#"value="13900001111""#));

        let added = app.post_form(&format!("{target}/contacts/new"), &[
            ("name", "赵主任"), ("title", "信息中心主任"), ("mobile", "13900001111"),
        ]).await;
        assert_eq!((added.status().as_u16(), location(&added)), (303, target.clone()));
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("赵主任") && page.contains("信息中心主任") && page.contains("13900001111"));

        let found = app.get("/customers/find?q=%E8%B5%B5%E4%B8%BB%E4%BB%BB").await.text().await.unwrap();
        assert!(found.contains("石家庄联系人测试单位"), "found by the contact's name");

        let colleague = another_client(&app);
        colleague.login_as("sjz_am2").await;
        let forged = colleague.post_form(&format!("{target}/contacts/new"), &[("name", "冒名")]).await;
        assert_eq!(forged.status(), 403);
    }

    async fn sharing_opens_one_customer_read_only_or_editable_until_withdrawn(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄共享测试单位")]).await);
        let guest_id = app.store.user_by_login("bd_am1").await.unwrap().unwrap().id.to_string();
        let guest = another_client(&app);
        guest.login_as("bd_am1").await;
        assert_eq!(guest.get(&target).await.status(), 403);

        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("尚未共享") && page.contains(r#"id="share-user""#));
        let shared = app.post_form(&format!("{target}/share"), &[("user_id", &guest_id), ("access", "read")]).await;
        assert_eq!(shared.status(), 303);
        assert!(app.get(&target).await.text().await.unwrap().contains("只读"));

        // Read-only: the guest sees it under 共享给我的 and opens it, but may not edit.
        let mine = guest.get("/customers?shared=1").await.text().await.unwrap();
        assert!(mine.contains("石家庄共享测试单位"));
        // …and has a 待阅消息 that opens the customer.
        let messages = guest.get("/tasks?tab=messages").await.text().await.unwrap();
        assert!(messages.contains("石家庄共享测试单位") && messages.contains("共享给您"));
        let start = messages.find("action=\"/messages/").unwrap() + 8;
        let message = messages[start..].split('"').next().unwrap().to_owned();
        assert_eq!(location(&guest.post_form(&message, &[]).await), target);
        assert_eq!(guest.get(&target).await.status(), 200);
        assert_eq!(guest.get(&format!("{target}/edit")).await.status(), 403);
        assert_eq!(post_edit(&guest, &target, "0312-0000000", "1").await.status(), 403);

        // Editable: now the edit goes through.
        app.post_form(&format!("{target}/share"), &[("user_id", &guest_id), ("access", "edit")]).await;
        assert_eq!(guest.get(&format!("{target}/edit")).await.status(), 200);

        // Someone who neither owns nor manages it cannot share it.
        let colleague = another_client(&app);
        colleague.login_as("sjz_am2").await;
        let forged = colleague.post_form(&format!("{target}/share"), &[("user_id", &guest_id), ("access", "edit")]).await;
        assert_eq!(forged.status(), 403);

        // Withdrawn: access ends at once.
        let withdrawn = app.post_form(&format!("{target}/unshare"), &[("user_id", &guest_id)]).await;
        assert_eq!(withdrawn.status(), 303);
        assert_eq!(guest.get(&target).await.status(), 403);
        assert!(!guest.get("/customers?shared=1").await.text().await.unwrap().contains("石家庄共享测试单位"));
        let id = target.rsplit('/').next().unwrap();
        let actions: Vec<_> = app.store.audit_trail("customer", id).await.unwrap()
            .into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["create", "share", "share", "unshare"]);
    }

    async fn copy_prefills_a_new_customer_from_one_in_scope_only(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄复制来源"), ("address", "石家庄市新华区")]).await);
        let id = target.rsplit('/').next().unwrap().to_owned();
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains(&format!("/customers/new?copy={id}")));
        let copy = app.get(&format!("/customers/new?copy={id}")).await.text().await.unwrap();
        assert!(copy.contains(r#"value="石家庄复制来源""#) && copy.contains("石家庄市新华区"));
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let theirs = outsider.get(&format!("/customers/new?copy={id}")).await.text().await.unwrap();
        assert!(!theirs.contains("石家庄复制来源") && !theirs.contains("石家庄市新华区"));
    }

    async fn contacts_are_edited_and_deleted_by_the_customers_editors(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄联系人维护单位")]).await);
        app.post_form(&format!("{target}/contacts/new"), &[("name", "钱科长"), ("mobile", "13700000000")]).await;
        let customer_id: i64 = target.rsplit('/').next().unwrap().parse().unwrap();
        let admin = server::policy::scope::Scope { viewer_id: 0, reach: server::policy::scope::Reach::All };
        let contact_id = app.store.contacts(&admin, customer_id).await.unwrap()[0].id;
        let edit_url = format!("/contacts/{contact_id}/edit");
        let page = app.get(&edit_url).await.text().await.unwrap();
        assert!(page.contains("编辑联系人") && page.contains(r#"value="钱科长""#));

        let refused = app.post_form(&edit_url, &[("name", ""), ("mobile", "13700000000")]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("此项为必填项"));
        let saved = app.post_form(&edit_url, &[("name", "孙科长"), ("mobile", "13700000000")]).await;
        assert_eq!((saved.status().as_u16(), location(&saved)), (303, target.clone()));
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("孙科长") && !page.contains("钱科长"));
        // The quick-find row follows the edit.
        let old = app.get("/customers/find?q=%E9%92%B1%E7%A7%91%E9%95%BF").await.text().await.unwrap();
        assert!(!old.contains("石家庄联系人维护单位"));

        let colleague = another_client(&app);
        colleague.login_as("sjz_am2").await;
        assert_eq!(colleague.get(&edit_url).await.status(), 403);
        assert_eq!(colleague.post_form(&format!("/contacts/{contact_id}/delete"), &[]).await.status(), 403);

        let deleted = app.post_form(&format!("/contacts/{contact_id}/delete"), &[]).await;
        assert_eq!((deleted.status().as_u16(), location(&deleted)), (303, target.clone()));
        assert!(app.get(&target).await.text().await.unwrap().contains("暂无联系人"));
        let actions: Vec<_> = app.store.audit_trail("contact", &contact_id.to_string()).await.unwrap()
            .into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["create", "update", "delete"]);
    }
}
