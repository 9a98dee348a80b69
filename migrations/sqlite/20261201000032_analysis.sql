-- 统计分析 (#18): the figures are summed from small cells, not from a million opportunities
-- on every page. What an opportunity adds to the cells is computed by the server from its
-- record (`db::analysis`) and kept as its fact; triggers mark every opportunity whose record
-- changed, whoever wrote it, and a fold replaces the marked facts' contributions before a
-- figure is read.

-- Opportunities to fold. `mark` moves on each change, so a fold that read an older mark does
-- not clear a newer one.
CREATE TABLE analysis_dirty (
    opportunity_id INTEGER PRIMARY KEY,
    mark           INTEGER NOT NULL DEFAULT 0
);

-- What each opportunity counts for, as last folded (JSON, `db::analysis::Fact`).
CREATE TABLE analysis_facts (
    opportunity_id INTEGER PRIMARY KEY,
    fact           TEXT NOT NULL
);

-- The sums. `figure` names the figure, `month` its period ('YYYY-MM', or 'YYYY' by year),
-- city 0 for the province's own opportunities; `k` and `ref` are the figure's own keys (a
-- stage, a competitor, a customer …); n counts opportunities, v1 and v2 sum amounts in fen.
CREATE TABLE analysis_cells (
    figure           TEXT NOT NULL,
    month            TEXT NOT NULL,
    city_id          INTEGER NOT NULL,
    industry_id      INTEGER NOT NULL,
    business_type_id INTEGER NOT NULL,
    k                TEXT NOT NULL,
    ref              INTEGER NOT NULL,
    n                INTEGER NOT NULL,
    v1               INTEGER NOT NULL,
    v2               INTEGER NOT NULL,
    PRIMARY KEY (figure, month, city_id, industry_id, business_type_id, k, ref)
) WITHOUT ROWID;

CREATE TRIGGER opportunities_inserted_analysis AFTER INSERT ON opportunities
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunities_updated_analysis AFTER UPDATE OF status, stage, expected_amount_fen,
    expected_sign_date, win_probability, filed_at, city_id, industry_id, business_type_id
    ON opportunities
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunities_deleted_analysis AFTER DELETE ON opportunities
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (OLD.id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunity_competitors_inserted_analysis AFTER INSERT ON opportunity_competitors
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunity_competitors_deleted_analysis AFTER DELETE ON opportunity_competitors
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (OLD.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunity_customers_inserted_analysis AFTER INSERT ON opportunity_customers
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunity_customers_updated_analysis AFTER UPDATE ON opportunity_customers
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER opportunity_customers_deleted_analysis AFTER DELETE ON opportunity_customers
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (OLD.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER signings_inserted_analysis AFTER INSERT ON signings
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER signings_updated_analysis AFTER UPDATE ON signings
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER signings_deleted_analysis AFTER DELETE ON signings
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (OLD.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER terminations_inserted_analysis AFTER INSERT ON terminations
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER terminations_updated_analysis AFTER UPDATE ON terminations
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER terminations_deleted_analysis AFTER DELETE ON terminations
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (OLD.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER stage_history_inserted_analysis AFTER INSERT ON stage_history
BEGIN
    INSERT INTO analysis_dirty (opportunity_id) VALUES (NEW.opportunity_id)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = mark + 1;
END;

-- The pyramid of the whole province, and of a city, ranks one cell a customer by amount:
-- walked in that order, a tier's sums and customers are read without sorting tens of thousands
-- of customers.
CREATE INDEX analysis_cells_ranked ON analysis_cells (month, city_id, v1 DESC, ref, n)
    WHERE figure = 'customer_total';
CREATE INDEX analysis_cells_ranked_city ON analysis_cells (month, city_id, v1 DESC, ref, n)
    WHERE figure = 'customer_city';

-- The opportunities filed before this release are folded on the first start.
INSERT INTO analysis_dirty (opportunity_id) SELECT id FROM opportunities WHERE filed_at IS NOT NULL;
