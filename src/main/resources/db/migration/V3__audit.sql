-- The audit trail: one row per create, update, revoke, rollback, retire, sweep and reconcile action.
-- Append-only: the service inserts rows and never updates or deletes them. Ids only, never a secret.
-- Portable SQL: it runs on H2 and PostgreSQL.

CREATE TABLE audit_record (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              VARCHAR(36)    NOT NULL UNIQUE,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    operation       VARCHAR(16)    NOT NULL,
    outcome         VARCHAR(64)    NOT NULL,
    credential_id   VARCHAR(36),
    api_key_id      VARCHAR(128),
    client_id       VARCHAR(128),
    app_id          VARCHAR(1024),
    app_name        VARCHAR(1024),
    developer       VARCHAR(320),
    resources       VARCHAR(20000) NOT NULL,
    account         VARCHAR(256)   NOT NULL,
    client_address  VARCHAR(64),
    request_id      VARCHAR(64)
);

CREATE INDEX audit_record_recorded_at ON audit_record (recorded_at);
CREATE INDEX audit_record_credential ON audit_record (credential_id);
CREATE INDEX audit_record_app ON audit_record (app_id);
