-- A unit's parent from a day on (from_on NULL: since the unit began), so that a unit moved under a new
-- parent rolls up there from that day while past periods stay with the old one. units.parent_id stays
-- the parent of today. A unit merged into another keeps its row (tokens, audit events name it) and says where it went.
CREATE TABLE unit_parents (
  id          ${idPk},
  unit_id     BIGINT      NOT NULL REFERENCES units(id),
  parent_id   BIGINT      REFERENCES units(id),
  from_on     VARCHAR(10),
  created_at  BIGINT      NOT NULL
);
CREATE INDEX unit_parents_unit ON unit_parents(unit_id);
INSERT INTO unit_parents (unit_id, parent_id, from_on, created_at) SELECT id, parent_id, NULL, created_at FROM units;

ALTER TABLE units ADD COLUMN merged_into BIGINT REFERENCES units(id);
