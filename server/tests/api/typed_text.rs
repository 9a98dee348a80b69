//! Every text field keeps what was typed, and no page turns it into markup (#19): a payload
//! that closes a textarea, opens an element with a handler, a script, quotes, SQL and emoji, in
//! each text field of customers, contacts, activities, opportunities, opinions, announcements,
//! dictionary entries and org units; stored exactly (read back from the database) and, on every
//! page that shows it, present as text with no element made of it. (Chromium does the same for a
//! few of them in `end2end/tests/injection.spec.ts`.)

use crate::filing::{business_type, decide, first_task, user_id};
use crate::helpers::*;

/// The payload after each field's own tag.
const PAYLOAD: &str =
    "</textarea><img src=x onerror=alert(1)><script>alert(2)</script>'\";--😀ＡＢＣ";

/// A shorter one for the fields of 30 characters (dictionary entries, org units).
const SHORT: &str = "<img src=x onerror=1>'\"😀";

fn typed(tag: &str) -> String {
    format!("{tag}{PAYLOAD}")
}

fn short(tag: &str) -> String {
    format!("{tag}{SHORT}")
}

/// The page with every attribute value taken out: what is left is elements and text, where an
/// injected element would show (values are quoted with `"`, which Leptos escapes inside them).
fn outside_attributes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '=' && chars.peek() == Some(&'"') {
            chars.next();
            for v in chars.by_ref() {
                if v == '"' {
                    break;
                }
            }
            out.push_str("\"\"");
        }
    }
    out
}

/// The text of a refused form's page (what it says beside its fields).
async fn said(response: reqwest::Response) -> String {
    let html = response.text().await.unwrap_or_default();
    let body = html.split("<body").nth(1).unwrap_or_default();
    body.chars().filter(|c| !c.is_ascii()).collect()
}

/// `page` shows each of `tags` and makes no element of the payload.
async fn shows(client: &TestApp, page: &str, tags: &[&str]) {
    let response = client.get(page).await;
    assert_eq!(response.status(), 200, "{page}");
    let html = response.text().await.unwrap();
    let markup = outside_attributes(&html);
    assert!(
        !markup.contains("<img src=x"),
        "{page} made an element of the text"
    );
    assert!(
        !markup.contains("<script>alert(2)"),
        "{page} made a script of the text"
    );
    assert!(
        !markup.contains("</textarea><img"),
        "{page} closed a textarea"
    );
    for tag in tags {
        assert!(html.contains(tag), "{page} shows {tag}");
    }
}

on_both_databases! {
    async fn every_text_field_is_stored_as_typed_and_shown_as_text(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let stored = |sql: String| { let url = url.clone(); async move { text(db, &url, &sql).await } };

        // The administrator names a dictionary entry and a department.
        let admin = another_client(&app);
        admin.login_as("admin").await;
        let added = admin.post_form("/admin/dictionaries", &[
            ("kind", "industry"), ("action", "add"), ("label", &short("行业甲")), ("sort_order", "9"),
        ]).await;
        assert_eq!(added.status(), 303, "{}", said(added).await);
        let city = scalar(db, &url, "SELECT id FROM org_units WHERE name = '石家庄'").await.to_string();
        let unit = admin.post_form("/admin/org", &[
            ("action", "add"), ("name", &short("部门甲")), ("kind", "department"), ("parent_id", &city),
        ]).await;
        assert_eq!(unit.status(), 303, "{}", said(unit).await);
        assert_eq!(stored("SELECT label FROM dict_items WHERE label LIKE '行业甲%'".into()).await, short("行业甲"));
        assert_eq!(stored("SELECT name FROM org_units WHERE name LIKE '部门甲%'".into()).await, short("部门甲"));

        // An account manager: a customer, its contact, an activity, an opportunity.
        app.login_as("sjz_am1").await;
        let created = crate::customer_pages::form(&app, &[
            ("name", &typed("客户甲")), ("address", &typed("地址甲")), ("notes", &typed("备注甲")),
        ]).await;
        assert_eq!(created.status(), 303, "{}", said(created).await);
        let c = location(&created).rsplit('/').next().unwrap().to_owned();
        for (column, tag) in [("name", "客户甲"), ("address", "地址甲"), ("notes", "备注甲")] {
            assert_eq!(stored(format!("SELECT {column} FROM customers WHERE id = {c}")).await, typed(tag));
        }
        let contact = app.post_form(&format!("/customers/{c}/contacts/new"), &[
            ("name", &short("联系人甲")), ("title", &short("职务甲")),
            ("department", &short("部门乙")), ("notes", &typed("联系备注甲")),
        ]).await;
        assert_eq!(contact.status(), 303, "{}", said(contact).await);
        for (column, value) in [("name", short("联系人甲")), ("title", short("职务甲")), ("department", short("部门乙")), ("notes", typed("联系备注甲"))] {
            assert_eq!(stored(format!("SELECT {column} FROM contacts WHERE customer_id = {c}")).await, value);
        }
        let logged = app.post_form(&format!("/customers/{c}/activities/new"), &[
            ("kind", "visit"), ("date", "2026-11-20"), ("customer_id", &c), ("notes", &typed("活动甲")),
        ]).await;
        assert_eq!(logged.status(), 303, "{}", said(logged).await);
        assert_eq!(stored(format!("SELECT notes FROM activities WHERE customer_id = {c}")).await, typed("活动甲"));
        let vp1 = user_id(&app, "sjz_vp1").await.to_string();
        let filed = app.post_form("/opportunities/new", &[
            ("name", &typed("商机甲")), ("customer_id", &c), ("business_type_id", &business_type(&app).await),
            ("description", &typed("描述甲")), ("approver_id", &vp1), ("action", "submit"),
        ]).await;
        assert_eq!(filed.status(), 303, "{}", said(filed).await);
        let target = location(&filed).split('?').next().unwrap().to_owned();
        let o = target.rsplit('/').next().unwrap().to_owned();
        assert_eq!(stored(format!("SELECT name FROM opportunities WHERE id = {o}")).await, typed("商机甲"));
        assert_eq!(stored(format!("SELECT description FROM opportunities WHERE id = {o}")).await, typed("描述甲"));

        // The approver sees it on the task and returns it with an opinion.
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        shows(&deputy, &task, &["商机甲", "描述甲", "客户甲"]).await;
        shows(&deputy, "/tasks?tab=todo", &["商机甲"]).await;
        let returned = decide(&deputy, &task, "return", &typed("意见甲")).await;
        assert_eq!(returned.status(), 303, "{}", said(returned).await);
        assert_eq!(
            stored(format!("SELECT opinion FROM approval_records WHERE opportunity_id = {o} AND kind = 'return'")).await,
            typed("意见甲")
        );

        // The 商机管理员 publishes an announcement.
        let publisher = another_client(&app);
        publisher.login_as("oppadmin").await;
        let published = publisher.post_multipart("/announcements/new", &[
            ("title", &typed("公告甲")), ("body", &typed("正文甲")), ("city_id", ""),
        ], ("file", "附件.pdf", b"%PDF-1.4".to_vec())).await;
        assert_eq!(published.status(), 303, "{}", said(published).await);
        let a = location(&published).split('?').next().unwrap().to_owned();
        assert_eq!(stored("SELECT title FROM announcements WHERE title LIKE '公告甲%'".into()).await, typed("公告甲"));
        assert_eq!(stored("SELECT body FROM announcements WHERE title LIKE '公告甲%'".into()).await, typed("正文甲"));

        // Every page that shows them, as its readers.
        shows(&app, &format!("/customers/{c}"), &["客户甲", "地址甲", "备注甲", "联系人甲", "职务甲", "活动甲"]).await;
        shows(&app, &format!("/customers/{c}/edit"), &["客户甲", "地址甲", "备注甲"]).await;
        shows(&app, &format!("/customers/new?copy={c}"), &["地址甲", "备注甲", "行业甲"]).await;
        shows(&app, "/customers", &["客户甲"]).await;
        shows(&app, "/contacts", &["联系人甲"]).await;
        shows(&app, "/activities", &["活动甲"]).await;
        shows(&app, &target, &["商机甲", "描述甲", "意见甲", "客户甲"]).await;
        shows(&app, "/opportunities", &["商机甲"]).await;
        shows(&app, "/tasks?tab=todo", &["商机甲"]).await;
        shows(&app, &format!("{target}/edit"), &["商机甲", "描述甲"]).await;
        shows(&app, "/", &["公告甲"]).await;
        shows(&app, "/announcements", &["公告甲"]).await;
        shows(&app, &a, &["公告甲", "正文甲"]).await;
        shows(&admin, "/admin/dictionaries", &["行业甲"]).await;
        shows(&admin, "/admin/org", &["部门甲"]).await;
        shows(&admin, "/admin/users/new", &["部门甲"]).await;
    }
}

#[test]
fn attribute_values_are_taken_out_and_elements_kept() {
    let html = r#"<input value="</textarea><img src=x>"><p>a&lt;img&gt;</p><img src="y">"#;
    assert_eq!(
        outside_attributes(html),
        r#"<input value=""><p>a&lt;img&gt;</p><img src="">"#
    );
}
