//! 联系人关系图 (#16): relations between one customer's contacts, added and removed by its
//! editors, drawn as SVG by the server with the names escaped.

use crate::filing::customer;
use crate::helpers::*;

/// The ids of the contacts on a customer's page, in order.
fn contact_ids(page: &str) -> Vec<String> {
    let mut ids: Vec<String> = page
        .split("/contacts/")
        .skip(1)
        .filter_map(|s| s.split('/').next())
        .filter(|id| id.parse::<i64>().is_ok())
        .map(str::to_owned)
        .collect();
    ids.dedup();
    ids
}

on_both_databases! {
    async fn an_editor_draws_relations_between_a_customers_contacts(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "关系图客户").await;
        for name in ["王总", "李经理", "张<b>工"] {
            assert_eq!(app.post_form(&format!("/customers/{c}/contacts/new"), &[("name", name)]).await.status(), 303);
        }
        let other = customer(&app, "另一客户").await;
        assert_eq!(app.post_form(&format!("/customers/{other}/contacts/new"), &[("name", "外人")]).await.status(), 303);
        let ids = contact_ids(&app.get(&format!("/customers/{c}")).await.text().await.unwrap());
        let stranger = contact_ids(&app.get(&format!("/customers/{other}")).await.text().await.unwrap());
        assert_eq!(ids.len(), 3);
        let path = format!("/customers/{c}/relations");
        let add = |from: String, to: String, kind: &'static str| {
            let (app, path) = (&app, path.clone());
            async move { app.post_form(&path, &[("action", "add"), ("from", &from), ("to", &to), ("kind", kind)]).await }
        };
        assert_eq!(location(&add(ids[0].clone(), ids[1].clone(), "superior").await), format!("/customers/{c}#relations"));
        assert_eq!(add(ids[2].clone(), ids[0].clone(), "influences").await.status(), 303);
        let again = add(ids[0].clone(), ids[1].clone(), "superior").await;
        assert_eq!(again.status(), 422);
        assert!(again.text().await.unwrap().contains("这条关系已存在"));
        let own = add(ids[1].clone(), ids[1].clone(), "colleague").await;
        assert!(own.text().await.unwrap().contains("不能与自己建立关系"));
        let outside = add(ids[0].clone(), stranger[0].clone(), "colleague").await;
        assert_eq!(outside.status(), 422);
        assert!(outside.text().await.unwrap().contains("只能在本客户的联系人之间建立关系"));

        let page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        let svg = page.split("class=\"contact-graph\"").nth(1).unwrap().split("</svg>").next().unwrap();
        assert_eq!(svg.matches("<line").count(), 2);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("王总") && svg.contains("上级") && svg.contains("影响"));
        assert!(svg.contains("张&lt;b&gt;工") && !svg.contains("<b>"), "names are text, escaped");

        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        assert_eq!(outsider.post_form(&path, &[("action", "add"), ("from", &ids[0]), ("to", &ids[2]), ("kind", "colleague")]).await.status(), 403);
        let relation = scalar(db, &app.database_url, &format!(
            "SELECT MIN(id) FROM contact_relations WHERE customer_id = {c}")).await.to_string();
        assert_eq!(app.post_form(&path, &[("action", "delete"), ("id", &relation)]).await.status(), 303);
        let page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        let svg = page.split("class=\"contact-graph\"").nth(1).unwrap().split("</svg>").next().unwrap();
        assert_eq!(svg.matches("<line").count(), 1);
    }
}
