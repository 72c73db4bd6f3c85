-- Sigil schema, version 4: sign-in for the web — browser sessions, verified emails, one-time codes.

-- When the user proved they receive mail at `email` (a code sent there came back). Accounts that
-- existed before this version were never asked: they count as verified, so the upgrade locks
-- nobody out.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at;

-- A browser session is an ordinary session (it is listed, ended and revoked like any other)
-- whose credential is a cookie: only SHA-256 of the cookie's secret is stored. NULL for sessions
-- of the API (their credential is the refresh token).
ALTER TABLE sessions ADD COLUMN browser_secret_hash bytea;

-- One-time codes sent by mail: verify an address, reset a password, confirm a new address. Each
-- can be used once, within its expiry, and only so many times wrongly. The code a person types
-- and the secret of the link are kept only as HMACs under a server secret.
CREATE TABLE one_time_codes (
  id                  text PRIMARY KEY,
  purpose             text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
  user_id             text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email               text NOT NULL,            -- where it was sent (the new address of an email change)
  code_hash           bytea NOT NULL,
  link_hash           bytea NOT NULL,
  attempts            integer NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  consumed_at         timestamptz
);
CREATE INDEX one_time_codes_user ON one_time_codes (user_id, purpose) WHERE consumed_at IS NULL;
CREATE INDEX one_time_codes_expires_at ON one_time_codes (expires_at);

-- The hosted pages' own client: the sessions they create belong to it.
INSERT INTO clients (id, secret_hash, name, grant_types, audience, scopes, permissions)
VALUES ('sigil-pages', NULL, 'the hosted sign-in pages', '{}', NULL, '{}', '{}')
ON CONFLICT (id) DO NOTHING;
