-- 邮件 / 短信 (#16): every message sent to a customer's contacts, kept on the customer with how
-- it went: sent (the SMTP server or gateway took it), failed (why), or not_configured (recorded
-- only: nothing is set up to send it).

CREATE TABLE outreach_messages (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    sender_id   INTEGER NOT NULL REFERENCES users (id),
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    -- As sent: 「name <address>」 or 「name mobile」, separated by 「; 」.
    recipients  TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'not_configured')),
    detail      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX outreach_messages_customer ON outreach_messages (customer_id, id);
