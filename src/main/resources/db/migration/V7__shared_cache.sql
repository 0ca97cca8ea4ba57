-- The shared cache (model.SharedCache): answers AWS changes rarely (a usage plan's stages and tags, a
-- resource server's scopes), read once by any instance and then by all from here instead of from
-- AWS's control plane (docs/real-aws.md, "What each operation spends"). No secret is stored.
-- The provider decides how old an entry may be (webhook.aws.plan-cache-ttl); stored_at is when it
-- was read from AWS. Portable SQL: it runs on H2 and PostgreSQL. (V6 is reserved for the journal.)

CREATE TABLE shared_cache (
    cache_key VARCHAR(512) PRIMARY KEY,
    cache_value VARCHAR NOT NULL,
    stored_at TIMESTAMP WITH TIME ZONE NOT NULL
);
