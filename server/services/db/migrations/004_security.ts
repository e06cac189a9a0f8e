// Migration 4: admin identities and roles, web sessions, the audit log, client-key limits and budgets.
export default /* sql */ `
-- Named admin tokens (besides the root admin key): verified by sha256, never recovered.
CREATE TABLE admin_tokens (
  name VARCHAR PRIMARY KEY,
  token_hash VARCHAR NOT NULL UNIQUE,
  token_hint VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  can_view_bodies BOOLEAN NOT NULL DEFAULT false,
  enabled BOOLEAN NOT NULL DEFAULT true,
  expires_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
  created_by VARCHAR
);

-- Web UI sessions: only a sha256 of the session id is stored, so a copy of the file logs nobody in.
CREATE TABLE sessions (
  id_hash VARCHAR PRIMARY KEY,
  subject_kind VARCHAR NOT NULL,
  subject_name VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  can_view_bodies BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
  expires_at TIMESTAMP NOT NULL,
  ip VARCHAR,
  user_agent VARCHAR
);

-- Every admin mutation, login, logout and failed login. Append only: no API updates or deletes it.
CREATE SEQUENCE audit_log_id START 1;
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
  ts TIMESTAMP NOT NULL DEFAULT current_timestamp,
  actor VARCHAR,
  role VARCHAR,
  ip VARCHAR,
  action VARCHAR NOT NULL,
  target VARCHAR,
  outcome VARCHAR NOT NULL,
  detail VARCHAR,
  before JSON,
  after JSON
);
CREATE INDEX audit_log_ts ON audit_log (ts);

-- Client keys: owner, expiry, token-rate limit and budgets (tokens or USD, per day and per month).
ALTER TABLE client_keys ADD COLUMN owner VARCHAR;
ALTER TABLE client_keys ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE client_keys ADD COLUMN tpm INTEGER;
ALTER TABLE client_keys ADD COLUMN day_tokens BIGINT;
ALTER TABLE client_keys ADD COLUMN month_tokens BIGINT;
ALTER TABLE client_keys ADD COLUMN day_usd DOUBLE;
ALTER TABLE client_keys ADD COLUMN month_usd DOUBLE;
`
