-- Whatever the request validator accepts must fit the columns it is stored in: a 254-character
-- e-mail may be 1016 bytes of UTF-8 (508 UTF-16 units), an app's APIs and plans up to the 64 KiB
-- body and more once scopes are resolved. These columns take text of any length. VARCHAR without
-- a length is CHARACTER VARYING at its maximum on H2 (1,000,000,000 characters) and unlimited on
-- PostgreSQL; SET DATA TYPE is the same standard syntax on both and keeps NOT NULL and indexes.
-- (Versioned 2.1: V3 is taken by another change.)

ALTER TABLE credential ALTER COLUMN app_id SET DATA TYPE VARCHAR;
ALTER TABLE credential ALTER COLUMN app_name SET DATA TYPE VARCHAR;
ALTER TABLE credential ALTER COLUMN developer SET DATA TYPE VARCHAR;
ALTER TABLE credential ALTER COLUMN apis SET DATA TYPE VARCHAR;
ALTER TABLE credential ALTER COLUMN usage_plans SET DATA TYPE VARCHAR;
ALTER TABLE credential ALTER COLUMN scopes SET DATA TYPE VARCHAR;
ALTER TABLE credential ALTER COLUMN resources SET DATA TYPE VARCHAR;
ALTER TABLE operation ALTER COLUMN resources SET DATA TYPE VARCHAR;
ALTER TABLE local_credential ALTER COLUMN name SET DATA TYPE VARCHAR;
ALTER TABLE local_credential ALTER COLUMN apis SET DATA TYPE VARCHAR;
ALTER TABLE local_credential ALTER COLUMN usage_plans SET DATA TYPE VARCHAR;
ALTER TABLE local_credential ALTER COLUMN scopes SET DATA TYPE VARCHAR;
