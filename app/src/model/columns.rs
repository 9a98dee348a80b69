//! Which columns a list shows. Each list names its optional columns once; a user's choice is
//! kept per user on the server (as the codes shown, comma-separated) and applied when the
//! server renders the list, so it holds without JavaScript too.

/// One optional column of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub code: &'static str,
    pub label_key: &'static str,
    pub shown_by_default: bool,
}

/// The optional columns of one list, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListColumns {
    /// The list's name, as posted by the column chooser and stored with the choice.
    pub list: &'static str,
    pub columns: &'static [Column],
}

const fn col(code: &'static str, label_key: &'static str, shown_by_default: bool) -> Column {
    Column {
        code,
        label_key,
        shown_by_default,
    }
}

/// 客户管理 (客户名称 is always shown).
pub const CUSTOMER_LIST: ListColumns = ListColumns {
    list: "customers",
    columns: &[
        col("industry", "customer.industry", true),
        col("level", "customer.level", true),
        col("owner", "customer.owner", true),
        col("dept", "customer.dept", false),
        col("registered_on", "customer.registered_on", true),
        col("phone", "customer.phone", true),
        col("fax", "customer.fax", false),
        col("website", "customer.website", false),
        col("address", "customer.address", false),
    ],
};

/// 联系人 list (姓名 is always shown).
pub const CONTACT_LIST: ListColumns = ListColumns {
    list: "contacts",
    columns: &[
        col("customer", "contact.customer", true),
        col("title", "contact.title", true),
        col("department", "contact.department", false),
        col("phone", "customer.phone", true),
        col("mobile", "contact.mobile", true),
        col("email", "contact.email", false),
    ],
};

/// 商机管理 (商机名称 is always shown).
pub const OPPORTUNITY_LIST: ListColumns = ListColumns {
    list: "opportunities",
    columns: &[
        col("customer", "opportunity.customer", true),
        col("business_type", "opportunity.business_type", true),
        col("status", "opportunity.status", true),
        col("stage", "opportunity.stage", false),
        col("owner", "opportunity.owner", true),
        col("expected_amount", "opportunity.expected_amount", true),
        col("created_on", "opportunity.created_on", true),
    ],
};

/// 交易明细 on the customer page (商机名称 is always shown).
pub const DEAL_LIST: ListColumns = ListColumns {
    list: "deals",
    columns: &[
        col("status", "opportunity.status", true),
        col("stage", "opportunity.stage", true),
        col("owner", "opportunity.owner", true),
        col("amount", "opportunity.expected_amount", true),
        col("quote", "deal.quote", true),
        col("created", "opportunity.created_on", true),
    ],
};

/// 销售活动, on its own page and on a customer's or opportunity's (日期 is always shown).
pub const ACTIVITY_LIST: ListColumns = ListColumns {
    list: "activities",
    columns: &[
        col("kind", "activity.kind", true),
        col("customer", "activity.customer", true),
        col("opportunity", "activity.opportunity", true),
        col("contacts", "activity.contacts", true),
        col("notes", "activity.notes", true),
        col("creator", "activity.creator", true),
        col("status", "activity.status", true),
    ],
};

/// Every list whose columns can be chosen.
pub const LISTS: &[ListColumns] = &[
    CUSTOMER_LIST,
    CONTACT_LIST,
    OPPORTUNITY_LIST,
    DEAL_LIST,
    ACTIVITY_LIST,
];

impl ListColumns {
    pub fn named(list: &str) -> Option<&'static ListColumns> {
        LISTS.iter().find(|l| l.list == list)
    }

    /// The key a user's choice is stored under.
    pub fn pref_key(&self) -> String {
        format!("columns.{}", self.list)
    }

    /// The codes shown: the saved choice, or the defaults when nothing was saved.
    pub fn visible(&self, saved: Option<&str>) -> Vec<String> {
        match saved {
            Some(saved) => {
                let chosen: Vec<&str> = saved.split(',').collect();
                self.columns
                    .iter()
                    .filter(|c| chosen.contains(&c.code))
                    .map(|c| c.code.to_owned())
                    .collect()
            }
            None => self
                .columns
                .iter()
                .filter(|c| c.shown_by_default)
                .map(|c| c.code.to_owned())
                .collect(),
        }
    }

    /// An export's columns: `first` (the column always shown), then those shown, as
    /// (code, label key).
    pub fn exported(
        &self,
        first: (&str, &'static str),
        saved: Option<&str>,
    ) -> Vec<(String, &'static str)> {
        let mut columns = vec![(first.0.to_owned(), first.1)];
        for code in self.visible(saved) {
            if let Some(c) = self.columns.iter().find(|c| c.code == code) {
                columns.push((code, c.label_key));
            }
        }
        columns
    }

    /// A choice as stored: the known codes among `chosen`, in display order (unknown ones,
    /// from a forged post, are dropped).
    pub fn choice(&self, chosen: &[String]) -> String {
        self.columns
            .iter()
            .filter(|c| chosen.iter().any(|x| x == c.code))
            .map(|c| c.code)
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod export_tests {
    use super::*;

    #[test]
    fn an_export_has_the_fixed_column_then_those_shown() {
        let columns = CONTACT_LIST.exported(("name", "contact.name"), Some("email,customer"));
        let codes: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["name", "customer", "email"]);
        assert_eq!(columns[2].1, "contact.email");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_saved_choice_the_default_columns_show() {
        assert_eq!(
            CUSTOMER_LIST.visible(None),
            ["industry", "level", "owner", "registered_on", "phone"]
        );
    }

    #[test]
    fn a_saved_choice_shows_exactly_its_columns_and_may_hide_all() {
        assert_eq!(CUSTOMER_LIST.visible(Some("fax,level")), ["level", "fax"]);
        assert!(CUSTOMER_LIST.visible(Some("")).is_empty());
    }

    #[test]
    fn a_choice_keeps_known_codes_in_display_order() {
        let chosen = [
            "phone".to_owned(),
            "<script>".to_owned(),
            "industry".to_owned(),
        ];
        assert_eq!(CUSTOMER_LIST.choice(&chosen), "industry,phone");
    }

    #[test]
    fn lists_are_found_by_name() {
        assert_eq!(ListColumns::named("contacts"), Some(&CONTACT_LIST));
        assert_eq!(ListColumns::named("users"), None);
    }
}
