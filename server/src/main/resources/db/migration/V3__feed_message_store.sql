-- Feeds (issue #6): what the message store needs beyond V1 for ACK re-sends, replay, outbound
-- store-and-forward and the admin API. H2- and PostgreSQL-compatible.

-- MSA-1 answered (inbound) or received (outbound): a resend of a processed message is acknowledged
-- again from the stored outcome.
ALTER TABLE message ADD COLUMN ack_code VARCHAR(2);
-- HL7 table 0357 code of the failure (e.g. 204), next to the error text.
ALTER TABLE message ADD COLUMN error_code VARCHAR(8);
-- Conversion warnings of an accepted message (one per line), for data-quality follow-up.
ALTER TABLE message ADD COLUMN warnings VARCHAR(4000);
-- MLLP peer (inbound) or destination (outbound).
ALTER TABLE message ADD COLUMN remote_address VARCHAR(128);
ALTER TABLE message ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
-- Outbound: not to be sent again before this time (retry with backoff).
ALTER TABLE message ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;

-- Admin search by channel and time, and the outbound queue (oldest pending first per channel).
CREATE INDEX ix_message_channel ON message (channel, received_at);
CREATE INDEX ix_message_outbound ON message (direction, status, channel, id);

-- Runtime aliases of sending facilities (MSH-4 values that are not NHSA institution codes), added
-- through the admin API so that a failed message can be replayed without a restart.
CREATE TABLE feed_facility_alias (
    alias        VARCHAR(64)  NOT NULL PRIMARY KEY,
    institution  VARCHAR(32)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by   VARCHAR(128)
);
