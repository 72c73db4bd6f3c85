/**
 * Finds claims that look like personal or secret data. A JWT payload is only base64url-encoded:
 * anyone who holds the token (a browser extension, a proxy log, a support ticket) can read it.
 * The checks are heuristics for a warning, tuned to avoid crying wolf on ordinary ids.
 */
export interface SensitiveFinding {
  /** Dotted path of the claim, e.g. "email" or "profile.phone". */
  readonly path: string;
  /** What it looks like: "an email address", "a password", ... */
  readonly looksLike: string;
  readonly kind: "personal" | "secret";
}

const NAME_RULES: readonly { test: RegExp; looksLike: string; kind: "personal" | "secret" }[] = [
  { test: /passw(or)?d|^pwd$|^pass$|passphrase/, looksLike: "a password", kind: "secret" },
  { test: /secret|apikey|privatekey/, looksLike: "a secret", kind: "secret" },
  { test: /creditcard|cardnumber|^card$|^cc$|^ccnumber$|^pan$|cvv|cvc/, looksLike: "a card number", kind: "secret" },
  { test: /^ssn$|socialsecurity|nationalid|taxid|passport/, looksLike: "a national id", kind: "personal" },
  { test: /e?mail/, looksLike: "an email address", kind: "personal" },
  { test: /phone|mobile|^tel$|telephone/, looksLike: "a phone number", kind: "personal" },
  { test: /address|street|postcode|zipcode/, looksLike: "a postal address", kind: "personal" },
  { test: /^dob$|birth|^bday$/, looksLike: "a date of birth", kind: "personal" },
];

const MAX_DEPTH = 8;
const MAX_NODES = 2000;

/** Walks the payload (bounded in depth and size) and reports suspicious claims by name or value. */
export function findSensitiveClaims(payload: Readonly<Record<string, unknown>>): SensitiveFinding[] {
  const findings: SensitiveFinding[] = [];
  let budget = MAX_NODES;
  const visit = (value: unknown, path: string, name: string, depth: number): void => {
    if (--budget < 0) return;
    const byName = name === "" ? undefined : ruleForName(name);
    // Booleans such as email_verified or phone_number_verified (OIDC Core §5.1) say nothing personal.
    if (byName !== undefined && typeof value !== "boolean" && value !== null) {
      findings.push({ path, looksLike: byName.looksLike, kind: byName.kind });
      return;
    }
    if (typeof value === "string" || typeof value === "number") {
      const byValue = ruleForValue(String(value));
      if (byValue !== undefined) findings.push({ path, ...byValue });
      return;
    }
    if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, `${path}[${index}]`, "", depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      visit(child, path === "" ? key : `${path}.${key}`, key, depth + 1);
    }
  };
  visit(payload, "", "", 0);
  return findings;
}

function ruleForName(name: string): (typeof NAME_RULES)[number] | undefined {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return NAME_RULES.find((rule) => rule.test.test(normalized));
}

function ruleForValue(value: string): Omit<SensitiveFinding, "path"> | undefined {
  if (value.length > 254) return undefined;
  if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(value)) return { looksLike: "an email address", kind: "personal" };
  if (looksLikeCardNumber(value)) return { looksLike: "a card number", kind: "secret" };
  if (looksLikePhoneNumber(value)) return { looksLike: "a phone number", kind: "personal" };
  return undefined;
}

/**
 * 13 to 19 digits (spaces or dashes allowed), a major network's first digit (2–6), and a valid
 * Luhn check digit (ISO/IEC 7812-1 Annex B).
 */
export function looksLikeCardNumber(value: string): boolean {
  if (!/^\d[\d -]{11,22}\d$/.test(value)) return false;
  const digits = value.replace(/[ -]/g, "");
  if (digits.length < 13 || digits.length > 19 || !/^[2-6]/.test(digits)) return false;
  return passesLuhn(digits);
}

/** The Luhn mod-10 check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * International form (+ and 8–15 digits, E.164) or a separated national form like
 * "(415) 555-2671". A bare run of digits is more often an id (sub "1234567890") than a phone.
 */
function looksLikePhoneNumber(value: string): boolean {
  if (/^\+[1-9][\d ().-]{6,20}$/.test(value)) {
    const digits = value.replace(/\D/g, "").length;
    return digits >= 8 && digits <= 15;
  }
  return /^\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}$/.test(value);
}
