//! 邮件 / 短信: the contacts it may go to (a customer's, or those ticked on the 联系人 list),
//! 邮件 or 短信, 主题 and 内容, 发送. When email or a text-message gateway is not configured the
//! page says so, and a message is never shown as sent when it was not. A plain form post.

use crate::api::outreach::load_outreach_draft;
use crate::components::form_check::field_message;
use crate::components::text_area::TextArea;
use crate::i18n::t;
use crate::model::outreach::{Channel, OutreachDraft, SubmittedOutreach};
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

/// What the address asks for: the customer, the contacts, and the result of the last send.
#[derive(Debug, Clone, Default, PartialEq)]
struct Asked {
    customer: Option<i64>,
    contacts: Vec<i64>,
    /// (sent, failed, recorded only), after a send.
    result: Option<(String, String, String)>,
    /// The address again (the form posts there, so a refused send shows the same page).
    address: String,
}

#[component]
pub fn OutreachPage() -> impl IntoView {
    let query = use_query();
    let asked = move || {
        query.with(|q| {
            let contacts: Vec<i64> = q
                .get_all("contact")
                .unwrap_or_default()
                .iter()
                .filter_map(|c| c.parse().ok())
                .collect();
            let customer: Option<i64> = q.get("customer").and_then(|c| c.parse().ok());
            let mut pairs: Vec<String> = customer.iter().map(|c| format!("customer={c}")).collect();
            pairs.extend(contacts.iter().map(|c| format!("contact={c}")));
            let address = match pairs.is_empty() {
                true => paths::OUTREACH.path().to_owned(),
                false => format!("{}?{}", paths::OUTREACH.path(), pairs.join("&")),
            };
            Asked {
                customer,
                result: q.get("sent").map(|sent| {
                    (
                        sent,
                        q.get("failed").unwrap_or_default(),
                        q.get("recorded").unwrap_or_default(),
                    )
                }),
                address,
                contacts,
            }
        })
    };
    let draft = Resource::new(
        move || {
            let a = asked();
            let ids: Vec<String> = a.contacts.iter().map(i64::to_string).collect();
            (a.customer, ids.join(","))
        },
        |(customer, contacts)| load_outreach_draft(customer, contacts),
    );
    let submitted = SharedValue::new(use_context::<SubmittedOutreach>).into_inner();
    record_page(draft, move |d| {
        let (asked, submitted) = (asked(), submitted.clone());
        view! { <Compose d asked submitted/> }
    })
}

#[component]
fn Compose(d: OutreachDraft, asked: Asked, submitted: Option<SubmittedOutreach>) -> impl IntoView {
    let s = submitted.unwrap_or_default();
    let errors = s.errors.clone();
    let form = s.form;
    let fresh = form.channel.is_empty() && errors.is_empty();
    let chosen = |id: i64| {
        if fresh {
            asked.contacts.contains(&id)
        } else {
            form.chose(id)
        }
    };
    let channel = Channel::from_code(&form.channel).unwrap_or(Channel::Email);
    let back = d
        .customer_id
        .map(|id| format!("{}#outreach", paths::CUSTOMER.of(id)));
    let result = asked.result.clone().map(|(sent, failed, recorded)| {
        view! {
            <p class="notice" role="status">
                {t("outreach.result_sent")}" "{sent}"，"{t("outreach.result_failed")}" "{failed}
                "，"{t("outreach.result_recorded")}" "{recorded}
            </p>
        }
    });
    let rows = d
        .recipients
        .iter()
        .map(|r| {
            let id = format!("to-{}", r.contact_id);
            let label = format!("{} · {}", r.customer, r.name);
            view! {
                <tr>
                    <td class="select">
                        <input id=id.clone() type="checkbox" name="contact" value=r.contact_id.to_string()
                            checked=chosen(r.contact_id) aria-label=label/>
                    </td>
                    <td><label for=id>{r.name.clone()}</label></td>
                    <td>{r.customer.clone()}</td>
                    <td>{r.email.clone().unwrap_or_default()}</td>
                    <td>{r.mobile.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page outreach">
            <div class="page-head">
                <h1>{t("outreach.title")}</h1>
                {back.map(|href| view! { <a href=href class="button secondary">{t("common.back")}</a> })}
            </div>
            {result}
            {d.email_missing.clone().map(|key| view! { <p class="warning" role="status">{t(&key)}</p> })}
            {d.sms_missing.clone().map(|key| view! { <p class="warning" role="status">{t(&key)}</p> })}
            <form method="post" action=asked.address.clone() class="form">
                {d.customer_id.map(|id| view! { <input type="hidden" name="customer" value=id.to_string()/> })}
                {field_message(&errors, "")}
                <fieldset>
                    <legend>{t("outreach.to")}</legend>
                    {field_message(&errors, "contact")}
                    {if d.recipients.is_empty() {
                        view! { <p class="notice">{t("outreach.nobody")}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="list">
                                    <thead>
                                        <tr>
                                            <th scope="col" class="select"><span class="sr-only">{t("batch.select")}</span></th>
                                            <th scope="col">{t("contact.name")}</th>
                                            <th scope="col">{t("contact.customer")}</th>
                                            <th scope="col">{t("contact.email")}</th>
                                            <th scope="col">{t("contact.mobile")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </fieldset>
                <div class="field">
                    <label for="outreach-channel">{t("outreach.channel")}</label>
                    <select id="outreach-channel" name="channel">
                        {Channel::ALL.into_iter().map(|c| view! {
                            <option value=c.code() selected=c == channel>{t(c.label_key())}</option>
                        }).collect_view()}
                    </select>
                    {field_message(&errors, "channel")}
                </div>
                <div class="field">
                    <label for="outreach-subject">{t("outreach.subject")}</label>
                    <input id="outreach-subject" name="subject" type="text" value=form.subject.clone()/>
                    {field_message(&errors, "subject")}
                </div>
                <div class="field">
                    <label for="outreach-body">{t("outreach.body")}</label>
                    <TextArea id="outreach-body" name="body" rows=6 value=form.body.clone()/>
                    {field_message(&errors, "body")}
                </div>
                <button type="submit">{t("outreach.send")}</button>
            </form>
        </section>
    }
}
