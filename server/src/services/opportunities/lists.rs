//! The 商机管理 list's rows, read for the list page and for the home page's widget, which
//! shows the rows alone: it needs neither the filter's choices (every user in the viewer's
//! reach, the whole province's for its managers) nor the columns the viewer chose.

use super::*;

/// A page of rows, the cursor of the next, and the business types their labels came from.
pub(crate) struct ListRows {
    pub rows: Vec<OpportunityListRow>,
    pub next: Option<i64>,
    pub business_types: Vec<Choice>,
}

impl Services {
    /// The first `page_size` rows of the list `q` asks for, in the viewer's scope.
    pub(crate) async fn opportunity_rows(
        &self,
        viewer: &CurrentUser,
        q: &OpportunityListQuery,
        page_size: u32,
    ) -> Result<ListRows, AppError> {
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let date = app::model::date::parse_day;
        let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
        let tab = OpportunityTab::of(&q.tab);
        let query = OpportunityQuery {
            name_contains: text(&q.name),
            customer_contains: text(&q.customer),
            business_type_id: id(&q.business_type_id),
            status: Status::from_code(&q.status),
            owner_id: match tab {
                OpportunityTab::All | OpportunityTab::Shared => id(&q.owner_id),
                OpportunityTab::Mine => Some(viewer.id),
            },
            shared_with: (tab == OpportunityTab::Shared).then_some(viewer.id),
            created_from: date(&q.from),
            created_to: date(&q.to),
            after_id: id(&q.after_id),
            limit: page_size + 1,
        };
        let mut found = self.store.opportunities(&Scope::of(viewer), &query).await?;
        let more = found.len() > page_size as usize;
        found.truncate(page_size as usize);
        let next = more.then(|| found.last().map(|o| o.id)).flatten();
        let business_types = self
            .dictionary_pairs(viewer, DictKind::BusinessType)
            .await?;
        let rows = found
            .into_iter()
            .map(|o| OpportunityListRow {
                id: o.id,
                name: o.name,
                customer: o.customer_name,
                business_type: label_of(&business_types, o.business_type_id),
                status: o.status,
                stage: o.stage,
                owner: o.owner_name,
                expected_amount: o.expected_amount_fen.map(|f| Fen(f).to_yuan()),
                created_on: china(o.created_at).format("%Y-%m-%d").to_string(),
            })
            .collect();
        Ok(ListRows {
            rows,
            next,
            business_types,
        })
    }
}
