//! 公告: a monthly bulletin from the 商机管理员 for the whole province; the newest three
//! reached every user as a 待阅消息.

use super::people::People;
use super::writer::{Table, Writer};
use super::Window;
use chrono::Duration;

pub async fn generate(w: &mut Writer, people: &People, window: &Window) -> anyhow::Result<u64> {
    let mut next_id = w.number("SELECT MAX(id) FROM announcements").await? + 1;
    let mut announcements = Table::new(
        "announcements",
        "id, title, body, city_id, publisher_id, published_at, updated_at",
    );
    let mut messages = Table::new(
        "messages",
        "user_id, kind, announcement_id, title, created_at, read_at",
    );
    let months = (window.now - window.start).num_days() / 30;
    w.exec("BEGIN").await?;
    for m in 0..months {
        let at = window.start + Duration::days(30 * m + 1);
        let id = next_id;
        next_id += 1;
        let title = format!("{}商机工作通报", super::cst_day(at).format("%Y年%m月"));
        announcements.push(|r| {
            r.int(id)
                .text(&title)
                .text("各地市：请及时报备商机，按时处理待办审批，本月排名见首页。")
                .null()
                .int(people.opportunity_admin_id)
                .time(at)
                .time(at);
        });
        if m >= months - 3 {
            w.flush(&mut announcements).await?;
            for &user in &people.all_users {
                messages.push(|r| {
                    r.int(user)
                        .text("announcement")
                        .int(id)
                        .text(&title)
                        .time(at)
                        .null();
                });
                if messages.is_full() {
                    w.flush(&mut messages).await?;
                }
            }
        }
    }
    w.flush(&mut announcements).await?;
    w.flush(&mut messages).await?;
    w.exec("COMMIT").await?;
    Ok(announcements.written + messages.written)
}
