//! The customer page's 邮件 / 短信: 发邮件 / 短信 for its editors, and every message sent to its
//! contacts with how it went (未配置 shows a message that was recorded but not sent).

use crate::i18n::t;
use crate::model::outreach::OutreachLogView;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn OutreachLog(customer_id: i64, log: Vec<OutreachLogView>, can_send: bool) -> impl IntoView {
    let compose = format!("{}?customer={customer_id}", paths::OUTREACH.path());
    view! {
        <div class="panel" id="outreach">
            <h2>{t("outreach.log")}</h2>
            {can_send.then(|| view! {
                <p><a href=compose class="button secondary">{t("outreach.compose")}</a></p>
            })}
            {if log.is_empty() {
                view! { <p class="notice">{t("outreach.none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="list outreach-log">
                            <thead>
                                <tr>
                                    <th scope="col">{t("outreach.at")}</th>
                                    <th scope="col">{t("outreach.channel")}</th>
                                    <th scope="col">{t("outreach.sender")}</th>
                                    <th scope="col">{t("outreach.to")}</th>
                                    <th scope="col">{t("outreach.subject")}</th>
                                    <th scope="col">{t("outreach.body")}</th>
                                    <th scope="col">{t("outreach.status")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {log.into_iter().map(|m| {
                                    let channel = if m.channel == "email" { "outreach.email" } else { "outreach.sms" };
                                    let status = format!("outreach.status.{}", m.status);
                                    view! {
                                        <tr>
                                            <td>{m.at}</td>
                                            <td>{t(channel)}</td>
                                            <td>{m.sender}</td>
                                            <td>{m.recipients}</td>
                                            <td>{m.subject}</td>
                                            <td class="message-body">{m.body}</td>
                                            <td data-status=m.status.clone()>{t(&status)}
                                                {(!m.detail.is_empty()).then(|| format!("（{}）", m.detail))}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}
