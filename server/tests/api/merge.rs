//! 合并 (#16): everything of the merged customer moves to the survivor — nothing lost, nothing
//! doubled — the survivor takes the values chosen per field, the merged one's old address leads
//! to the survivor, and only who may edit both may merge.

use crate::filing::{business_type, customer, file, user_id};
use crate::helpers::*;

/// The rows that hang off customers `ids`, by table.
async fn related(db: Db, url: &str, ids: &str) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for (table, sql) in [
        ("opportunities", format!("SELECT COUNT(DISTINCT opportunity_id) FROM opportunity_customers WHERE customer_id IN ({ids})")),
        ("contacts", format!("SELECT COUNT(*) FROM contacts WHERE customer_id IN ({ids})")),
        ("activities", format!("SELECT COUNT(*) FROM activities WHERE customer_id IN ({ids})")),
        ("attachments", format!("SELECT COUNT(*) FROM attachments WHERE customer_id IN ({ids})")),
        ("messages", format!("SELECT COUNT(*) FROM messages WHERE customer_id IN ({ids})")),
        ("share users", format!("SELECT COUNT(DISTINCT user_id) FROM customer_shares WHERE customer_id IN ({ids})")),
        ("relations", format!("SELECT COUNT(*) FROM contact_relations WHERE customer_id IN ({ids})")),
        ("outreach", format!("SELECT COUNT(*) FROM outreach_messages WHERE customer_id IN ({ids})")),
    ] {
        counts.push((table, scalar(db, url, &sql).await));
    }
    counts
}

on_both_databases! {
    async fn a_merge_moves_everything_to_the_survivor_and_the_old_address_follows(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let (vp1, am2, am1) = (user_id(&app, "sjz_vp1").await, user_id(&app, "sjz_am2").await, user_id(&app, "sjz_am1").await);
        app.login_as("sjz_am1").await;
        let a = customer(&app, "合并甲").await;
        let b = customer(&app, "合并乙").await;
        for (c, name) in [(&a, "甲联系人1"), (&a, "甲联系人2"), (&b, "乙联系人")] {
            assert_eq!(app.post_form(&format!("/customers/{c}/contacts/new"), &[("name", name)]).await.status(), 303);
        }
        file(&app, "甲的商机", &a, vp1).await;
        file(&app, "乙的商机", &b, vp1).await;
        let both = app.post_form("/opportunities/new", &[
            ("name", "甲乙共同商机"), ("customer_id", &a), ("customer_id", &b),
            ("business_type_id", &business_type(&app).await), ("approver_id", &vp1.to_string()), ("action", "submit"),
        ]).await;
        assert_eq!(both.status(), 303);
        assert_eq!(app.post_files(&format!("/customers/{b}/files"), &[("乙的资料.pdf", b"pdf".to_vec())]).await.status(), 303);
        execute(db, &url, &format!(
            "INSERT INTO activities (kind, activity_date, customer_id, notes, created_by, created_at)
             VALUES ('visit', '2026-11-30', {b}, '拜访乙', {am1}, '2026-11-30T08:00:00Z')")).await;
        for c in [&a, &b] {
            execute(db, &url, &format!(
                "INSERT INTO customer_shares (customer_id, user_id, can_edit, shared_by, created_at)
                 VALUES ({c}, {am2}, FALSE, {am1}, '2026-11-30T08:00:00Z')")).await;
        }
        execute(db, &url, &format!(
            "INSERT INTO messages (user_id, kind, customer_id, title, created_at)
             VALUES ({am2}, 'shared', {b}, '合并乙', '2026-11-30T08:00:00Z')")).await;
        execute(db, &url, &format!(
            "INSERT INTO outreach_messages (customer_id, sender_id, channel, body, recipients, status, created_at)
             VALUES ({b}, {am1}, 'sms', '您好', '乙联系人 13800000000', 'not_configured', '2026-11-30T08:00:00Z')")).await;
        let b_contacts = app.get(&format!("/customers/{b}")).await.text().await.unwrap();
        assert!(b_contacts.contains("乙联系人"));
        // 乙 gets a relation between two of its contacts (甲's first contact moved over to it).
        execute(db, &url, &format!(
            "INSERT INTO contact_relations (customer_id, from_contact_id, to_contact_id, kind, created_by, created_at)
             SELECT {b}, MIN(k.id), MAX(k.id), 'colleague', {am1}, '2026-11-30T08:00:00Z'
             FROM contacts k WHERE k.customer_id IN ({a}, {b})")).await;
        execute(db, &url, &format!("UPDATE contacts SET customer_id = {b} WHERE id = (SELECT MIN(id) FROM contacts WHERE customer_id = {a})")).await;
        let before = related(db, &url, &format!("{a}, {b}")).await;
        assert_eq!(before.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [3, 3, 1, 1, 1, 1, 1, 1]);

        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let merge_fields = |va: &str, vb: &str| {
            vec![("a", a.clone()), ("b", b.clone()), ("version_a", va.to_owned()), ("version_b", vb.to_owned()),
                 ("survivor", "a".to_owned()), ("pick_address", "b".to_owned()), ("pick_name", "a".to_owned())]
        };
        let version = |id: &str| { let id = id.to_owned(); let url = url.clone(); async move {
            scalar(db, &url, &format!("SELECT version FROM customers WHERE id = {id}")).await.to_string() } };
        let (va, vb) = (version(&a).await, version(&b).await);
        let fields = merge_fields(&va, &vb);
        let as_refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(outsider.post_form("/customers/merge", &as_refs).await.status(), 403);
        assert_eq!(outsider.get(&format!("/customers/merge?a={a}&b={b}")).await.status(), 403);
        let page = app.get(&format!("/customers/merge?a={a}&b={b}")).await.text().await.unwrap();
        assert!(page.contains("合并甲") && page.contains("合并乙"));
        let stale = merge_fields(&va, "0");
        let stale: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = app.post_form(&format!("/customers/merge?a={a}&b={b}"), &stale).await;
        let status = refused.status();
        assert_eq!(status, 422, "a version moved on: {}", refused.text().await.unwrap());

        let merged = app.post_form(&format!("/customers/merge?a={a}&b={b}"), &as_refs).await;
        assert_eq!(location(&merged), format!("/customers/{a}?merged=1"));
        assert!(app.get(&format!("/customers/{a}?merged=1")).await.text().await.unwrap().contains("已合并"));
        assert_eq!(related(db, &url, &a).await, before, "nothing lost, nothing doubled");
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM customers WHERE id = {b}")).await, 0);
        assert_eq!(scalar(db, &url,
            "SELECT COUNT(*) FROM opportunity_customers oc JOIN opportunities o ON o.id = oc.opportunity_id
             WHERE o.name = '甲乙共同商机'").await, 1, "the shared opportunity keeps one row");
        assert_eq!(location(&app.get(&format!("/customers/{b}")).await), format!("/customers/{a}"));
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'merge' AND entity = 'customer' AND entity_id = '{b}'")).await, 1);
        let survivor = app.get(&format!("/customers/{a}")).await.text().await.unwrap();
        assert!(survivor.contains("乙联系人") && survivor.contains("乙的商机") && survivor.contains("乙的资料.pdf"));
    }
}
