-- Sigil schema, version 5: Sigil as an OpenID Connect provider — the authorization code flow with
-- PKCE, consent, and app sessions that belong to the browser session they were signed in from.

-- Where a client may receive codes (exact match, RFC 9700 §4.1.3) and where it may send a browser
-- after RP-initiated logout; whether it is the operator's own app (no consent page).
ALTER TABLE clients ADD COLUMN redirect_uris text[] NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN post_logout_redirect_uris text[] NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN first_party boolean NOT NULL DEFAULT false;

-- A session started by an authorization code belongs to the browser session that signed in:
-- ending that one (sign-out, RP-initiated logout, a password reset, an operator) ends it too.
ALTER TABLE sessions ADD COLUMN parent_session_id text REFERENCES sessions(id) ON DELETE CASCADE;
-- When the user last proved who they are in this browser session (a sign-in, or signing in again
-- when an app asked for it: prompt=login, max_age); NULL means at its start. The ID token's auth_time.
ALTER TABLE sessions ADD COLUMN authenticated_at timestamptz;

-- The scopes an app was granted: every access token of the session carries them, refreshed or not.
ALTER TABLE sessions ADD COLUMN scope text;
CREATE INDEX sessions_parent_session_id ON sessions (parent_session_id) WHERE parent_session_id IS NOT NULL;

-- Authorization codes: only SHA-256 of the code is stored. Single use: a second exchange is
-- refused and ends the session the first one started (RFC 6749 §4.1.2).
CREATE TABLE authorization_codes (
  id                  text PRIMARY KEY,
  code_hash           bytea NOT NULL UNIQUE,
  client_id           text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id             text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  browser_session_id  text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  redirect_uri        text NOT NULL,
  code_challenge      text NOT NULL,            -- PKCE S256 (the only method)
  scope               text NOT NULL,
  nonce               text,
  auth_time           timestamptz NOT NULL,
  created_at          timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  consumed_at         timestamptz,
  issued_session_id   text                      -- the session its exchange started
);
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

-- What a user allowed a third-party client to have (scopes), remembered until revoked.
CREATE TABLE consents (
  user_id             text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id           text NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  scopes              text[] NOT NULL,
  granted_at          timestamptz NOT NULL,
  PRIMARY KEY (user_id, client_id)
);
