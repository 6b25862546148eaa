-- Each meeting's materials page: an unguessable address (the token) where members download the meeting's
-- non-confidential documents on a phone, for platforms that cannot post documents (Zalo's Bot Platform).
-- One token per meeting, made when the first link to it is rendered and then reused, so every message that
-- carries the link (and every chat) points at the same page. The token is stored as it is, like a unit's
-- calendar feed token: it is put into chat texts again whenever an agenda is rendered.
-- How long the page stays open is not stored: it follows the meeting's current end, so a moved meeting's
-- page moves with it.
CREATE TABLE materials_pages (
  meeting_id  BIGINT       PRIMARY KEY REFERENCES meetings(id),
  token       VARCHAR(64)  NOT NULL UNIQUE,
  created_at  BIGINT       NOT NULL
);
