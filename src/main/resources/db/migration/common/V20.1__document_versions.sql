-- Issue 20: a replaced document keeps its earlier versions. Each version is a row of its own (rows never
-- change once written, but for replaced_at), joined by document_id, the id of the document's first version.
ALTER TABLE materials ADD COLUMN document_id BIGINT;
ALTER TABLE materials ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE materials ADD COLUMN replaced_at BIGINT;
-- a confidential document is viewed by the unit's members; by the observer units' members only when the secretary allows
ALTER TABLE materials ADD COLUMN observers_may_view SMALLINT NOT NULL DEFAULT 0;
UPDATE materials SET document_id = id;
CREATE INDEX materials_document ON materials(document_id, version);

-- how many times a document already posted was replaced; an answer given at a lower revision acknowledged an older version
ALTER TABLE meetings ADD COLUMN documents_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN documents_revision INTEGER;

-- every opening of a document version by a person: read receipts, and the access log of confidential documents
CREATE TABLE document_views (
  id           ${idPk},
  material_id  BIGINT       NOT NULL REFERENCES materials(id),
  person_id    BIGINT       REFERENCES persons(id),
  viewer_name  VARCHAR(200) NOT NULL,
  kind         VARCHAR(20)  NOT NULL,
  page         INTEGER,
  at           BIGINT       NOT NULL
);
CREATE INDEX document_views_material ON document_views(material_id, at);
CREATE INDEX document_views_person ON document_views(person_id, material_id);

-- a sign-in link may lead straight to the page it was made for (a member's link to a meeting's documents)
ALTER TABLE login_links ADD COLUMN next_path VARCHAR(300);
