-- Formulary index: a projection of the formulary items (Basic) and of the products they name
-- (Medication). The FHIR resources stay the source of truth; FormularyIndexInterceptor writes these
-- rows in the same database transaction as every FHIR write (REST, transactions, Camel feeds), and
-- FormularyIndexRebuilder rebuilds them from the FHIR store at start when the counts disagree.
-- Why: $coverage over 50 institutions × a 1,000-item catalog must answer within a second; reading
-- 50,000 narrow rows with one query does, parsing 50,000 Basic resources does not. The member
-- formulary rule on write also needs "does version X list this product?" as one indexed lookup.

CREATE TABLE formulary_product (
    medication_id     VARCHAR(64)   PRIMARY KEY,  -- Medication logical id
    generic_name      VARCHAR(500),               -- 通用名 (code.text)
    dosage_form_code  VARCHAR(16),                -- national dosage form CV08.50.002
    dosage_form_text  VARCHAR(200),
    strength          VARCHAR(200),               -- 规格
    package_text      VARCHAR(500),               -- 包装
    manufacturer      VARCHAR(500),               -- 生产企业
    nhsa_drug_code    VARCHAR(40),                -- 医保药品编码
    spec_key          VARCHAR(64),                -- 通用名|剂型|规格|生产企业 in ProductKey's normal form, hashed
    key_identifier    VARCHAR(300),               -- catalog key identifier system|value (NHSA drug code or product key)
    indexed_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_formulary_product_nhsa ON formulary_product (nhsa_drug_code);
CREATE INDEX ix_formulary_product_spec ON formulary_product (spec_key);
CREATE INDEX ix_formulary_product_name ON formulary_product (generic_name);
CREATE INDEX ix_formulary_product_key ON formulary_product (key_identifier);

CREATE TABLE formulary_item (
    item_id                 VARCHAR(64)   PRIMARY KEY,  -- Basic logical id
    formulary_id            VARCHAR(64)   NOT NULL,     -- InsurancePlan logical id (formulary-reference)
    medication_id           VARCHAR(64),                -- Medication logical id (subject)
    item_key                VARCHAR(300),               -- formulary-item identifier value
    vbp                     BOOLEAN,
    vbp_batch               VARCHAR(200),
    essential_medicine      BOOLEAN,
    insurance_class         VARCHAR(8),
    chronic_disease_groups  VARCHAR(1000),              -- codes, space separated
    two_spec_exempt         BOOLEAN,
    linkage_drug            BOOLEAN,
    change_type             VARCHAR(16),                -- introduce | remove | change
    change_effective        DATE,
    change_reason           VARCHAR(2000),
    indexed_at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_formulary_item_formulary ON formulary_item (formulary_id);
CREATE INDEX ix_formulary_item_medication ON formulary_item (medication_id);
CREATE INDEX ix_formulary_item_key ON formulary_item (item_key);
