import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { register as globalRegistry } from "prom-client";
import { Metrics } from "../src/observability/index.js";

describe("Metrics", () => {
  test("renders every counter and gauge in Prometheus text format", async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.loginsTotal.inc({ outcome: "success" });
    metrics.loginsTotal.inc({ outcome: "invalid_credentials" }, 2);
    metrics.refreshesTotal.inc({ outcome: "refresh_token_reused" });
    metrics.theftDetectionsTotal.inc();
    metrics.revocationsTotal.inc({ kind: "session" });
    metrics.tokenCheckFailuresTotal.inc({ code: "ERR_JWT_EXPIRED" });
    metrics.observeHashQueue({ queueDepth: 7, active: 2, completed: { hash: 0, verify: 0 } });
    const text = await metrics.render();
    assert.match(text, /^sigil_logins_total\{outcome="success"\} 1$/m);
    assert.match(text, /^sigil_logins_total\{outcome="invalid_credentials"\} 2$/m);
    assert.match(text, /^sigil_refreshes_total\{outcome="refresh_token_reused"\} 1$/m);
    assert.match(text, /^sigil_refresh_token_theft_detections_total 1$/m);
    assert.match(text, /^sigil_revocations_total\{kind="session"\} 1$/m);
    assert.match(text, /^sigil_token_check_failures_total\{code="ERR_JWT_EXPIRED"\} 1$/m);
    assert.match(text, /^sigil_password_hash_queue_depth 7$/m);
    assert.match(text, /^sigil_password_hash_active 2$/m);
    assert.match(text, /^# TYPE sigil_logins_total counter$/m);
    assert.match(metrics.contentType, /^text\/plain; version=0\.0\.4/);
    assert.ok(!text.includes("process_cpu"), "no process metrics when switched off");
  });

  test("two instances do not collide and the global registry stays empty", async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.loginsTotal.inc({ outcome: "success" });
    assert.match(await a.render(), /sigil_logins_total\{outcome="success"\} 1/);
    assert.doesNotMatch(await b.render(), /sigil_logins_total\{outcome="success"\}/);
    assert.match(await a.render(), /^sigil_process_cpu_user_seconds_total /m);
    assert.equal((await globalRegistry.getMetricsAsJSON()).length, 0);
  });
});
