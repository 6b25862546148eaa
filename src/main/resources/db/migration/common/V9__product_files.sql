-- A product may come as a file (a presentation, an article); its bytes are stored by content like
-- materials, but it is not a material of the meeting (it is never posted with the agenda).
ALTER TABLE products ADD COLUMN filename VARCHAR(255);
ALTER TABLE products ADD COLUMN media_type VARCHAR(120);
ALTER TABLE products ADD COLUMN size BIGINT;
ALTER TABLE products ADD COLUMN sha256 VARCHAR(64);
