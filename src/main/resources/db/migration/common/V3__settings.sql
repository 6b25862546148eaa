-- Values the service makes once and every node must share: the key that signs button data, the Telegram
-- webhook secret, the long-polling offset. Kept in the database, not in a node's files.
CREATE TABLE settings (
  name        VARCHAR(100) PRIMARY KEY,
  value       TEXT         NOT NULL,
  updated_at  BIGINT       NOT NULL
);
