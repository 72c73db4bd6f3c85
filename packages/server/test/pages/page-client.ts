// A small HTTP client that behaves like a browser without JavaScript, for the hosted pages'
// tests: it keeps cookies, reads the CSRF token of the page's form, posts forms, and does not
// follow redirects (the tests look at them). The browser end-to-end tests use a real Chromium.
import assert from "node:assert/strict";

export interface PageAnswer {
  status: number;
  headers: Headers;
  html: string;
  /** The Location of a redirect. */
  location: string | null;
}

export class PageClient {
  readonly cookies = new Map<string, string>();
  readonly #base: string;
  readonly #userAgent: string;

  constructor(base: string, userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36") {
    this.#base = base;
    this.#userAgent = userAgent;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<PageAnswer> {
    return this.#send("GET", path, undefined, headers);
  }

  /** Posts a form as the page at `pagePath` would: its CSRF token, same-origin Origin. */
  async submit(pagePath: string, action: string, fields: Record<string, string>): Promise<PageAnswer> {
    const page = await this.get(pagePath);
    return this.post(action, { _csrf: csrfTokenOf(page.html), ...fields });
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<PageAnswer> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    return this.#send("POST", path, body.toString(), {
      "content-type": "application/x-www-form-urlencoded",
      origin: new URL(this.#base).origin,
      ...headers,
    });
  }

  async #send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<PageAnswer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(new URL(path, this.#base), {
      method,
      redirect: "manual",
      headers: { "user-agent": this.#userAgent, ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location: response.headers.get("location"),
    };
  }
}

export function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, "the page has a form with a CSRF token");
  return token;
}

/** The Set-Cookie line of a cookie, for its attributes. */
export function setCookieLine(answer: PageAnswer, name: string): string | undefined {
  return answer.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}
