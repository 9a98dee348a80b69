//! 附件 of customers and opportunities (#16): several at once, the size limit and type
//! allow-list refused beside the input, downloads only for those who see the record, deletion
//! by the uploader or the record's editors; nothing stored for a refused post.

use crate::filing::{customer, file, user_id};
use crate::helpers::*;

fn file_ids(html: &str) -> Vec<String> {
    html.split("href=\"/attachments/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

on_both_databases! {
    async fn a_customers_files_are_kept_shown_downloaded_within_scope_and_deleted(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let c = customer(&app, "附件客户").await;
        let files = format!("/customers/{c}/files");
        let up = app.post_files(&files, &[("方案.pdf", b"%PDF-1.4 plan".to_vec()), ("报价.XLSX", b"PK quote".to_vec())]).await;
        assert_eq!(location(&up), format!("/customers/{c}?uploaded=2#files"));
        let page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(page.contains("方案.pdf") && page.contains("报价.XLSX"));
        let ids = file_ids(&page);
        assert_eq!(ids.len(), 2);
        let got = app.get(&format!("/attachments/{}", ids[0])).await;
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.unwrap().as_ref(), b"%PDF-1.4 plan");

        let program = app.post_files(&files, &[("ok.pdf", b"x".to_vec()), ("setup.exe", b"MZ".to_vec())]).await;
        assert_eq!(program.status(), 422);
        assert!(program.text().await.unwrap().contains("不支持此类文件"));
        let big = app.post_files(&files, &[("大文件.pdf", vec![b'x'; 10 * 1024 * 1024 + 1])]).await;
        assert_eq!(big.status(), 422);
        assert!(big.text().await.unwrap().contains("文件不能超过 10 MB"));
        let none = app.post_files(&files, &[("", Vec::new())]).await;
        assert_eq!(none.status(), 422);
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM attachments WHERE customer_id = {c}")).await, 2,
            "a refused post keeps nothing");

        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        assert_eq!(outsider.get(&format!("/attachments/{}", ids[0])).await.status(), 403);
        assert_eq!(outsider.post_files(&files, &[("x.pdf", b"x".to_vec())]).await.status(), 403);
        assert_eq!(outsider.post_form(&format!("/attachments/{}/delete", ids[0]), &[]).await.status(), 403);
        let manager = another_client(&app);
        manager.login_as("sjz_vp1").await;
        assert_eq!(manager.get(&format!("/attachments/{}", ids[1])).await.status(), 200);
        let deleted = manager.post_form(&format!("/attachments/{}/delete", ids[1]), &[]).await;
        assert_eq!(location(&deleted), format!("/customers/{c}#files"));
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM attachments WHERE customer_id = {c}")).await, 1);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'attachment' AND action = 'delete' AND entity_id = '{}'", ids[1])).await, 1);
    }

    async fn an_opportunitys_files_follow_its_scope(db) {
        let app = spawn_app(db).await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "附件商机客户").await;
        let target = file(&app, "附件商机", &c, vp1).await;
        let up = app.post_files(&format!("{target}/files"), &[("合同草案.docx", b"PK draft".to_vec())]).await;
        assert_eq!(location(&up), format!("{target}?uploaded=1#files"));
        let page = app.get(&target).await.text().await.unwrap();
        let ids = file_ids(&page);
        assert!(page.contains("合同草案.docx") && ids.len() == 1);
        let approver = another_client(&app);
        approver.login_as("sjz_vp1").await;
        assert_eq!(approver.get(&format!("/attachments/{}", ids[0])).await.status(), 200);
        let other_city = another_client(&app);
        other_city.login_as("bd_vp1").await;
        assert_eq!(other_city.get(&format!("/attachments/{}", ids[0])).await.status(), 403);
    }
}
