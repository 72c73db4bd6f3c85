/**
 * Freezes a parsed JSON value and everything in it. Results the verifier shares between calls
 * (cached headers and tokens) are frozen so that one caller's mutation cannot change what the
 * next caller is told was verified. JSON values are trees, so no cycle check is needed.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.freeze(value);
    const members = Object.values(value);
    for (let i = 0; i < members.length; i++) {
      const member = members[i];
      if (typeof member === "object" && member !== null) deepFreeze(member);
    }
  }
  return value;
}
