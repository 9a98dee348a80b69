//! How 邮件 and 短信 leave the application: email through an SMTP server when one is configured
//! (`BIZOPP_SMTP_URL`, `BIZOPP_SMTP_FROM`), text messages through an [`SmsGateway`]. The default
//! gateway sends nothing: the message is recorded and the page says no gateway is configured.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;

/// Where email goes: the SMTP server's address (`smtp://host:port`, `smtp://user:pass@host?tls=required`,
/// `smtps://…`) and the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub url: String,
    pub from: String,
}

/// How a message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent(String),
    Failed(String),
    /// Recorded only: nothing is configured to send it.
    NotConfigured,
}

impl Delivery {
    pub fn status(&self) -> &'static str {
        match self {
            Delivery::Sent(_) => "sent",
            Delivery::Failed(_) => "failed",
            Delivery::NotConfigured => "not_configured",
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Delivery::Sent(d) | Delivery::Failed(d) => d,
            Delivery::NotConfigured => "",
        }
    }
}

/// A way to send text messages (an operator's SMS platform).
#[async_trait::async_trait]
pub trait SmsGateway: Send + Sync {
    /// Whether it sends at all.
    fn configured(&self) -> bool;

    /// Sends `text` to the mobile numbers `to`.
    async fn send(&self, to: &[String], text: &str) -> Delivery;
}

/// The gateway when none is configured: sends nothing, says so.
pub struct NoSmsGateway;

#[async_trait::async_trait]
impl SmsGateway for NoSmsGateway {
    fn configured(&self) -> bool {
        false
    }

    async fn send(&self, _to: &[String], _text: &str) -> Delivery {
        Delivery::NotConfigured
    }
}

/// Email, when an SMTP server is configured.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer of `settings`, or why they do not describe one.
    pub fn new(settings: &SmtpSettings) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .map_err(|e| anyhow::anyhow!("BIZOPP_SMTP_URL is not an SMTP address: {e}"))?
            .build();
        let from = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("BIZOPP_SMTP_FROM is not an address: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one message to `to` (name, address), each a visible recipient.
    pub async fn send(&self, to: &[(String, String)], subject: &str, body: &str) -> Delivery {
        let mut message = Message::builder().from(self.from.clone()).subject(subject);
        let mut any = false;
        for (name, address) in to {
            match address.parse() {
                Ok(address) => {
                    message = message.to(Mailbox::new(Some(name.clone()), address));
                    any = true;
                }
                Err(_) => return Delivery::Failed(format!("invalid address: {address}")),
            }
        }
        if !any {
            return Delivery::Failed("no recipient".into());
        }
        let message = match message
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
        {
            Ok(message) => message,
            Err(e) => return Delivery::Failed(e.to_string()),
        };
        match self.transport.send(message).await {
            Ok(response) => Delivery::Sent(response.message().collect::<Vec<_>>().join(" ")),
            Err(e) => {
                tracing::warn!(error = %e, "email not sent");
                Delivery::Failed(e.to_string())
            }
        }
    }
}

/// Both ways out, as the services use them.
#[derive(Clone)]
pub struct Outreach {
    pub mailer: Option<Arc<Mailer>>,
    pub sms: Arc<dyn SmsGateway>,
}

impl Default for Outreach {
    fn default() -> Self {
        Self {
            mailer: None,
            sms: Arc::new(NoSmsGateway),
        }
    }
}

impl Outreach {
    /// Email through `smtp` when given; text messages recorded only.
    pub fn new(smtp: Option<&SmtpSettings>) -> anyhow::Result<Self> {
        Ok(Self {
            mailer: smtp.map(Mailer::new).transpose()?.map(Arc::new),
            ..Self::default()
        })
    }
}
