-- Convene's schema. Portable between SQLite and PostgreSQL: instants are epoch milliseconds (BIGINT),
-- flags are SMALLINT 0/1, and ${idPk} is the dialect's auto-increment primary key (set in store/).

CREATE TABLE units (
  id          ${idPk},
  name        VARCHAR(200) NOT NULL,
  parent_id   BIGINT REFERENCES units(id),
  timezone    VARCHAR(64)  NOT NULL,
  locale      VARCHAR(8)   NOT NULL,
  feed_token  VARCHAR(64)  NOT NULL UNIQUE,
  created_at  BIGINT       NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE persons (
  id          ${idPk},
  name        VARCHAR(200) NOT NULL,
  name_key    VARCHAR(200) NOT NULL,
  phone       VARCHAR(40),
  created_at  BIGINT       NOT NULL
);

CREATE TABLE memberships (
  id          ${idPk},
  unit_id     BIGINT      NOT NULL REFERENCES units(id),
  person_id   BIGINT      NOT NULL REFERENCES persons(id),
  role        VARCHAR(20) NOT NULL,
  created_at  BIGINT      NOT NULL,
  UNIQUE (unit_id, person_id)
);
CREATE INDEX memberships_person ON memberships(person_id);

-- a chat account of a person: made when the secretary registers it, a member sends /iam, or presses first
CREATE TABLE identities (
  id          ${idPk},
  person_id   BIGINT       NOT NULL REFERENCES persons(id),
  platform    VARCHAR(20)  NOT NULL,
  user_id     VARCHAR(64)  NOT NULL,
  user_name   VARCHAR(200),
  created_at  BIGINT       NOT NULL,
  UNIQUE (platform, user_id)
);
CREATE INDEX identities_person ON identities(person_id);

CREATE TABLE chats (
  id                ${idPk},
  unit_id           BIGINT       NOT NULL REFERENCES units(id),
  platform          VARCHAR(20)  NOT NULL,
  platform_chat_id  VARCHAR(64)  NOT NULL,
  title             VARCHAR(200),
  state             VARCHAR(20)  NOT NULL,
  created_at        BIGINT       NOT NULL,
  UNIQUE (platform, platform_chat_id)
);
CREATE INDEX chats_unit ON chats(unit_id);

CREATE TABLE link_codes (
  code        VARCHAR(16) PRIMARY KEY,
  unit_id     BIGINT      NOT NULL REFERENCES units(id),
  expires_at  BIGINT      NOT NULL,
  used_at     BIGINT,
  chat_id     BIGINT      REFERENCES chats(id),
  created_at  BIGINT      NOT NULL
);

CREATE TABLE meetings (
  id                ${idPk},
  unit_id           BIGINT       NOT NULL REFERENCES units(id),
  title             VARCHAR(300) NOT NULL,
  kind              VARCHAR(20)  NOT NULL,
  starts_at         BIGINT       NOT NULL,
  zone              VARCHAR(64)  NOT NULL,
  duration_minutes  INTEGER      NOT NULL,
  location          VARCHAR(500),
  status            VARCHAR(20)  NOT NULL,
  cancel_reason     VARCHAR(500),
  version           INTEGER      NOT NULL,
  created_at        BIGINT       NOT NULL,
  updated_at        BIGINT       NOT NULL
);
CREATE INDEX meetings_unit_start ON meetings(unit_id, starts_at);

CREATE TABLE agenda_items (
  id          ${idPk},
  meeting_id  BIGINT       NOT NULL REFERENCES meetings(id),
  position    INTEGER      NOT NULL,
  title       VARCHAR(500) NOT NULL,
  presenter   VARCHAR(200),
  minutes     INTEGER
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE meeting_observers (
  meeting_id  BIGINT NOT NULL REFERENCES meetings(id),
  unit_id     BIGINT NOT NULL REFERENCES units(id),
  PRIMARY KEY (meeting_id, unit_id)
);

-- file content lives content-addressed under the data directory (materials/ab/cdef…), named by sha256
CREATE TABLE materials (
  id            ${idPk},
  meeting_id    BIGINT       NOT NULL REFERENCES meetings(id),
  filename      VARCHAR(255) NOT NULL,
  media_type    VARCHAR(120) NOT NULL,
  size          BIGINT       NOT NULL,
  sha256        VARCHAR(64)  NOT NULL,
  confidential  SMALLINT     NOT NULL DEFAULT 0,
  created_at    BIGINT       NOT NULL
);
CREATE INDEX materials_meeting ON materials(meeting_id);

-- a document uploaded once per platform account is re-sent by the platform's file id
CREATE TABLE platform_files (
  platform    VARCHAR(20)  NOT NULL,
  account     VARCHAR(64)  NOT NULL,
  sha256      VARCHAR(64)  NOT NULL,
  file_id     VARCHAR(255) NOT NULL,
  created_at  BIGINT       NOT NULL,
  PRIMARY KEY (platform, account, sha256)
);

CREATE TABLE reminders (
  id          ${idPk},
  meeting_id  BIGINT       NOT NULL REFERENCES meetings(id),
  position    INTEGER      NOT NULL,
  offset_iso  VARCHAR(40)  NOT NULL,
  kind        VARCHAR(20)  NOT NULL,
  due_at      BIGINT       NOT NULL,
  state       VARCHAR(20)  NOT NULL,
  fired_at    BIGINT,
  created_at  BIGINT       NOT NULL
);
CREATE INDEX reminders_due ON reminders(state, due_at);
CREATE INDEX reminders_meeting ON reminders(meeting_id);

-- the outbox: one row per message to one chat; the idempotency key makes a second firing add nothing
CREATE TABLE deliveries (
  id                   ${idPk},
  meeting_id           BIGINT       NOT NULL REFERENCES meetings(id),
  reminder_id          BIGINT       REFERENCES reminders(id),
  chat_id              BIGINT       NOT NULL REFERENCES chats(id),
  kind                 VARCHAR(20)  NOT NULL,
  part                 INTEGER      NOT NULL,
  payload              TEXT         NOT NULL,
  idempotency_key      VARCHAR(200) NOT NULL UNIQUE,
  state                VARCHAR(20)  NOT NULL,
  attempts             INTEGER      NOT NULL DEFAULT 0,
  due_at               BIGINT       NOT NULL,
  next_attempt_at      BIGINT       NOT NULL,
  platform_message_id  VARCHAR(64),
  last_error           VARCHAR(1000),
  created_at           BIGINT       NOT NULL,
  sent_at              BIGINT
);
CREATE INDEX deliveries_queue ON deliveries(state, next_attempt_at);
CREATE INDEX deliveries_meeting ON deliveries(meeting_id);

-- the current answer of a person to a meeting; response_history keeps every earlier one
CREATE TABLE responses (
  id            ${idPk},
  meeting_id    BIGINT       NOT NULL REFERENCES meetings(id),
  person_id     BIGINT       NOT NULL REFERENCES persons(id),
  received_at   BIGINT,
  rsvp          VARCHAR(8),
  reason_code   VARCHAR(20),
  reason        VARCHAR(500),
  source        VARCHAR(20)  NOT NULL,
  responded_at  BIGINT       NOT NULL,
  UNIQUE (meeting_id, person_id)
);

CREATE TABLE response_history (
  id           ${idPk},
  meeting_id   BIGINT       NOT NULL REFERENCES meetings(id),
  person_id    BIGINT       NOT NULL REFERENCES persons(id),
  action       VARCHAR(20)  NOT NULL,
  rsvp         VARCHAR(8),
  reason_code  VARCHAR(20),
  reason       VARCHAR(500),
  source       VARCHAR(20)  NOT NULL,
  at           BIGINT       NOT NULL
);
CREATE INDEX response_history_meeting ON response_history(meeting_id, person_id);

CREATE TABLE attendance (
  meeting_id   BIGINT      NOT NULL REFERENCES meetings(id),
  person_id    BIGINT      NOT NULL REFERENCES persons(id),
  status       VARCHAR(20) NOT NULL,
  recorded_at  BIGINT      NOT NULL,
  PRIMARY KEY (meeting_id, person_id)
);

CREATE TABLE inbound_updates (
  platform     VARCHAR(20) NOT NULL,
  update_id    VARCHAR(64) NOT NULL,
  received_at  BIGINT      NOT NULL,
  PRIMARY KEY (platform, update_id)
);

CREATE TABLE audit_events (
  id         ${idPk},
  at         BIGINT       NOT NULL,
  actor      VARCHAR(100) NOT NULL,
  action     VARCHAR(60)  NOT NULL,
  entity     VARCHAR(40)  NOT NULL,
  entity_id  VARCHAR(64),
  detail     TEXT
);
CREATE INDEX audit_events_entity ON audit_events(entity, entity_id);

CREATE TABLE api_tokens (
  id          ${idPk},
  unit_id     BIGINT      REFERENCES units(id),
  role        VARCHAR(20) NOT NULL,
  label       VARCHAR(200),
  token_hash  VARCHAR(64) NOT NULL UNIQUE,
  created_at  BIGINT      NOT NULL,
  revoked_at  BIGINT
);

-- the built-in local platform keeps its chats' messages here, as a phone would show them
CREATE TABLE local_messages (
  id           ${idPk},
  chat_id      VARCHAR(64)  NOT NULL,
  from_user    VARCHAR(64)  NOT NULL,
  from_name    VARCHAR(200),
  text         TEXT,
  buttons      TEXT,
  document     TEXT,
  mentions     TEXT,
  reply_to     BIGINT,
  sent_at      BIGINT       NOT NULL,
  edited_at    BIGINT,
  edit_count   INTEGER      NOT NULL DEFAULT 0
);
CREATE INDEX local_messages_chat ON local_messages(chat_id, id);
