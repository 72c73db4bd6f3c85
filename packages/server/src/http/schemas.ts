/** JSON-schema fragments shared by the route files. */

/** Every error response (see error-handler.ts). */
export const errorResponse = {
  type: "object",
  properties: { error: { type: "string" }, error_description: { type: "string" } },
  required: ["error", "error_description"],
  additionalProperties: false,
} as const;

/** Emails: the auth layer normalizes and checks the shape; this bounds the size. */
export const emailField = { type: "string", minLength: 1, maxLength: 320 } as const;

/**
 * Passwords: the policy (length in code points, blocklist) is checked in code so a weak password
 * gets the rule's name; this only bounds the work a request can ask of the hasher.
 */
export const passwordField = { type: "string", minLength: 1, maxLength: 4096 } as const;

/** The body of register and login: an email and a password, nothing else. */
export const credentialsBody = {
  type: "object",
  properties: { email: emailField, password: passwordField },
  required: ["email", "password"],
  additionalProperties: false,
} as const;

/** A device credential (abuse/device-credential.ts): `<22-char id>.<43-char mac>`. */
export const deviceTokenField = { type: "string", minLength: 1, maxLength: 128 } as const;

/** The body of login: register's, and optionally the device credential of an earlier sign-in. */
export const loginBody = {
  type: "object",
  properties: { email: emailField, password: passwordField, device_token: deviceTokenField },
  required: ["email", "password"],
  additionalProperties: false,
} as const;

/** RFC 6749 §5.1 token response; the schema is also the list of fields allowed out. */
export const tokenPairResponse = {
  type: "object",
  properties: {
    access_token: { type: "string" },
    token_type: { type: "string" },
    expires_in: { type: "integer" },
    refresh_token: { type: "string" },
  },
  required: ["access_token", "token_type", "expires_in", "refresh_token"],
  additionalProperties: false,
} as const;

/**
 * /auth/refresh's answer: a token pair, whose refresh token is left out in cookie mode (it goes
 * in the HttpOnly cookie, where no script reads it).
 */
export const firstPartyTokenResponse = {
  ...tokenPairResponse,
  required: ["access_token", "token_type", "expires_in"],
} as const;

/** Login's answer: the token pair (as /auth/refresh's) and the device credential to keep for the next sign-in. */
export const loginResponse = {
  ...firstPartyTokenResponse,
  properties: { ...firstPartyTokenResponse.properties, device_token: { type: "string" } },
  required: [...firstPartyTokenResponse.required, "device_token"],
} as const;

/** A code typed from a mail (`XXXX-XXXX`; spaces and dashes are ignored): bounded, checked in code. */
export const codeField = { type: "string", minLength: 1, maxLength: 32 } as const;

/** The token of a mailed link (`<id>.<secret>`). */
export const linkTokenField = { type: "string", minLength: 1, maxLength: 160 } as const;

/**
 * The answer of every request that may send a mail (202): the same whether or not the address
 * has an account, so it tells nobody which addresses do.
 */
export const CHECK_YOUR_EMAIL = { status: "check_your_email" } as const;
export const checkYourEmailResponse = {
  type: "object",
  properties: { status: { type: "string", enum: ["check_your_email"] } },
  required: ["status"],
  additionalProperties: false,
} as const;
