//! The lists of 客户管理 over HTTP: columns chosen per user, sorting by a column head, the
//! 负责人 filter and choice, and the 联系人 list with 新建联系人 by customer.

use crate::customer_pages::form;
use crate::helpers::*;
use server::db::DictKind;

/// The text of every `<th>` of the page's list, in order (the batch boxes' column left out).
fn headers(html: &str) -> Vec<String> {
    html.split("<th ")
        .skip(1)
        .filter(|th| {
            !th.split('>')
                .next()
                .unwrap_or("")
                .contains("class=\"select\"")
        })
        .filter_map(|s| s.split("</th>").next())
        .map(|cell| {
            // Drop the tags inside the cell.
            let mut text = String::new();
            let mut in_tag = true; // the rest of the <th …> tag comes first
            for ch in cell.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.trim().to_owned()
        })
        .collect()
}

/// The customer names of the list's rows, in order.
pub(crate) fn row_names(html: &str) -> Vec<String> {
    html.split("<tr>")
        .skip(2)
        .filter_map(|row| row.split("<a href=").nth(1))
        .filter_map(|link| link.split("\">").nth(1))
        .filter_map(|s| s.split("</a>").next())
        .map(str::to_owned)
        .collect()
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    app.store.user_by_login(login).await.unwrap().unwrap().id
}

on_both_databases! {
    async fn the_columns_a_user_chooses_are_remembered_for_that_user_only(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        assert_eq!(form(&app, &[("name", "列选择客户"), ("fax", "0311-7777777")]).await.status(), 303);
        let html = app.get("/customers").await.text().await.unwrap();
        assert_eq!(headers(&html), ["客户名称", "行业", "客户级别", "负责人", "登记日期", "电话"]);
        // (The page also carries its data for hydration: look at the table's cells.)
        assert!(!html.contains("<td>0311-7777777</td>"));

        let response = app.post_form("/prefs/columns", &[
            ("list", "customers"),
            ("col", "fax"),
            ("col", "industry"),
            ("col", "no-such-column"),
            ("back", "/customers?kind=potential"),
        ]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/customers?kind=potential");
        let html = app.get("/customers?kind=potential").await.text().await.unwrap();
        assert_eq!(headers(&html), ["客户名称", "行业", "传真"]);
        assert!(html.contains("<td>0311-7777777</td>"));
        // Checked as chosen in the chooser, the others not.
        let checkbox = |code: &str| {
            let tag = html.split(&format!(r#"id="col-customers-{code}""#)).nth(1).unwrap();
            tag.split('>').next().unwrap().contains("checked")
        };
        assert!(checkbox("fax") && checkbox("industry") && !checkbox("level"));

        let other = another_client(&app);
        other.login_as("sjz_am2").await;
        let theirs = other.get("/customers").await.text().await.unwrap();
        assert_eq!(headers(&theirs).len(), 6, "someone else's choice is not mine");

        // An unknown list, or a way off the site, changes nothing.
        assert_eq!(app.post_form("/prefs/columns", &[("list", "users"), ("col", "x")]).await.status(), 404);
        let away = app.post_form("/prefs/columns", &[("list", "customers"), ("back", "//evil.example")]).await;
        assert_eq!(location(&away), "/");
    }

    async fn a_column_head_sorts_the_list_and_a_second_click_reverses_it(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        for (name, day) in [("排序乙", "2026-11-03"), ("排序甲", "2026-11-01"), ("排序丙", "2026-11-02")] {
            assert_eq!(form(&app, &[("name", name), ("registered_on", day)]).await.status(), 303);
        }
        let by_name = app.get("/customers?sort=name").await.text().await.unwrap();
        let mut expected = vec!["排序乙", "排序甲", "排序丙"];
        expected.sort();
        assert_eq!(row_names(&by_name), expected);
        assert!(by_name.contains(r#"aria-sort="ascending""#));
        assert!(by_name.contains("sort=name_desc"), "the head now reverses the order");
        let reversed = app.get("/customers?sort=name_desc").await.text().await.unwrap();
        expected.reverse();
        assert_eq!(row_names(&reversed), expected);

        let by_date = app.get("/customers?sort=registered").await.text().await.unwrap();
        assert_eq!(row_names(&by_date), ["排序甲", "排序丙", "排序乙"]);
        let by_date_desc = app.get("/customers?sort=registered_desc").await.text().await.unwrap();
        assert_eq!(row_names(&by_date_desc), ["排序乙", "排序丙", "排序甲"]);
    }

    async fn a_city_manager_assigns_a_customer_within_the_city_and_filters_by_owner(db) {
        let app = spawn_app(db).await;
        let am2 = user_id(&app, "sjz_am2").await;
        let bd_am1 = user_id(&app, "bd_am1").await;
        app.login_as("sjz_vp1").await;
        let page = app.get("/customers/new").await.text().await.unwrap();
        assert!(page.contains("负责部门") && page.contains(r#"id="owner""#));
        assert!(!page.contains("保定客户经理1"), "only people of the manager's city are offered");

        let response = form(&app, &[("name", "分配给客户经理2"), ("owner_id", &am2.to_string())]).await;
        assert_eq!(response.status(), 303);
        let html = app.get(&location(&response)).await.text().await.unwrap();
        assert!(html.contains("石家庄客户经理2"));
        assert_eq!(form(&app, &[("name", "副总自己的客户")]).await.status(), 303);

        // A forged owner outside the city is refused beside the field, with the input kept.
        let forged = form(&app, &[("name", "伪造负责人"), ("owner_id", &bd_am1.to_string())]).await;
        assert_eq!(forged.status(), 422);
        let html = forged.text().await.unwrap();
        assert!(html.contains("选项无效") && html.contains("伪造负责人"));

        // 负责人 filter: only am2's.
        let filtered = app.get(&format!("/customers?owner_id={am2}")).await.text().await.unwrap();
        assert_eq!(row_names(&filtered), ["分配给客户经理2"]);

        // The new owner sees it as theirs; an account manager can name nobody else.
        let owner = another_client(&app);
        owner.login_as("sjz_am2").await;
        let theirs = owner.get("/customers").await.text().await.unwrap();
        assert!(theirs.contains("分配给客户经理2") && !theirs.contains("副总自己的客户"));
        assert!(!theirs.contains(r#"id="q-owner""#), "no 负责人 filter for one person");
        let am1 = user_id(&app, "sjz_am1").await;
        let forged = form(&owner, &[("name", "客户经理伪造"), ("owner_id", &am1.to_string())]).await;
        assert_eq!(forged.status(), 422);
    }

    async fn a_city_or_industry_role_lists_the_contacts_of_its_scope_newest_first(db) {
        let app = spawn_app(db).await;
        let industries = app.store.dictionary(DictKind::Industry).await.unwrap();
        let director = app.store.user_by_login("ind_gov").await.unwrap().unwrap();
        let theirs = industries.iter().find(|i| director.industry_ids.contains(&i.id)).unwrap().id.to_string();
        let other = industries.iter().find(|i| !director.industry_ids.contains(&i.id)).unwrap().id.to_string();
        // Contacts of 石家庄 (one customer in the director's industry) and of 保定.
        let mut added = Vec::new();
        for (login, name, industry) in [("sjz_am1", "石家庄联系客户", &theirs), ("bd_am1", "保定联系客户", &other)] {
            let owner = another_client(&app);
            owner.login_as(login).await;
            let customer = location(&form(&owner, &[("name", name), ("industry_id", industry)]).await);
            for n in 1..=3 {
                let contact = format!("{name}联系人{n}");
                let posted = owner.post_form(&format!("{customer}/contacts/new"), &[("name", contact.as_str())]).await;
                assert_eq!(posted.status(), 303);
                added.push(contact);
            }
        }
        let names = |html: &str| added.iter().filter(|c| html.contains(c.as_str())).cloned().collect::<Vec<_>>();
        let viewer = another_client(&app);
        viewer.login_as("sjz_vp1").await;
        let city = viewer.get("/contacts").await.text().await.unwrap();
        assert_eq!(names(&city), ["石家庄联系客户联系人1", "石家庄联系客户联系人2", "石家庄联系客户联系人3"]);
        let newest = city.find("石家庄联系客户联系人3").unwrap();
        assert!(newest < city.find("石家庄联系客户联系人1").unwrap(), "newest first");
        // The next page starts below the id given.
        let newest_id = scalar(db, &app.database_url, "SELECT MAX(k.id) FROM contacts k \
            JOIN customers c ON c.id = k.customer_id WHERE c.name = '石家庄联系客户'").await;
        let next = viewer.get(&format!("/contacts?after_id={newest_id}")).await.text().await.unwrap();
        assert_eq!(names(&next), ["石家庄联系客户联系人1", "石家庄联系客户联系人2"]);

        let industry = another_client(&app);
        industry.login_as("ind_gov").await;
        let html = industry.get("/contacts").await.text().await.unwrap();
        assert_eq!(names(&html), ["石家庄联系客户联系人1", "石家庄联系客户联系人2", "石家庄联系客户联系人3"]);
    }

    async fn the_contact_list_queries_contacts_in_scope_and_new_contact_starts_from_a_customer(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "联系人列表客户")]).await);
        let response = app.post_form(&format!("{target}/contacts/new"), &[
            ("name", "张联系"),
            ("mobile", "13800138000"),
            ("title", "主任"),
        ]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), target, "back to the customer's page");

        let html = app.get("/contacts").await.text().await.unwrap();
        assert!(html.contains("张联系") && html.contains("联系人列表客户") && html.contains("13800138000"));
        assert!(app.get("/contacts?phone=0013").await.text().await.unwrap().contains("张联系"));
        assert!(app.get("/contacts?customer=%E5%88%97%E8%A1%A8").await.text().await.unwrap().contains("张联系"));
        let none = app.get("/contacts?name=%E6%9D%8E").await.text().await.unwrap();
        assert!(!none.contains("张联系") && none.contains("暂无联系人"));

        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let theirs = outsider.get("/contacts").await.text().await.unwrap();
        assert!(!theirs.contains("张联系"), "contacts of customers out of scope stay hidden");

        // 新建联系人 from the list asks which customer, among those in scope.
        let choose = app.get("/contacts/new?q=%E8%81%94%E7%B3%BB%E4%BA%BA%E5%88%97%E8%A1%A8").await.text().await.unwrap();
        assert!(choose.contains(&format!("{target}/contacts/new")));
        let not_theirs = outsider.get("/contacts/new?q=%E8%81%94%E7%B3%BB%E4%BA%BA%E5%88%97%E8%A1%A8").await.text().await.unwrap();
        assert!(!not_theirs.contains(&format!("{target}/contacts/new")));
    }
}
