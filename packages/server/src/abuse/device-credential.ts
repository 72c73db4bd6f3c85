import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Device credentials (OWASP Authentication Cheat Sheet, "Slow Down Online Guessing Attacks with
 * Device Cookies"): a client that signed in to an account gets a credential naming a device and
 * bound to that account, `<deviceId>.<mac>` with mac = HMAC-SHA256(deviceKey, "sigil/device/v1"
 * ‖ 0 ‖ account ‖ 0 ‖ deviceId). Presented at the next sign-in to the same account, it moves the
 * attempt from the account's counter to the device's own, so an attacker's failures elsewhere
 * cannot keep its owner out. It grants nothing else: the password is still checked, and a
 * credential for another account, or altered, is simply ignored (the attempt counts on the account).
 */

const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

function mac(deviceKey: Buffer, account: string, deviceId: string): Buffer {
  return createHmac("sha256", deviceKey).update(`sigil/device/v1\0${account}\0${deviceId}`, "utf8").digest();
}

/** A credential for `account` (the normalized email): for a new device, or renewing `deviceId`. */
export function issueDeviceCredential(deviceKey: Buffer, account: string, deviceId?: string): string {
  const id = deviceId ?? randomBytes(16).toString("base64url");
  return `${id}.${mac(deviceKey, account, id).toString("base64url")}`;
}

/** The device id of a credential genuinely issued for `account`, or undefined (absent, malformed, altered, another account's). */
export function readDeviceCredential(
  deviceKey: Buffer,
  account: string,
  credential: string | undefined,
): string | undefined {
  if (credential === undefined || credential.length > 128) return undefined;
  const [id, presented, extra] = credential.split(".");
  if (id === undefined || presented === undefined || extra !== undefined) return undefined;
  if (!DEVICE_ID.test(id) || !MAC.test(presented)) return undefined;
  const expected = mac(deviceKey, account, id);
  return timingSafeEqual(Buffer.from(presented, "base64url"), expected) ? id : undefined;
}
