-- Work that one node at a time may do (the dispatcher, Telegram's long polling) is held under a lease:
-- a named row with its holder and when the lease runs out unless renewed. A node that dies stops
-- renewing, and another takes the work over once the lease has run out.
CREATE TABLE leases (
  name        VARCHAR(100) PRIMARY KEY,
  holder      VARCHAR(100) NOT NULL,
  expires_at  BIGINT       NOT NULL
);
