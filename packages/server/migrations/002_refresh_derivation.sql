-- Sigil schema, version 2 (auth core).

-- Server-wide secrets, generated once by whichever instance starts first (INSERT … ON CONFLICT DO
-- NOTHING, then read back), so that every instance on one database derives the same values.
-- 'refresh_derivation': the HMAC key that derives a refresh token's successor from the parent
-- token (see src/auth/refresh-token-format.ts for why this is safe to keep here).
CREATE TABLE server_secrets (
  name                text PRIMARY KEY,
  secret              bytea NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);

-- Token checks look revocations up by session and by user.
CREATE INDEX revocations_session_id ON revocations (session_id) WHERE kind = 'session';
CREATE INDEX revocations_user_id ON revocations (user_id) WHERE kind = 'user_before';
