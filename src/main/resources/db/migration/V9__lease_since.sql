-- When the holder took its lease, in database time (docs/durability.md, "The lease"): a request that
-- meets a busy credential is told to come back when the holder's deadline ends, not a guess.
-- NULL on a lease taken before this version: such a request is told the old fixed 2 s.

ALTER TABLE credential ADD COLUMN lease_since TIMESTAMP WITH TIME ZONE;
