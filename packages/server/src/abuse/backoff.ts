import { isIPv4, isIPv6 } from "node:net";

/** The counting rule of one kind of key (account or address). Durations in seconds. */
export interface BackoffPolicy {
  /** Failures within a window before any block. */
  readonly freeFailures: number;
  readonly windowSeconds: number;
  /** The longest single block: an attacker can never lock a key out for longer at a time. */
  readonly maxBlockSeconds: number;
}

/** One key's counter. Times in ms since the epoch. */
export interface FailureState {
  failures: number;
  windowStartedAt: number;
  blockedUntil: number | null;
}

/** Past this exponent the block is the cap anyway; it keeps 2^n finite (and PostgreSQL's power() in range). */
const MAX_EXPONENT = 30;
/** Keeps the counter far from integer overflow however long an attack lasts. */
export const MAX_FAILURES = 1_000_000;

/**
 * When a counter is forgotten: a window after it started, or a window after its last block
 * ended, whichever is later. Under attack each failure past the free ones pushes the block
 * forward, so the counter (and the back-off) keeps growing instead of resetting every window.
 */
export function expiresAt(state: FailureState, policy: BackoffPolicy): number {
  return Math.max(state.windowStartedAt, state.blockedUntil ?? 0) + policy.windowSeconds * 1000;
}

/**
 * The state after one more failure at `now`: the first `freeFailures` cost nothing, then each one
 * blocks for 1 s, 2 s, 4 s … up to `maxBlockSeconds`. The SQL in src/store/login-failures.ts
 * computes the same.
 */
export function nextFailureState(previous: FailureState | undefined, now: number, policy: BackoffPolicy): FailureState {
  const fresh = previous === undefined || expiresAt(previous, policy) <= now;
  const failures = fresh ? 1 : Math.min(previous.failures + 1, MAX_FAILURES);
  const windowStartedAt = fresh ? now : previous.windowStartedAt;
  if (failures <= policy.freeFailures) {
    return { failures, windowStartedAt, blockedUntil: fresh ? null : previous.blockedUntil };
  }
  return { failures, windowStartedAt, blockedUntil: now + blockSeconds(failures, policy) * 1000 };
}

export function blockSeconds(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.min(failures - policy.freeFailures - 1, MAX_EXPONENT);
  return Math.min(2 ** exponent, policy.maxBlockSeconds);
}

/** The account key: the login email, trimmed, NFC and lower-cased (as users.email_normalized). */
export function accountKey(email: string): string {
  return `account:${email.trim().normalize("NFC").toLowerCase()}`;
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
