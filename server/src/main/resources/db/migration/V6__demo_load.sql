-- Demo consortium steps already loaded (issue #2): a start skips a step whose input files and gateway
-- version are unchanged since it was loaded, instead of re-applying ~12 s of idempotent writes.
-- Delete a row (or all) to have the next start load that step again.
CREATE TABLE demo_load (
    step            VARCHAR(100) NOT NULL,   -- loader step, e.g. bundle:consortium.json, formulary:YGT-2025
    content_sha256  CHAR(64)     NOT NULL,   -- SHA-256 of the step's input files and the gateway version
    loaded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_demo_load PRIMARY KEY (step)
);
