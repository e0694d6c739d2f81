-- Outbound notices (issue #6, item 3): which prescriptions extend (延伸处方) which originals, so that
-- when an original is cancelled the institutions holding its extensions can be told. R4 has no
-- search parameter on MedicationRequest.basedOn / priorPrescription, so the gateway keeps the link
-- itself, written in the same transaction as the extension.
CREATE TABLE prescription_link (
    extension_id           VARCHAR(64)  NOT NULL,   -- MedicationRequest id of the extension
    original_ref           VARCHAR(300) NOT NULL,   -- MedicationRequest/{id}, or identifier system|value
    extension_institution  VARCHAR(32)  NOT NULL,
    original_institution   VARCHAR(32)  NOT NULL,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_prescription_link PRIMARY KEY (extension_id, original_ref)
);
CREATE INDEX ix_prescription_link_original ON prescription_link (original_ref);
