-- Intermediate-database (中间库) polling: where each channel's poller stands, and Camel's JDBC
-- idempotent repository (camel-sql JdbcMessageIdRepository, table name as Camel expects it) that
-- makes each row version processed exactly once.

-- Keyset watermark per channel: the last row processed in (updated_at, prescription_no) order.
-- updated_at is the HIS's local time as read from its table (no time zone).
CREATE TABLE feed_watermark (
    channel          VARCHAR(64)  NOT NULL PRIMARY KEY,
    last_updated_at  TIMESTAMP    NOT NULL,
    last_key         VARCHAR(200) NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Columns and types as camel-sql's JdbcMessageIdRepository reads and writes them; the primary key
-- is the unique constraint that makes a concurrent second insert of the same key fail.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName  VARCHAR(255) NOT NULL,
    messageId      VARCHAR(100) NOT NULL,
    createdAt      TIMESTAMP    NOT NULL,
    CONSTRAINT pk_camel_messageprocessed PRIMARY KEY (processorName, messageId)
);
