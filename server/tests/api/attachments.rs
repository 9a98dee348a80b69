//! 附件 over HTTP: a contract file posted with 签约信息 survives a refused post, belongs to the
//! signing, and is downloadable by exactly those who may see the opportunity.

use crate::filing::{first_task, user_id};
use crate::helpers::*;
use crate::lifecycle::filed;
use server::db::attachments::NewAttachment;
use server::db::Actor;

/// The value of the hidden input `name` in `html`.
fn hidden(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no {name} in the page"))
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

on_both_databases! {
    async fn a_contract_file_survives_a_refusal_and_only_those_who_see_the_opportunity_download_it(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "附件商机F").await;
        let director = user_id(&app, "ind_gov").await.to_string();
        let contract = b"%PDF-1.4 contract of HT-F".to_vec();

        // A refused post keeps the file it carried: the page holds it for the next post.
        let refused = app.post_multipart(&format!("{target}/sign"), &[
            ("contract_no", "HT-F"), ("amount", "1200"), ("signed_on", "2099-01-01"), ("approver_id", &director),
        ], ("attachment", "合同.pdf", contract.clone())).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("签约日期不能晚于今天") && html.contains("合同.pdf"));
        let file = hidden(&html, "attachment_id");

        // A file over 10 MB is refused beside its field, with what was typed kept.
        let big = app.post_multipart(&format!("{target}/sign"), &[
            ("contract_no", "HT-F"), ("amount", "1200"), ("signed_on", "2026-01-01"), ("approver_id", &director),
        ], ("attachment", "big.pdf", vec![0u8; 10 * 1024 * 1024 + 1])).await;
        assert_eq!(big.status(), 422);
        let html = big.text().await.unwrap();
        assert!(html.contains("文件不能超过 10 MB") && html.contains("HT-F"));

        // Someone else's file cannot be claimed by its id.
        let other = user_id(&app, "sjz_am2").await;
        let foreign = app.store.insert_attachment(
            &Actor::user(other, chrono::Utc::now()),
            &NewAttachment { file_name: "x.pdf", content_type: "application/pdf", data: b"x", sha256: "00".into() },
            i64::MAX,
        ).await.unwrap().unwrap();
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let claimed = app.post_form(&format!("{target}/sign"), &[
            ("contract_no", "HT-F"), ("amount", "1200"), ("signed_on", &today), ("approver_id", &director),
            ("attachment_id", &foreign.to_string()), ("attachment_name", "x.pdf"),
        ]).await;
        assert_eq!(claimed.status(), 422);
        assert!(claimed.text().await.unwrap().contains("选项无效"));

        // The held file goes with the signing.
        let signed = app.post_form(&format!("{target}/sign"), &[
            ("contract_no", "HT-F"), ("amount", "1200"), ("signed_on", &today), ("approver_id", &director),
            ("attachment_id", &file), ("attachment_name", "合同.pdf"),
        ]).await;
        assert_eq!(signed.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains(&format!("/attachments/{file}")) && page.contains("合同.pdf"));
        let download = app.get(&format!("/attachments/{file}")).await;
        assert_eq!(download.status(), 200);
        let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment;") && disposition.contains("%E5%90%88%E5%90%8C.pdf"));
        assert_eq!(download.bytes().await.unwrap().to_vec(), contract);

        // The approver sees it on the task; someone of another city may not download it.
        let gov = another_client(&app);
        gov.login_as("ind_gov").await;
        let task = first_task(&gov.get("/tasks?tab=todo").await.text().await.unwrap());
        assert!(gov.get(&task).await.text().await.unwrap().contains(&format!("/attachments/{file}")));
        assert_eq!(gov.get(&format!("/attachments/{file}")).await.status(), 200);
        let stranger = another_client(&app);
        stranger.login_as("bd_am1").await;
        assert_eq!(stranger.get(&format!("/attachments/{file}")).await.status(), 403);
        // Nor may anyone but its uploader read a file nothing holds yet.
        assert_eq!(app.get(&format!("/attachments/{foreign}")).await.status(), 403);

        // A day after, files no record holds are dropped; held and recent ones stay.
        let two_days_ago = chrono::Utc::now() - chrono::Duration::days(2);
        let abandoned = app.store.insert_attachment(
            &Actor::user(other, two_days_ago),
            &NewAttachment { file_name: "old.pdf", content_type: "application/pdf", data: b"o", sha256: "00".into() },
            i64::MAX,
        ).await.unwrap().unwrap();
        let day_ago = chrono::Utc::now() - chrono::Duration::days(1);
        assert_eq!(app.store.purge_unattached(&Actor::system(chrono::Utc::now()), day_ago).await.unwrap(), 1);
        assert!(app.store.attachment_meta(abandoned).await.unwrap().is_none());
        assert!(app.store.attachment_meta(foreign).await.unwrap().is_some(), "recent: kept");
        // Whatever its age, a file a signing holds stays.
        let later = chrono::Utc::now() + chrono::Duration::minutes(1);
        assert_eq!(app.store.purge_unattached(&Actor::system(later), later).await.unwrap(), 1);
        assert!(app.store.attachment_meta(foreign).await.unwrap().is_none());
        let held: i64 = file.parse().unwrap();
        assert!(app.store.attachment_meta(held).await.unwrap().is_some(), "held by the signing");
        assert_eq!(app.get(&format!("/attachments/{file}")).await.status(), 200);
    }
}
