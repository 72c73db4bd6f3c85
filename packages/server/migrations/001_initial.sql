-- Sigil schema, version 1. The same SQL runs on PGlite and PostgreSQL.
-- Times are timestamptz; ids are text (random, URL-safe) so they can appear in tokens (sid) and URLs.

CREATE TABLE users (
  id                  text PRIMARY KEY,
  email               text NOT NULL,            -- as the user typed it (trimmed)
  email_normalized    text NOT NULL UNIQUE,     -- lower-cased, NFC: the login key
  password_hash       text NOT NULL,            -- argon2id PHC string, or an imported bcrypt hash
  roles               text[] NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  disabled_at         timestamptz,
  -- Access tokens of this user issued before this time are void (logout-all, password change).
  tokens_valid_after  timestamptz
);

CREATE TABLE sessions (
  id                  text PRIMARY KEY,         -- the `sid` claim
  user_id             text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id           text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  last_used_at        timestamptz NOT NULL DEFAULT now(),
  absolute_expires_at timestamptz NOT NULL,
  idle_expires_at     timestamptz NOT NULL,
  user_agent          text,
  ip                  text,
  ended_at            timestamptz,
  end_reason          text                      -- logout | logout_all | password_change | user_disabled | refresh_token_reused | admin
);
CREATE INDEX sessions_user_id ON sessions (user_id) WHERE ended_at IS NULL;

-- One row per refresh token ever issued; only a hash of the token is stored.
CREATE TABLE refresh_tokens (
  id                  text PRIMARY KEY,
  session_id          text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  token_hash          bytea NOT NULL UNIQUE,    -- SHA-256 of the token's secret part
  parent_id           text REFERENCES refresh_tokens(id) ON DELETE SET NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  rotated_at          timestamptz,              -- set when this token was exchanged for its successor
  successor_id        text
);
CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

-- The durable revocation record, and the revocation feed's event log (id = event id).
CREATE TABLE revocations (
  id                  bigserial PRIMARY KEY,
  kind                text NOT NULL CHECK (kind IN ('session', 'user_before')),
  session_id          text,                     -- kind = session
  user_id             text,                     -- kind = user_before (and session, for information)
  before_time         timestamptz,              -- kind = user_before: tokens with iat < before_time are void
  reason              text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- No access token affected by this row outlives this time (created_at + access TTL + clock tolerance).
  expires_at          timestamptz NOT NULL,
  CHECK ((kind = 'session' AND session_id IS NOT NULL) OR (kind = 'user_before' AND user_id IS NOT NULL AND before_time IS NOT NULL))
);
CREATE INDEX revocations_expires_at ON revocations (expires_at);

CREATE TABLE signing_keys (
  kid                   text PRIMARY KEY,
  alg                   text NOT NULL,
  public_jwk            jsonb NOT NULL,         -- public members only
  private_key_encrypted text NOT NULL,          -- AES-256-GCM under the key-encryption key (see keys/), or a dev marker
  created_at            timestamptz NOT NULL DEFAULT now(),
  activates_at          timestamptz NOT NULL,   -- signs from this time on (published in the JWKS before)
  retires_at            timestamptz             -- stops signing; stays in the JWKS until retires_at + access TTL
);

-- Registered OAuth clients: first-party apps, service clients (client_credentials), verifiers.
CREATE TABLE clients (
  id                  text PRIMARY KEY,
  secret_hash         text,                     -- "sha256:<b64url>" of the 256-bit random secret; NULL for public clients
  name                text NOT NULL,
  grant_types         text[] NOT NULL DEFAULT '{}',
  audience            text,                     -- aud of client_credentials tokens
  scopes              text[] NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  disabled_at         timestamptz
);

-- Failed-login counters shared across instances (rate limiting with back-off).
CREATE TABLE login_failures (
  key                 text PRIMARY KEY,         -- 'account:<email_normalized>' or 'ip:<address>'
  failures            integer NOT NULL,
  window_started_at   timestamptz NOT NULL,
  blocked_until       timestamptz
);
