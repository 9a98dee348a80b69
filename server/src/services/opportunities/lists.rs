//! The 商机管理 list's rows, read for the list page and for the home page's widget, which
//! shows the rows alone: it needs neither the filter's choices (every user in the viewer's
//! reach, the whole province's for its managers) nor the columns the viewer chose. And the
//! 任务 tabs' rows, for the same two.

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
            suggestion: app::model::evaluation::Suggestion::from_code(&q.suggestion)
                .map(|s| s.code()),
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

/// A row's cell in the column `code` of 商机管理 (the name first, then the visible columns),
/// labels in Chinese as the workbook's readers are trained on them.
fn export_cell(row: &OpportunityListRow, code: &str) -> String {
    let zh = |key: &str| app::i18n::tr(app::i18n::Locale::Zh, key).to_owned();
    match code {
        "name" => row.name.clone(),
        "customer" => row.customer.clone(),
        "business_type" => row.business_type.clone(),
        "status" => zh(row.status.label_key()),
        "stage" => zh(row.stage.label_key()),
        "owner" => row.owner.clone(),
        // A plain number (no thousands separators), so a spreadsheet sums it.
        "expected_amount" => row
            .expected_amount
            .as_deref()
            .unwrap_or_default()
            .replace(',', ""),
        "created_on" => row.created_on.clone(),
        _ => String::new(),
    }
}

impl Services {
    /// A page of `q`'s tab: `page_size` rows, and on 待办's first page the viewer's planned
    /// activities whose day has come (up to `due_listed`).
    pub(crate) async fn task_page(
        &self,
        viewer: &CurrentUser,
        q: &TaskListQuery,
        page_size: u32,
        due_listed: u32,
    ) -> Result<TaskListPage, AppError> {
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let tab = TaskTab::of(&q.tab);
        if tab == TaskTab::Messages {
            let mut found = self
                .store
                .messages(viewer.id, false, id(&q.after_id), page_size + 1)
                .await?;
            let more = found.len() > page_size as usize;
            found.truncate(page_size as usize);
            let next = more.then(|| found.last().map(|m| m.id)).flatten();
            return Ok(TaskListPage {
                tasks: Vec::new(),
                messages: found
                    .into_iter()
                    .map(|m| MessageRow {
                        id: m.id,
                        kind: m.kind,
                        title: m.title,
                        created_at: minutes(m.created_at),
                        read: m.read_at.is_some(),
                    })
                    .collect(),
                next,
                activities_due: Vec::new(),
            });
        }
        let date = app::model::date::parse_day;
        let query = TaskQuery {
            filter: match tab {
                TaskTab::Todo => TaskFilter::Todo,
                TaskTab::Done => TaskFilter::Done,
                TaskTab::All | TaskTab::Messages => TaskFilter::All,
            },
            name_contains: Some(q.name.trim().to_owned()).filter(|t| !t.is_empty()),
            flow: Flow::from_code(&q.flow),
            from: date(&q.from),
            to: date(&q.to),
            after_id: id(&q.after_id),
            limit: page_size + 1,
        };
        let mut found = self.store.tasks(viewer.id, &query).await?;
        let more = found.len() > page_size as usize;
        found.truncate(page_size as usize);
        let next = more.then(|| found.last().map(|t| t.id)).flatten();
        let activities_due = if tab == TaskTab::Todo && query.after_id.is_none() {
            self.due_activities(viewer, due_listed).await?
        } else {
            Vec::new()
        };
        Ok(TaskListPage {
            tasks: found
                .into_iter()
                .map(|t| TaskListRow {
                    id: t.id,
                    opportunity_name: t.opportunity_name,
                    flow: t.flow,
                    kind: t.kind,
                    open: t.open,
                    filer: t.filer_name,
                    created_at: minutes(t.created_at),
                    outcome: t.outcome,
                })
                .collect(),
            messages: Vec::new(),
            next,
            activities_due,
        })
    }

    /// 导出: the columns the viewer sees on 商机管理 (商机名称 first), as (code, label key).
    pub async fn opportunity_export_columns(
        &self,
        viewer: &CurrentUser,
    ) -> Result<Vec<(String, &'static str)>, AppError> {
        let saved = self
            .store
            .user_pref(viewer.id, &OPPORTUNITY_LIST.pref_key())
            .await?;
        Ok(OPPORTUNITY_LIST.exported(("name", "opportunity.name"), saved.as_deref()))
    }

    /// The ids of every opportunity `q` finds in the viewer's scope, in its order (「全选」 of a
    /// batch).
    pub(crate) async fn opportunity_query_ids(
        &self,
        viewer: &CurrentUser,
        q: &OpportunityListQuery,
    ) -> Result<Vec<i64>, AppError> {
        const PAGE: u32 = 199;
        let filter = self.owner_filter(viewer, &q.owner_id, &q.owner).await?;
        let Some(owner_id) = filter.owner_id else {
            return Ok(Vec::new());
        };
        let mut q = OpportunityListQuery {
            owner_id,
            after_id: String::new(),
            ..q.clone()
        };
        let mut ids = Vec::new();
        loop {
            let page = self.opportunity_rows(viewer, &q, PAGE).await?;
            ids.extend(page.rows.iter().map(|r| r.id));
            match page.next {
                Some(next) => q.after_id = next.to_string(),
                None => return Ok(ids),
            }
        }
    }

    /// 导出: every opportunity `q` finds in the viewer's scope, a store page at a time (see
    /// `export_customers`).
    pub async fn export_opportunities(
        &self,
        viewer: &CurrentUser,
        q: &OpportunityListQuery,
        only: Option<&std::collections::HashSet<i64>>,
        columns: &[String],
        rows: &tokio::sync::mpsc::Sender<Result<Vec<Vec<String>>, AppError>>,
    ) -> Result<(), AppError> {
        // One less than the store's largest page: the row past it says whether there is more.
        const PAGE: u32 = 199;
        let filter = self.owner_filter(viewer, &q.owner_id, &q.owner).await?;
        let Some(owner_id) = filter.owner_id else {
            return Ok(());
        };
        let mut q = OpportunityListQuery {
            owner_id,
            after_id: String::new(),
            ..q.clone()
        };
        let mut left = only.map_or(usize::MAX, |o| o.len());
        loop {
            let mut page = self.opportunity_rows(viewer, &q, PAGE).await?;
            if let Some(only) = only {
                page.rows.retain(|r| only.contains(&r.id));
                left -= page.rows.len();
            }
            let cells = page
                .rows
                .iter()
                .map(|r| columns.iter().map(|c| export_cell(r, c)).collect())
                .collect();
            if rows.send(Ok(cells)).await.is_err() {
                return Ok(());
            }
            match page.next {
                Some(next) if left > 0 => q.after_id = next.to_string(),
                _ => return Ok(()),
            }
        }
    }
}
