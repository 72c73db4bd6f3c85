// The hash queue's two lines: a flood of new hashes (registrations) cannot push sign-ins behind
// it. Jobs here are promises the test settles by hand, so the order is the queue's alone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BoundedQueue, type HashLane } from "../../src/passwords/bounded-queue.js";
import { HashQueueFullError } from "../../src/passwords/password-errors.js";

interface HeldJob {
  result: Promise<string>;
  /** Lets the job end, and waits until the queue has handed its slot on. */
  finish(): Promise<void>;
}

function submit(queue: BoundedQueue, started: string[], name: string, lane: HashLane): HeldJob {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const result = queue.run(async () => {
    started.push(name);
    await released;
    return name;
  }, lane);
  result.catch(() => {});
  return {
    result,
    async finish() {
      release();
      await result;
      // The next job's start runs in a later microtask than this one's end.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe("hash queue lanes", () => {
  test("a freed slot goes to a waiting sign-in before registrations queued ahead of it", async () => {
    const queue = new BoundedQueue({ concurrency: 1, queueLimit: 64 });
    const started: string[] = [];
    const first = submit(queue, started, "register-1", "background");
    const waiting = [2, 3, 4].map((n) => submit(queue, started, `register-${n}`, "background"));
    const login = submit(queue, started, "login", "interactive");
    assert.deepEqual(started, ["register-1"]);
    await first.finish();
    assert.deepEqual(started, ["register-1", "login"]);
    await login.finish();
    for (const job of waiting) await job.finish();
    assert.deepEqual(started, ["register-1", "login", "register-2", "register-3", "register-4"]);
  });

  test("background jobs leave a slot free for sign-ins when there are several", async () => {
    const queue = new BoundedQueue({ concurrency: 2, queueLimit: 64 });
    const started: string[] = [];
    const registrations = [1, 2, 3].map((n) => submit(queue, started, `register-${n}`, "background"));
    assert.deepEqual(started, ["register-1"], "one of the two slots stays for sign-ins");
    const login = submit(queue, started, "login", "interactive");
    assert.deepEqual(started, ["register-1", "login"], "a sign-in starts at once");
    await login.finish();
    for (const job of registrations) await job.finish();
    assert.deepEqual(started, ["register-1", "login", "register-2", "register-3"]);
  });

  test("the background line is bounded apart: a registration flood is refused, sign-ins still queue", async () => {
    const queue = new BoundedQueue({ concurrency: 1, queueLimit: 8 });
    const started: string[] = [];
    const running = submit(queue, started, "register-0", "background");
    const flood = Array.from({ length: 6 }, (_, n) => submit(queue, started, `register-${n + 1}`, "background"));
    const outcomes = await Promise.allSettled(flood.slice(2).map((job) => job.result));
    // A quarter of the limit (two) may wait; the other four are refused at once.
    assert.ok(
      outcomes.every((outcome) => outcome.status === "rejected" && outcome.reason instanceof HashQueueFullError),
    );
    const logins = Array.from({ length: 8 }, (_, n) => submit(queue, started, `login-${n}`, "interactive"));
    assert.equal(queue.waiting, 2 + 8);
    await running.finish();
    for (const job of [...logins, ...flood.slice(0, 2)]) await job.finish();
    assert.deepEqual(
      started.slice(1, 9),
      logins.map((_, n) => `login-${n}`),
      "every sign-in before the queued registrations",
    );
  });
});
