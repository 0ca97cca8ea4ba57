-- The local provider's own store: what each locally issued credential may use, and its secret
-- encrypted with AES-GCM (never in plaintext).

CREATE TABLE local_credential (
    id                 VARCHAR(64)    NOT NULL PRIMARY KEY,
    credential_type    VARCHAR(32)    NOT NULL,
    name               VARCHAR(1024)  NOT NULL,
    operation_id       VARCHAR(36)    NOT NULL,
    secret_ciphertext  VARCHAR(512)   NOT NULL,
    apis               VARCHAR(20000) NOT NULL,
    usage_plans        VARCHAR(20000) NOT NULL,
    scopes             VARCHAR(20000) NOT NULL,
    enabled            BOOLEAN        NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at         TIMESTAMP WITH TIME ZONE
);
