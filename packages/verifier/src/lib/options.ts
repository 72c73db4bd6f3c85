import { JWTError } from "@sigil/jwt";

/** An invalid option, named: thrown once, when the verifier is created, never per token. */
export function invalidOption(option: string, message: string): JWTError {
  return new JWTError("OPTIONS_INVALID", `${option}: ${message}`, { option });
}

/** Checks a duration option in milliseconds (a finite number within bounds). */
export function checkDuration(option: string, value: number, bounds: { min: number; max?: number }): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < bounds.min) {
    throw invalidOption(option, `must be a number of milliseconds >= ${bounds.min}`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw invalidOption(option, `must be at most ${bounds.max} ms`);
  }
  return value;
}
