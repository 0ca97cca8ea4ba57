-- The credentials ledger and the operation journal. Portable SQL: it runs on H2 and PostgreSQL.
-- No column ever holds a secret.

CREATE TABLE credential (
    id               VARCHAR(36)     NOT NULL PRIMARY KEY,
    credential_type  VARCHAR(32)     NOT NULL,
    hybrid           BOOLEAN         NOT NULL,
    provider         VARCHAR(16)     NOT NULL,
    app_id           VARCHAR(1024)   NOT NULL,
    -- SHA-256 of app_id while the credential is pending or active, NULL afterwards:
    -- the unique constraint lets one app hold at most one live credential.
    live_app_hash    VARCHAR(64)     UNIQUE,
    app_name         VARCHAR(1024)   NOT NULL,
    developer        VARCHAR(320)    NOT NULL,
    api_key_id       VARCHAR(128),
    client_id        VARCHAR(128),
    apis             VARCHAR(200000) NOT NULL,
    usage_plans      VARCHAR(20000)  NOT NULL,
    scopes           VARCHAR(20000)  NOT NULL,
    resources        VARCHAR(20000)  NOT NULL,
    status           VARCHAR(16)     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at       TIMESTAMP WITH TIME ZONE
);

CREATE INDEX credential_api_key_id ON credential (api_key_id);
CREATE INDEX credential_client_id ON credential (client_id);
CREATE INDEX credential_app_id ON credential (app_id);

-- The write-ahead journal: one row per create, update or revoke, written before the provider acts.
CREATE TABLE operation (
    id             VARCHAR(36)    NOT NULL PRIMARY KEY,
    kind           VARCHAR(16)    NOT NULL,
    credential_id  VARCHAR(36)    NOT NULL REFERENCES credential (id),
    status         VARCHAR(16)    NOT NULL,
    resources      VARCHAR(20000) NOT NULL,
    error          VARCHAR(1000),
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX operation_status_started ON operation (status, started_at);
CREATE INDEX operation_credential ON operation (credential_id);
