-- One change at a time per credential (docs/durability.md, "The lease"): the operation that holds
-- the credential, its kind, until when (in database time) and the fencing version that every
-- write of the holder names. Portable SQL: it runs on H2 and PostgreSQL.
-- Operations left in progress by an older version hold no lease: the sweeper takes them over as
-- abandoned while their credential has never been leased (fence 0).

ALTER TABLE credential ADD COLUMN lease_holder VARCHAR(36);
ALTER TABLE credential ADD COLUMN lease_kind VARCHAR(16);
ALTER TABLE credential ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE credential ADD COLUMN fence BIGINT DEFAULT 0 NOT NULL;
-- The holder's fence on its journal row too, so that a journal write is one conditional UPDATE of
-- that row (a takeover raises both in one transaction).
ALTER TABLE operation ADD COLUMN fence BIGINT DEFAULT 0 NOT NULL;
