-- Committees above cells: thematic sessions and their products, topics pushed down the tree, minutes
-- with decisions that become tasks.

ALTER TABLE meetings ADD COLUMN theme VARCHAR(300);
-- a meeting recorded after it took place: no reminders were planned for it
ALTER TABLE meetings ADD COLUMN recorded SMALLINT NOT NULL DEFAULT 0;

CREATE TABLE products (
  id          ${idPk},
  meeting_id  BIGINT       NOT NULL REFERENCES meetings(id),
  kind        VARCHAR(20)  NOT NULL,
  title       VARCHAR(300) NOT NULL,
  url         VARCHAR(1000),
  created_at  BIGINT       NOT NULL
);
CREATE INDEX products_meeting ON products(meeting_id);

CREATE TABLE topics (
  id          ${idPk},
  unit_id     BIGINT       NOT NULL REFERENCES units(id),
  title       VARCHAR(300) NOT NULL,
  quarter     VARCHAR(7)   NOT NULL,
  created_at  BIGINT       NOT NULL
);

-- one row per unit a topic was pushed to; meeting_id is the meeting whose agenda carries it
CREATE TABLE topic_units (
  topic_id    BIGINT NOT NULL REFERENCES topics(id),
  unit_id     BIGINT NOT NULL REFERENCES units(id),
  meeting_id  BIGINT REFERENCES meetings(id),
  PRIMARY KEY (topic_id, unit_id)
);
CREATE INDEX topic_units_unit ON topic_units(unit_id, meeting_id);

CREATE TABLE topic_materials (
  topic_id     BIGINT NOT NULL REFERENCES topics(id),
  material_id  BIGINT NOT NULL REFERENCES materials(id),
  PRIMARY KEY (topic_id, material_id)
);

CREATE TABLE minutes (
  meeting_id  BIGINT  PRIMARY KEY REFERENCES meetings(id),
  text        TEXT    NOT NULL,
  filed_at    BIGINT  NOT NULL,
  updated_at  BIGINT  NOT NULL
);

CREATE TABLE tasks (
  id                  ${idPk},
  unit_id             BIGINT        NOT NULL REFERENCES units(id),
  meeting_id          BIGINT        NOT NULL REFERENCES meetings(id),
  position            INTEGER       NOT NULL,
  text                VARCHAR(1000) NOT NULL,
  assignee_person_id  BIGINT        REFERENCES persons(id),
  due                 VARCHAR(10),
  state               VARCHAR(10)   NOT NULL,
  done_at             BIGINT,
  created_at          BIGINT        NOT NULL
);
CREATE INDEX tasks_unit ON tasks(unit_id, state);
CREATE INDEX tasks_meeting ON tasks(meeting_id);
