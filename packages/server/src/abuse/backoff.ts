import { isIPv4, isIPv6 } from "node:net";

/** The counting rule of one kind of key (account, address, device, registrations). Durations in seconds. */
export interface BackoffPolicy {
  /** Attempts within a window before any block: the allowance. */
  readonly allowance: number;
  readonly windowSeconds: number;
  /** The longest single block: an attacker can never lock a key out for longer at a time. */
  readonly maxBlockSeconds: number;
  /**
   * "backoff" (default): once the allowance is used, each attempt blocks the key for 1 s, 2 s,
   * 4 s … "window": once the allowance is used, the key is blocked until its window ends (a plain
   * quota, for registrations).
   */
  readonly block?: "backoff" | "window";
}

/** One key's counter. Times in ms since the epoch. */
export interface AttemptState {
  /** Attempts counted in this window — those in flight included (they are counted before any work). */
  attempts: number;
  windowStartedAt: number;
  blockedUntil: number | null;
}

/** Past this exponent the block is the cap anyway; it keeps 2^n finite. */
const MAX_EXPONENT = 30;
/** Keeps the counter far from integer overflow however long an attack lasts. */
export const MAX_ATTEMPTS = 1_000_000;

/**
 * When a counter is forgotten: a window after it started, or a window after its last block
 * ended, whichever is later. Under attack each attempt past the allowance pushes the block
 * forward, so the counter (and the back-off) keeps growing instead of resetting every window.
 */
export function expiresAt(state: AttemptState, policy: BackoffPolicy): number {
  return Math.max(state.windowStartedAt, state.blockedUntil ?? 0) + policy.windowSeconds * 1000;
}

export function isBlocked(state: AttemptState | undefined, now: number): boolean {
  return state?.blockedUntil != null && state.blockedUntil > now;
}

/**
 * The state after one more attempt at `now`, counted BEFORE the attempt is evaluated (the
 * password hashed): attempts in flight count, so concurrent guesses cannot all slip under the
 * allowance. The attempt that uses the allowance up blocks the key for the next ones: 1 s, then
 * 2 s, 4 s … up to `maxBlockSeconds` (or, for a "window" policy, until the window ends).
 */
export function nextAttemptState(previous: AttemptState | undefined, now: number, policy: BackoffPolicy): AttemptState {
  const fresh = previous === undefined || expiresAt(previous, policy) <= now;
  const attempts = fresh ? 1 : Math.min(previous.attempts + 1, MAX_ATTEMPTS);
  const windowStartedAt = fresh ? now : previous.windowStartedAt;
  if (attempts < policy.allowance) {
    return { attempts, windowStartedAt, blockedUntil: fresh ? null : previous.blockedUntil };
  }
  const blockedUntil =
    policy.block === "window"
      ? windowStartedAt + policy.windowSeconds * 1000
      : now + blockSeconds(attempts, policy) * 1000;
  return { attempts, windowStartedAt, blockedUntil };
}

/**
 * The state once an attempt counted by {@link nextAttemptState} turned out a success: one
 * attempt fewer, and no block if the rest stay within the allowance (the block was this
 * attempt's doing).
 */
export function refundedState(state: AttemptState, policy: BackoffPolicy): AttemptState {
  const attempts = Math.max(0, state.attempts - 1);
  return { ...state, attempts, blockedUntil: attempts < policy.allowance ? null : state.blockedUntil };
}

/** The back-off after `attempts` attempts in a window (at least the allowance). */
export function blockSeconds(attempts: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(0, attempts - policy.allowance), MAX_EXPONENT);
  return Math.min(2 ** exponent, policy.maxBlockSeconds);
}

/** The account key: the login email, trimmed, NFC and lower-cased (as users.email_normalized). */
export function accountKey(email: string): string {
  return `account:${email.trim().normalize("NFC").toLowerCase()}`;
}

/** A device's key: its id from a valid device credential (device-credential.ts). */
export function deviceKey(deviceId: string): string {
  return `device:${deviceId}`;
}

/**
 * The address key. IPv4-mapped IPv6 is the IPv4 address; other IPv6 addresses count by their
 * /64, the block a single host or customer usually gets, so rotating through one's own prefix
 * does not reset the counter.
 */
export function addressKey(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1] && isIPv4(mapped[1])) return `ip:${mapped[1]}`;
  if (isIPv6(address)) return `ip:${ipv6Prefix64(address)}::/64`;
  return `ip:${address}`;
}

/** The first four 16-bit groups of an IPv6 address, expanded ("2001:db8:0:0"). */
function ipv6Prefix64(address: string): string {
  const withoutZone = address.split("%")[0] ?? address;
  const [head = "", tail] = withoutZone.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups; only the first four matter here.
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(":");
}
