-- Who made an identity decides what it may do on the web. 'self': the member linked it with /iam NAME,
-- which proves nothing, so it gives no sign-in; 'registered': the secretary or the admin entered it
-- (API, CSV, page); 'code': the member used a personal code the secretary handed over. limit_unit_id /
-- limit_role narrow the sign-in links it gets to the reach of whoever made it (NULL: the admin).
-- Identities made before this version cannot be told apart from one an attacker linked, so they count
-- as 'self'; the secretary links them again (or the admin mints a sign-in link through the API).
ALTER TABLE identities ADD COLUMN origin VARCHAR(20) NOT NULL DEFAULT 'self';
ALTER TABLE identities ADD COLUMN limit_unit_id BIGINT REFERENCES units(id);
ALTER TABLE identities ADD COLUMN limit_role VARCHAR(20);

-- one-time personal codes: the secretary hands one to a member, who sends /iam CODE to link their account
CREATE TABLE member_link_codes (
  code_hash      VARCHAR(64) PRIMARY KEY,
  unit_id        BIGINT      NOT NULL REFERENCES units(id),
  person_id      BIGINT      NOT NULL REFERENCES persons(id),
  limit_unit_id  BIGINT      REFERENCES units(id),
  limit_role     VARCHAR(20),
  expires_at     BIGINT      NOT NULL,
  used_at        BIGINT,
  created_by     VARCHAR(100) NOT NULL,
  created_at     BIGINT      NOT NULL
);
CREATE INDEX member_link_codes_person ON member_link_codes(person_id);
