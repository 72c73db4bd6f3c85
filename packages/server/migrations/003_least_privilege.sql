-- Sigil schema, version 3: client permissions, the first-party client, throttling of registrations.

-- What a registered client may do beyond getting tokens: 'introspection' (POST /oauth/introspect)
-- and 'revocation-feed' (GET /revocations/feed). Least privilege: new clients get none unless
-- granted (`sigil clients create --allow …`, `sigil clients update --allow …`). Confidential
-- clients registered before this version keep what they could do then, so an upgrade does not
-- cut running verifiers off.
ALTER TABLE clients ADD COLUMN permissions text[] NOT NULL DEFAULT '{}';
UPDATE clients SET permissions = ARRAY['introspection', 'revocation-feed'] WHERE secret_hash IS NOT NULL;

-- The server's own first-party app (/auth/login, /auth/refresh), registered like any public
-- client so that it can be named where a client_id is required (RFC 7009 revocation).
INSERT INTO clients (id, secret_hash, name, grant_types, audience, scopes, permissions)
VALUES ('first-party', NULL, 'first-party apps (/auth/login)', ARRAY['password', 'refresh_token'], NULL, '{}', '{}')
ON CONFLICT (id) DO NOTHING;

-- Server secrets are sealed with the key-encryption key like the signing keys ('v1.…'), or kept
-- as 'plain.…' in development. The raw column stays readable for rows written by version 2 until
-- a server seals them (keys/server-secrets.ts), then it is cleared.
ALTER TABLE server_secrets ADD COLUMN sealed text;
ALTER TABLE server_secrets ALTER COLUMN secret DROP NOT NULL;
