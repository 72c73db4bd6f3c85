// The cookie-mode test page: @sigil/client in cookie mode (the refresh token an HttpOnly cookie of
// the auth server), with what the browser tests read exposed as `window.sigilTest`. The issuer and
// the API come from the query string (?issuer=…&api=…), since the servers pick their ports.
// Everything a test waits for is an event of the client, turned into a promise here.
import { createClient } from "./sigil-client.js";

const params = new URLSearchParams(location.search);
const issuer = params.get("issuer");
const api = params.get("api");
const status = document.querySelector("#status");

const counts = { tokens: 0, signedOut: 0, errors: 0, refreshRequests: 0 };
const signedOutReasons = [];
const waiters = [];
const settle = () => {
  for (const waiter of [...waiters]) {
    if (waiter.done()) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
};
/** Resolves once `counts[name]` reaches `atLeast`: an event that happened, not a time that passed. */
const waitForCount = (name, atLeast) =>
  new Promise((resolve) => {
    waiters.push({ done: () => counts[name] >= atLeast, resolve });
    settle();
  });

const client = createClient({
  issuer,
  fetch: (input, init) => {
    // Requests that reach the network: the server's count is the one that matters, this one is
    // what this tab did.
    if (String(input instanceof Request ? input.url : input).endsWith("/auth/refresh")) counts.refreshRequests++;
    return fetch(input, init);
  },
});
const count = (name) => () => {
  counts[name]++;
  settle();
};
client.on("signedIn", count("tokens"));
client.on("tokenRefreshed", count("tokens"));
client.on("error", count("errors"));
client.on("signedOut", (event) => {
  signedOutReasons.push(event.reason);
  status.textContent = "Signed out";
  count("signedOut")();
});

globalThis.sigilTest = {
  client,
  counts,
  signedOutReasons,
  waitForCount,
  token: () => client.getAccessToken(),
  /** GET the API's /me with the access token (refreshed once on an invalid_token 401). */
  callApi: async () => {
    const response = await client.fetch(`${api}/me`);
    return { status: response.status, body: response.ok ? await response.json() : null };
  },
};

// After a load: resume the session from the cookie, if there is one.
client
  .getAccessToken()
  .then(
    () => {
      status.textContent = "Signed in";
    },
    (error) => {
      status.textContent = `Signed out (${error.code})`;
    },
  )
  .finally(() => {
    document.body.dataset.ready = "true";
  });
