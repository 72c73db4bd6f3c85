// The smoke page's script: signs in with the @sigil/client bundle served beside it, in body mode,
// and shows who is signed in. A module file, since the page's CSP allows no inline script.
// The page's own origin stands in for the issuer: its server passes /auth/* and /userinfo
// through to Sigil (the client only appends endpoint paths to the issuer).
import { createClient } from "./sigil-client.js";

const client = createClient({ issuer: location.origin, mode: "body" });
const form = document.querySelector("#sign-in");
const status = document.querySelector("#status");
const user = document.querySelector("#user");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  status.textContent = "Signing in…";
  delete document.body.dataset.state;
  try {
    await client.signIn({ email: String(data.get("email")), password: String(data.get("password")) });
    const me = await client.getUser();
    user.textContent = me.email;
    user.dataset.sub = me.sub;
    status.textContent = "Signed in";
    document.body.dataset.state = "signedIn";
  } catch (error) {
    status.textContent = `${error.code ?? "ERROR"}: ${error.message}`;
    document.body.dataset.state = "failed";
  }
});
form.querySelector("button").disabled = false;
