//! 邮件 / 短信 (#16): to contacts of customers the sender may edit; email through the configured
//! SMTP server (here an in-process sink that speaks enough SMTP), refused with what is missing
//! when none is; text messages recorded and said to be unsent without a gateway; every message
//! kept on the customer with its status.

use crate::filing::customer;
use crate::helpers::*;
use server::outreach::SmtpSettings;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message the sink took: its envelope recipients and its text.
#[derive(Debug, Clone, Default)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// An SMTP server on a free port that accepts every message and keeps it.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ready\r\n").await;
                let mut current = Received::default();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        current
                            .to
                            .push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go on\r\n").await;
                        while let Ok(Some(data)) = lines.next_line().await {
                            if data == "." {
                                break;
                            }
                            current.data.push_str(&data);
                            current.data.push('\n');
                        }
                        inbox.lock().unwrap().push(std::mem::take(&mut current));
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, inbox)
}

/// The application with email going to `port`.
async fn spawn_with_smtp(db: Db, port: u16) -> TestApp {
    spawn_app_with(db, Arc::new(server::clock::SystemClock), |settings| {
        settings.smtp = Some(SmtpSettings {
            url: format!("smtp://127.0.0.1:{port}"),
            from: "商机管理系统 <noreply@example.com>".into(),
        });
    })
    .await
}

/// A contact of `customer` with an email address and a mobile number; its id.
async fn contact(app: &TestApp, db: Db, customer: &str, name: &str, email: &str) -> String {
    let response = app
        .post_form(
            &format!("/customers/{customer}/contacts/new"),
            &[("name", name), ("email", email), ("mobile", "13800000000")],
        )
        .await;
    assert_eq!(response.status(), 303);
    scalar(
        db,
        &app.database_url,
        &format!("SELECT MAX(id) FROM contacts WHERE name = '{name}'"),
    )
    .await
    .to_string()
}

on_both_databases! {
    async fn without_configuration_email_is_refused_and_a_text_is_recorded_as_unsent(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let c = customer(&app, "短信客户").await;
        let k = contact(&app, db, &c, "短信联系人", "sms@example.com").await;
        let page = app.get(&format!("/outreach?customer={c}")).await.text().await.unwrap();
        assert!(page.contains("未配置邮件服务器") && page.contains("未配置短信网关"), "the page says what is missing");
        assert!(page.contains("短信联系人"));

        let email = app.post_form(&format!("/outreach?customer={c}"), &[
            ("channel", "email"), ("contact", &k), ("subject", "你好"), ("body", "内容"), ("customer", &c)]).await;
        assert_eq!(email.status(), 422);
        let refused = email.text().await.unwrap();
        assert!(refused.contains("未配置邮件服务器") && refused.contains("内容"), "what was typed is kept");
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM outreach_messages").await, 0, "nothing pretended");

        let sms = app.post_form(&format!("/outreach?customer={c}"), &[
            ("channel", "sms"), ("contact", &k), ("body", "明天拜访"), ("customer", &c)]).await;
        assert_eq!(location(&sms), format!("/outreach?sent=0&failed=0&recorded=1&customer={c}"));
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM outreach_messages WHERE customer_id = {c} AND channel = 'sms'
             AND status = 'not_configured' AND recipients = '短信联系人 13800000000'")).await, 1);
        let customer_page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(customer_page.contains("明天拜访") && customer_page.contains("未发送（未配置）"));

        // More than a compose page offers is refused whole, not cut short.
        let many: Vec<String> = (1..=201).map(|n| n.to_string()).collect();
        let mut fields = vec![("channel", "sms"), ("body", "x")];
        fields.extend(many.iter().map(|id| ("contact", id.as_str())));
        let too_many = app.post_form("/outreach", &fields).await;
        assert_eq!(too_many.status(), 422);
        assert!(too_many.text().await.unwrap().contains("一次最多发送给 200 位联系人"));

        // Someone who may not edit the customer sends nothing to its contacts, nor sees them.
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        assert_eq!(outsider.get(&format!("/outreach?customer={c}")).await.status(), 403);
        let forged = outsider.post_form("/outreach", &[("channel", "sms"), ("contact", &k), ("body", "x")]).await;
        assert_eq!(forged.status(), 403);
        assert!(!outsider.get(&format!("/outreach?contact={k}")).await.text().await.unwrap().contains("短信联系人"));
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM outreach_messages").await, 1);
    }

    async fn email_reaches_the_smtp_server_with_its_subject_and_recipients(db) {
        let (port, inbox) = smtp_sink().await;
        let app = spawn_with_smtp(db, port).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let c = customer(&app, "邮件客户").await;
        let a = contact(&app, db, &c, "邮件联系人甲", "jia@example.com").await;
        let b = contact(&app, db, &c, "邮件联系人乙", "yi@example.com").await;
        let page = app.get("/contacts?name=邮件联系人").await.text().await.unwrap();
        assert!(page.contains("form=\"outreach-pick\""), "the contact list ticks contacts for it");
        let compose = app.get(&format!("/outreach?contact={a}&contact={b}")).await.text().await.unwrap();
        assert!(!compose.contains("未配置邮件服务器"));

        let sent = app.post_form("/outreach", &[
            ("channel", "email"), ("contact", &a), ("contact", &b),
            ("subject", "Visit plan"), ("body", "下周二上午拜访。")]).await;
        assert_eq!(location(&sent), "/outreach?sent=1&failed=0&recorded=0");
        let inbox = inbox.lock().unwrap().clone();
        assert_eq!(inbox.len(), 1, "one message for the customer");
        assert_eq!(inbox[0].to, ["jia@example.com", "yi@example.com"]);
        assert!(inbox[0].data.contains("Subject: Visit plan"), "{}", inbox[0].data);
        assert!(inbox[0].data.contains("noreply@example.com"));
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM outreach_messages WHERE customer_id = {c} AND status = 'sent'
             AND subject = 'Visit plan'")).await, 1);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'send' AND entity_id = '{c}'")).await, 1);
    }
}
