-- Targets (webhook.targets): every journaled resource names the target it lives in. Records written
-- before targets existed live in the default target; this writes that down in each of them.
-- Portable SQL: it runs on H2 and PostgreSQL.
--
-- credential.resources and operation.resources hold a JSON array of resource objects, written by
-- Jackson without whitespace and with "type" as the first key: [{"type":"...","id":...}, ...].
-- The text {"type": occurs only where such an object begins: inside a JSON string every quote is
-- escaped (\"), and a string that ends in { is followed by , : ] or }, never by type. Likewise
-- "target": can only be a key, so a row that already names a target is left as it is.
-- Jackson reads the key order {"target":"default","type":...} as well as the one it writes.
-- (audit_record.resources is a JSON array of resource ids, strings, and is append-only: untouched.)

UPDATE credential SET resources = REPLACE(resources, '{"type":', '{"target":"default","type":')
    WHERE resources LIKE '%{"type":%' AND resources NOT LIKE '%"target":%';
UPDATE operation SET resources = REPLACE(resources, '{"type":', '{"target":"default","type":')
    WHERE resources LIKE '%{"type":%' AND resources NOT LIKE '%"target":%';
