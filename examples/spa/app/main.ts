// The single-page app: signs in with @sigil/client in cookie mode (the refresh token is an
// HttpOnly cookie of the auth server, the access token lives in memory only) and calls the notes
// API on another origin with it. start.ts bundles this file with esbuild and tells it where the
// auth server and the API are through the page's <meta> tags.
import { createClient, isSigilClientError } from "@sigil/client";

const setting = (name: string): string =>
  document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? "";
const client = createClient({ issuer: setting("sigil-issuer") });
const api = setting("notes-api");

const form = document.querySelector<HTMLFormElement>("#sign-in")!;
const notes = document.querySelector<HTMLElement>("#notes")!;
const status = document.querySelector<HTMLElement>("#status")!;

function show(signedIn: boolean, message: string): void {
  form.hidden = signedIn;
  notes.hidden = !signedIn;
  status.textContent = message;
}

async function loadNotes(): Promise<void> {
  // client.fetch adds the access token, and refreshes it once if the API says it is invalid.
  const response = await client.fetch(`${api}/notes`);
  if (!response.ok) return show(false, `The API answered ${response.status}`);
  const body = (await response.json()) as { sub: string; notes: string[] };
  document.querySelector("#who")!.textContent = body.sub;
  document
    .querySelector("#list")!
    .replaceChildren(...body.notes.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  show(true, "Signed in");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  try {
    await client.signIn({ email: String(data.get("email")), password: String(data.get("password")) });
    await loadNotes();
  } catch (error) {
    show(
      false,
      isSigilClientError(error) && error.action === "retry" ? "Try again in a moment" : "Wrong email or password",
    );
  }
});
document.querySelector("#sign-out")!.addEventListener("click", () => client.signOut());
// Signed out here, in another tab, or by the server (logout elsewhere, a password reset).
client.on("signedOut", () => show(false, "Signed out"));

// A reload resumes the session from the cookie, if there is one.
client.getAccessToken().then(loadNotes, () => show(false, "Signed out"));
