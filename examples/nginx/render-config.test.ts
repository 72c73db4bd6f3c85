import assert from "node:assert/strict";
import { test } from "node:test";
import { renderNginxConfig } from "./render-config.js";

const VALUES = { LISTEN: "127.0.0.1:8080", SIGIL: "127.0.0.1:3000", APP: "[::1]:8081" };

test("a value that is not host:port is refused: it would be pasted into the configuration", () => {
  for (const bad of ["127.0.0.1:8080; include /etc/passwd", "127.0.0.1", "a b:1", "127.0.0.1:80\n}", ""]) {
    assert.throws(() => renderNginxConfig({ ...VALUES, SIGIL: bad }), {
      name: "TypeError",
      message: `SIGIL must be host:port, got ${JSON.stringify(bad)}`,
    });
  }
});

test("a placeholder without a value is refused, not left in the output", () => {
  assert.throws(() => renderNginxConfig(VALUES, "listen {{LISTEN}}; x {{OTHER}};"), {
    name: "TypeError",
    message: "no value for {{OTHER}}",
  });
});

test("the template renders with no placeholder left, the upstreams and listen address in place", () => {
  const config = renderNginxConfig(VALUES);
  assert.doesNotMatch(config, /\{\{/);
  assert.match(config, /listen 127\.0\.0\.1:8080;/);
  assert.match(config, /upstream sigil \{\s+server 127\.0\.0\.1:3000;/);
  assert.match(config, /upstream app \{\s+server \[::1\]:8081;/);
  assert.match(config, /proxy_pass_request_body off;/);
  assert.match(config, /proxy_set_header X-Auth-Subject \$sigil_subject;/);
});
