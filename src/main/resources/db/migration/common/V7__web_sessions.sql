-- Sign-in to the web pages without passwords. A one-time link (sent by the bot on /login, or minted
-- through the API) starts a session kept in a cookie. Only SHA-256 hashes of the link and session
-- tokens are stored, so a copy of the database signs nobody in.
-- person_id NULL is the admin (signed in with the admin token). limit_unit_id/limit_role narrow a
-- session to what the unit token that minted its link reaches, so no token widens its own reach by
-- minting a link for someone with more rights.
CREATE TABLE login_links (
  id             ${idPk},
  token_hash     VARCHAR(64)  NOT NULL UNIQUE,
  person_id      BIGINT       NOT NULL REFERENCES persons(id),
  limit_unit_id  BIGINT       REFERENCES units(id),
  limit_role     VARCHAR(20),
  expires_at     BIGINT       NOT NULL,
  used_at        BIGINT,
  created_at     BIGINT       NOT NULL
);

CREATE TABLE web_sessions (
  id             ${idPk},
  token_hash     VARCHAR(64)  NOT NULL UNIQUE,
  person_id      BIGINT       REFERENCES persons(id),
  limit_unit_id  BIGINT       REFERENCES units(id),
  limit_role     VARCHAR(20),
  csrf_token     VARCHAR(64)  NOT NULL,
  expires_at     BIGINT       NOT NULL,
  ended_at       BIGINT,
  created_at     BIGINT       NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
