//! 报价: who may quote (the owner and 协作 users of a 已报备 opportunity), the versions, their
//! lines, 已发送, and 预计金额 set from a version's total (under the edit page's own rules:
//! a 协作 user may not change what the filing's approval decided).

use super::opportunities::minutes;
use super::{stale_or_internal, Services};
use crate::db::opportunities::Opportunity;
use crate::db::quotes::QuoteRow;
use crate::db::Actor;
use app::api::quotes::{QuoteLineView, QuotePanel, QuoteService, QuoteSummary, QuoteView};
use app::model::customer::FieldError;
use app::model::opportunity::{Fen, Status};
use app::model::quote::{show_centi, QuoteForm};
use app::model::{AppError, CurrentUser};

fn summary(q: QuoteRow) -> QuoteSummary {
    QuoteSummary {
        id: q.id,
        version_no: q.version_no,
        total_fen: q.total_fen,
        sent_on: q.sent_on,
        creator: q.creator_name,
        created_at: minutes(q.created_at),
        newest: q.newest,
    }
}

impl Services {
    /// Whether `viewer` may quote on `o`: its owner or a 协作 user, while it is 已报备.
    async fn may_quote(&self, viewer: &CurrentUser, o: &Opportunity) -> Result<bool, AppError> {
        Ok(o.status == Status::Active
            && (o.owner_id == viewer.id || self.collaborates(viewer, o.id).await?))
    }

    /// Version `id` and its opportunity, if the viewer sees the opportunity.
    async fn seen_quote(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(QuoteRow, Opportunity), AppError> {
        let q = self.store.quote(id).await?.ok_or(AppError::Forbidden)?;
        let o = self
            .seen_opportunity(viewer, q.opportunity_id, |_| true)
            .await?;
        Ok((q, o))
    }

    /// Version `id` and its opportunity, if the viewer may quote on it.
    async fn quotable(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(QuoteRow, Opportunity), AppError> {
        let (q, o) = self.seen_quote(viewer, id).await?;
        if self.may_quote(viewer, &o).await? {
            Ok((q, o))
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The 报价 panel of an opportunity the viewer sees.
    pub(crate) async fn quote_panel(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
    ) -> Result<QuotePanel, AppError> {
        let rows = self.store.quotes(o.id).await?;
        Ok(QuotePanel {
            rows: rows.into_iter().map(summary).collect(),
            can_quote: self.may_quote(viewer, o).await?,
        })
    }

    /// 新建报价 / 新版本: the newest version's lines copied. Its page.
    pub async fn new_quote_version(
        &self,
        viewer: &CurrentUser,
        opportunity_id: i64,
    ) -> Result<String, AppError> {
        let o = self
            .seen_opportunity(viewer, opportunity_id, |_| true)
            .await?;
        if !self.may_quote(viewer, &o).await? {
            return Err(AppError::Forbidden);
        }
        let id = self
            .store
            .new_quote_version(&Actor::user(viewer.id, self.clock.now()), o.id)
            .await
            .map_err(stale_or_internal)?;
        self.announce(o.id).await;
        Ok(app::paths::QUOTE.of(id))
    }

    /// 保存 of a version's lines, on the revision it was read at.
    pub async fn save_quote(
        &self,
        viewer: &CurrentUser,
        id: i64,
        revision: i64,
        form: &QuoteForm,
    ) -> Result<String, AppError> {
        let (q, o) = self.quotable(viewer, id).await?;
        if !q.newest || q.sent_on.is_some() {
            return Err(AppError::Invalid(vec![FieldError::new(
                "",
                "quote.read_only",
            )]));
        }
        let lines = form.parse().map_err(AppError::Invalid)?;
        self.store
            .save_quote(
                &Actor::user(viewer.id, self.clock.now()),
                q.id,
                revision,
                &lines,
            )
            .await
            .map_err(stale_or_internal)?;
        self.announce(o.id).await;
        Ok(format!("{}?saved=1", app::paths::QUOTE.of(id)))
    }

    /// 标记已发送, today (China time).
    pub async fn mark_quote_sent(&self, viewer: &CurrentUser, id: i64) -> Result<String, AppError> {
        let (q, _) = self.quotable(viewer, id).await?;
        self.store
            .mark_quote_sent(
                &Actor::user(viewer.id, self.clock.now()),
                q.id,
                self.today(),
            )
            .await
            .map_err(stale_or_internal)?;
        Ok(app::paths::QUOTE.of(id))
    }

    /// 设为预计金额: the opportunity's 预计金额 becomes the version's total, as an edit by the
    /// viewer would (on its current version, the approved fields kept from 协作 users).
    pub async fn apply_quote(&self, viewer: &CurrentUser, id: i64) -> Result<String, AppError> {
        let (q, o) = self.seen_quote(viewer, id).await?;
        if !self.may_quote(viewer, &o).await? || !self.may_open_edit(viewer, &o).await? {
            return Err(AppError::Forbidden);
        }
        if self
            .locked_fields(viewer, &o)
            .await?
            .contains(&"expected_amount")
        {
            return Err(AppError::Invalid(vec![FieldError::new(
                "",
                "quote.amount_locked",
            )]));
        }
        if q.total_fen <= 0 {
            return Err(AppError::Invalid(vec![FieldError::new(
                "",
                "quote.total_zero",
            )]));
        }
        let mut fields = o.fields.clone();
        fields.expected_amount = Some(Fen(q.total_fen));
        self.store
            .update_opportunity(
                &Actor::user(viewer.id, self.clock.now()),
                o.id,
                o.version,
                &fields,
            )
            .await
            .map_err(stale_or_internal)?;
        self.announce(o.id).await;
        Ok(format!("{}?applied=1", app::paths::QUOTE.of(id)))
    }
}

#[async_trait::async_trait]
impl QuoteService for Services {
    async fn quote(&self, viewer: &CurrentUser, id: i64) -> Result<QuoteView, AppError> {
        let (q, o) = self.seen_quote(viewer, id).await?;
        let can_quote = self.may_quote(viewer, &o).await?;
        let can_apply = can_quote
            && self.may_open_edit(viewer, &o).await?
            && !self
                .locked_fields(viewer, &o)
                .await?
                .contains(&"expected_amount");
        let lines = self
            .store
            .quote_lines(q.id)
            .await?
            .into_iter()
            .map(|l| QuoteLineView {
                item: l.item,
                quantity: show_centi(l.quantity_centi),
                unit_price_fen: l.unit_price_fen,
                discount: if l.discount_bp == 0 {
                    String::new()
                } else {
                    show_centi(l.discount_bp)
                },
                total_fen: l.total_fen,
            })
            .collect();
        let customers = self
            .store
            .opportunity_customer_names(o.id)
            .await?
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        let province = self
            .store
            .org_units()
            .await?
            .into_iter()
            .find(|u| u.parent_id.is_none())
            .map(|u| u.name)
            .unwrap_or_default();
        let versions = self
            .store
            .quotes(o.id)
            .await?
            .into_iter()
            .map(summary)
            .collect();
        Ok(QuoteView {
            editable: can_quote && q.newest && q.sent_on.is_none(),
            revision: q.revision,
            summary: summary(q),
            opportunity_id: o.id,
            opportunity_name: o.fields.name.clone(),
            customers,
            province,
            lines,
            can_quote,
            can_apply,
            expected_amount_fen: o.fields.expected_amount.map(|f| f.0),
            versions,
        })
    }
}
