-- 统计分析 (#18): the figures are summed from small cells, not from a million opportunities
-- on every page. What an opportunity adds to the cells is computed by the server from its
-- record (`db::analysis`) and kept as its fact; triggers mark every opportunity whose record
-- changed, whoever wrote it, and a fold replaces the marked facts' contributions before a
-- figure is read.

-- Opportunities to fold. `mark` moves on each change, so a fold that read an older mark does
-- not clear a newer one.
CREATE TABLE analysis_dirty (
    opportunity_id BIGINT PRIMARY KEY,
    mark           BIGINT NOT NULL DEFAULT 0
);

-- What each opportunity counts for, as last folded (JSON, `db::analysis::Fact`).
CREATE TABLE analysis_facts (
    opportunity_id BIGINT PRIMARY KEY,
    fact           TEXT NOT NULL
);

-- The sums. `figure` names the figure, `month` its period ('YYYY-MM', or 'YYYY' by year),
-- city 0 for the province's own opportunities; `k` and `ref` are the figure's own keys (a
-- stage, a competitor, a customer …); n counts opportunities, v1 and v2 sum amounts in fen.
CREATE TABLE analysis_cells (
    figure           TEXT NOT NULL,
    month            TEXT NOT NULL,
    city_id          BIGINT NOT NULL,
    industry_id      BIGINT NOT NULL,
    business_type_id BIGINT NOT NULL,
    k                TEXT NOT NULL,
    ref              BIGINT NOT NULL,
    n                BIGINT NOT NULL,
    v1               BIGINT NOT NULL,
    v2               BIGINT NOT NULL,
    PRIMARY KEY (figure, month, city_id, industry_id, business_type_id, k, ref)
);

CREATE FUNCTION mark_opportunity_for_analysis() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    marked BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        marked := OLD.id;
    ELSE
        marked := NEW.id;
    END IF;
    INSERT INTO analysis_dirty (opportunity_id) VALUES (marked)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = analysis_dirty.mark + 1;
    RETURN NULL;
END
$$;

-- For the tables that hang off an opportunity (its `opportunity_id`).
CREATE FUNCTION mark_part_for_analysis() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    marked BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        marked := OLD.opportunity_id;
    ELSE
        marked := NEW.opportunity_id;
    END IF;
    INSERT INTO analysis_dirty (opportunity_id) VALUES (marked)
    ON CONFLICT (opportunity_id) DO UPDATE SET mark = analysis_dirty.mark + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER opportunities_analysis
AFTER INSERT OR DELETE OR UPDATE OF status, stage, expected_amount_fen, expected_sign_date,
    win_probability, filed_at, city_id, industry_id, business_type_id ON opportunities
FOR EACH ROW EXECUTE FUNCTION mark_opportunity_for_analysis();
CREATE TRIGGER opportunity_competitors_analysis AFTER INSERT OR DELETE ON opportunity_competitors
FOR EACH ROW EXECUTE FUNCTION mark_part_for_analysis();
CREATE TRIGGER opportunity_customers_analysis AFTER INSERT OR UPDATE OR DELETE ON opportunity_customers
FOR EACH ROW EXECUTE FUNCTION mark_part_for_analysis();
CREATE TRIGGER signings_analysis AFTER INSERT OR UPDATE OR DELETE ON signings
FOR EACH ROW EXECUTE FUNCTION mark_part_for_analysis();
CREATE TRIGGER terminations_analysis AFTER INSERT OR UPDATE OR DELETE ON terminations
FOR EACH ROW EXECUTE FUNCTION mark_part_for_analysis();
CREATE TRIGGER stage_history_analysis AFTER INSERT ON stage_history
FOR EACH ROW EXECUTE FUNCTION mark_part_for_analysis();

-- The pyramid of the whole province, and of a city, ranks one cell a customer by amount:
-- walked in that order, a tier's sums and customers are read without sorting tens of thousands
-- of customers.
CREATE INDEX analysis_cells_ranked ON analysis_cells (month, city_id, v1 DESC, ref, n)
    WHERE figure = 'customer_total';
CREATE INDEX analysis_cells_ranked_city ON analysis_cells (month, city_id, v1 DESC, ref, n)
    WHERE figure = 'customer_city';

-- The opportunities filed before this release are folded on the first start.
INSERT INTO analysis_dirty (opportunity_id) SELECT id FROM opportunities WHERE filed_at IS NOT NULL;
