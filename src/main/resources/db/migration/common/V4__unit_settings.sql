-- By default a group sees counts only on the posted agenda; a unit may choose to show names there too.
ALTER TABLE units ADD COLUMN show_names SMALLINT NOT NULL DEFAULT 0;
