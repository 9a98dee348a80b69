//! 公告通知 over HTTP: who publishes, the audience (province or one city) and its 待阅消息,
//! text shown as text, the publisher's edit (stale refused) and 撤回, and the 附件's scope.

use crate::helpers::*;

/// The id at the end of a redirect to `/announcements/{id}`.
fn id_of(response: &reqwest::Response) -> String {
    location(response).rsplit('/').next().unwrap().to_owned()
}

/// The `version` hidden input of an edit page.
fn version(html: &str) -> String {
    html.split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

on_both_databases! {
    async fn announcements_reach_their_audience_as_text_and_their_publisher_manages_them(db) {
        let app = spawn_app(db).await;
        let admin = another_client(&app);
        admin.login_as("oppadmin").await;
        let am1 = another_client(&app);
        am1.login_as("sjz_am1").await;
        let bd = another_client(&app);
        bd.login_as("bd_am1").await;

        // Only publishers may: an account manager is refused, by page and by post.
        assert_eq!(am1.get("/announcements/new").await.status(), 403);
        assert_eq!(am1.post_form("/announcements/new", &[("title", "x"), ("body", "y")]).await.status(), 403);
        assert!(!am1.get("/announcements").await.text().await.unwrap().contains("/announcements/new"));

        // A refused form keeps what was typed.
        let refused = admin.post_form("/announcements/new", &[("title", ""), ("body", "保留的内容")]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("此项为必填项") && html.contains("保留的内容"));

        // To the province, with a file: markup in it is shown as text, lines kept.
        let title = "<script>alert(1)</script>十二月通知";
        let published = admin.post_multipart("/announcements/new", &[
            ("title", title), ("body", "第一行\n第二行"), ("city_id", ""),
        ], ("attachment", "通知.pdf", b"%PDF notice".to_vec())).await;
        assert_eq!(published.status(), 303);
        let province = id_of(&published);
        let page = am1.get(&format!("/announcements/{province}")).await.text().await.unwrap();
        assert!(!page.contains("<script>alert(1)</script>"), "never markup");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;十二月通知"));
        assert!(page.contains("第一行\n第二行"));
        let file = page.split("/attachments/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        assert_eq!(am1.get(&format!("/attachments/{file}")).await.bytes().await.unwrap().as_ref(), b"%PDF notice");
        let messages = am1.get("/tasks?tab=messages").await.text().await.unwrap();
        assert!(messages.contains("十二月通知") && messages.contains("公告"));
        let message = messages.split("/messages/").nth(1).unwrap().split('"').next().unwrap();
        let opened = am1.post_form(&format!("/messages/{message}"), &[]).await;
        assert_eq!(location(&opened), format!("/announcements/{province}"), "its 待阅消息 leads to it");
        assert!(bd.get("/tasks?tab=messages").await.text().await.unwrap().contains("十二月通知"));

        // To 保定 only: its people hear of it and see it; 石家庄's do not; province staff see it.
        let cities = admin.get("/announcements/new").await.text().await.unwrap();
        let baoding = cities.split("\">保定<").next().unwrap().rsplit("value=\"").next().unwrap().to_owned();
        let local = admin.post_multipart("/announcements/new", &[
            ("title", "保定专项通知"), ("body", "只给保定"), ("city_id", &baoding),
        ], ("attachment", "保定.pdf", b"bd".to_vec())).await;
        assert_eq!(local.status(), 303);
        let local_id = id_of(&local);
        assert!(bd.get("/tasks?tab=messages").await.text().await.unwrap().contains("保定专项通知"));
        assert!(bd.get("/announcements").await.text().await.unwrap().contains("保定专项通知"));
        assert!(!am1.get("/tasks?tab=messages").await.text().await.unwrap().contains("保定专项通知"));
        assert!(!am1.get("/announcements").await.text().await.unwrap().contains("保定专项通知"));
        assert_eq!(am1.get(&format!("/announcements/{local_id}")).await.status(), 403);
        let local_page = bd.get(&format!("/announcements/{local_id}")).await.text().await.unwrap();
        let local_file = local_page.split("/attachments/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        assert_eq!(am1.get(&format!("/attachments/{local_file}")).await.status(), 403);
        let prov = another_client(&app);
        prov.login_as("prov_am1").await;
        assert!(prov.get("/announcements").await.text().await.unwrap().contains("保定专项通知"));

        // The publisher edits; an edit over a newer version is refused with the input kept.
        let edit = admin.get(&format!("/announcements/{province}/edit")).await.text().await.unwrap();
        let v = version(&edit);
        assert_eq!(am1.get(&format!("/announcements/{province}/edit")).await.status(), 403);
        let changed = admin.post_form(&format!("/announcements/{province}/edit"), &[
            ("title", "十二月通知（修订）"), ("body", "第一行\n第二行\n第三行"), ("version", &v),
        ]).await;
        assert_eq!(changed.status(), 303);
        assert!(am1.get(&format!("/announcements/{province}")).await.text().await.unwrap().contains("第三行"));
        let stale = admin.post_form(&format!("/announcements/{province}/edit"), &[
            ("title", "过期的修改"), ("body", "b"), ("version", &v),
        ]).await;
        assert_eq!(stale.status(), 422);
        let html = stale.text().await.unwrap();
        assert!(html.contains("数据已被他人修改") && html.contains("过期的修改"));

        // 撤回: gone from the list and its page at once.
        assert_eq!(am1.post_form(&format!("/announcements/{province}/withdraw"), &[]).await.status(), 403);
        assert_eq!(admin.post_form(&format!("/announcements/{province}/withdraw"), &[]).await.status(), 303);
        assert!(!am1.get("/announcements").await.text().await.unwrap().contains("十二月通知"));
        assert_eq!(am1.get(&format!("/announcements/{province}")).await.status(), 404);
    }
}
