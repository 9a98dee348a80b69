-- A dictionary item that carries behaviour is found by a stable code, not by its label (which
-- an administrator may rename): 终止原因 输给竞争对手 needs the competitor.
ALTER TABLE dict_items ADD COLUMN code TEXT;
UPDATE dict_items SET code = 'lost_to_competitor'
 WHERE kind = 'termination_reason' AND label = '输给竞争对手';
CREATE UNIQUE INDEX dict_items_code ON dict_items (kind, code) WHERE code IS NOT NULL;
