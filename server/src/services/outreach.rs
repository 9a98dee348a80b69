//! 邮件 / 短信 to contacts: only of customers the sender may edit (their owner, managers in
//! scope, an editable share); one message per customer to its chosen contacts, each kept on the
//! customer with how it went. Email needs an SMTP server; without one the form is refused with
//! what is missing. Text messages go through the configured gateway; the default one records
//! them and says no gateway is configured.

use super::Services;
use crate::db::customers::Contact;
use crate::db::outreach::NewOutreach;
use crate::db::Actor;
use crate::outreach::Delivery;
use crate::policy::scope::Scope;
use app::api::outreach::OutreachService;
use app::model::customer::FieldError;
use app::model::outreach::{Channel, OutreachDraft, OutreachForm, OutreachLogView, RecipientView};
use app::model::{AppError, CurrentUser};

/// The most contacts one compose page offers.
const MAX_RECIPIENTS: usize = 200;
/// Messages the customer page lists.
const LOG_SHOWN: i64 = 50;

/// What one send did: messages sent, failed, and recorded only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
    pub recorded: usize,
}

impl Services {
    /// The contacts `ids` whose customers the viewer may edit; `Forbidden` when one is not
    /// (a refusal says nothing of whose it is).
    async fn reachable_contacts(
        &self,
        viewer: &CurrentUser,
        ids: &[i64],
    ) -> Result<Vec<(Contact, String)>, AppError> {
        let mut found = Vec::with_capacity(ids.len());
        for &id in ids {
            let contact = self.store.contact(id).await?.ok_or(AppError::Forbidden)?;
            let customer = self.editable(viewer, contact.customer_id).await?;
            found.push((contact, customer.name));
        }
        Ok(found)
    }

    /// Sends the form's message: one per customer to its chosen contacts, each logged.
    pub async fn send_outreach(
        &self,
        viewer: &CurrentUser,
        form: &OutreachForm,
    ) -> Result<Sent, AppError> {
        let message = form.parse().map_err(AppError::Invalid)?;
        if message.contacts.len() > MAX_RECIPIENTS {
            return Err(AppError::Invalid(vec![FieldError::new(
                "contact",
                "outreach.too_many",
            )]));
        }
        if message.channel == Channel::Email && self.outreach.mailer.is_none() {
            return Err(AppError::Invalid(vec![FieldError::new(
                "channel",
                "outreach.email_not_configured",
            )]));
        }
        let contacts = self.reachable_contacts(viewer, &message.contacts).await?;
        let address = |c: &Contact| match message.channel {
            Channel::Email => c.email.clone().filter(|e| !e.trim().is_empty()),
            Channel::Sms => c.mobile.clone().filter(|m| !m.trim().is_empty()),
        };
        if contacts.iter().any(|(c, _)| address(c).is_none()) {
            let key = match message.channel {
                Channel::Email => "outreach.no_email",
                Channel::Sms => "outreach.no_mobile",
            };
            return Err(AppError::Invalid(vec![FieldError::new("contact", key)]));
        }
        // One message per customer, its contacts in the order chosen.
        let mut groups: Vec<(i64, Vec<(String, String)>)> = Vec::new();
        for (c, _) in &contacts {
            let to = (c.name.clone(), address(c).unwrap_or_default());
            match groups.iter_mut().find(|(id, _)| *id == c.customer_id) {
                Some((_, list)) => list.push(to),
                None => groups.push((c.customer_id, vec![to])),
            }
        }
        let mut sent = Sent::default();
        for (customer_id, to) in groups {
            let delivery = match (message.channel, &self.outreach.mailer) {
                (Channel::Email, Some(mailer)) => {
                    mailer.send(&to, &message.subject, &message.body).await
                }
                (Channel::Email, None) => Delivery::NotConfigured,
                (Channel::Sms, _) => {
                    let numbers: Vec<String> = to.iter().map(|(_, n)| n.clone()).collect();
                    self.outreach.sms.send(&numbers, &message.body).await
                }
            };
            match delivery {
                Delivery::Sent(_) => sent.sent += 1,
                Delivery::Failed(_) => sent.failed += 1,
                Delivery::NotConfigured => sent.recorded += 1,
            }
            let recipients = to
                .iter()
                .map(|(name, address)| match message.channel {
                    Channel::Email => format!("{name} <{address}>"),
                    Channel::Sms => format!("{name} {address}"),
                })
                .collect::<Vec<_>>()
                .join("; ");
            let entry = NewOutreach {
                customer_id,
                channel: message.channel.code().to_owned(),
                subject: message.subject.clone(),
                body: message.body.clone(),
                recipients,
                status: delivery.status().to_owned(),
                detail: delivery.detail().to_owned(),
            };
            self.store
                .log_outreach(&Actor::user(viewer.id, self.clock.now()), &entry)
                .await?;
        }
        Ok(sent)
    }

    /// The customer's newest messages, for its page (whoever sees the customer sees them).
    pub(crate) async fn outreach_log_views(
        &self,
        customer_id: i64,
    ) -> Result<Vec<OutreachLogView>, AppError> {
        Ok(self
            .store
            .outreach_log(customer_id, LOG_SHOWN)
            .await?
            .into_iter()
            .map(|m| OutreachLogView {
                at: crate::auth::login::china_time(m.created_at),
                channel: m.channel,
                sender: m.sender,
                recipients: m.recipients,
                subject: m.subject,
                body: m.body,
                status: m.status,
                detail: m.detail,
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl OutreachService for Services {
    async fn outreach_draft(
        &self,
        viewer: &CurrentUser,
        customer: Option<i64>,
        contacts: Vec<i64>,
    ) -> Result<OutreachDraft, AppError> {
        let found = match customer {
            Some(id) => {
                let c = self.editable(viewer, id).await?;
                self.store
                    .contacts(&Scope::of(viewer), id)
                    .await?
                    .into_iter()
                    .take(MAX_RECIPIENTS)
                    .map(|k| (k, c.name.clone()))
                    .collect()
            }
            None => {
                let offered = &contacts[..contacts.len().min(MAX_RECIPIENTS)];
                self.reachable_contacts(viewer, offered).await?
            }
        };
        Ok(OutreachDraft {
            recipients: found
                .into_iter()
                .map(|(k, customer)| RecipientView {
                    contact_id: k.id,
                    customer_id: k.customer_id,
                    customer,
                    name: k.name,
                    email: k.email,
                    mobile: k.mobile,
                })
                .collect(),
            customer_id: customer,
            email_missing: self
                .outreach
                .mailer
                .is_none()
                .then(|| "outreach.email_not_configured".to_owned()),
            sms_missing: (!self.outreach.sms.configured())
                .then(|| "outreach.sms_not_configured".to_owned()),
        })
    }
}
