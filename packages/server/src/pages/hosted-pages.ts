import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCsrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import fastifyView from "@fastify/view";
import { Eta } from "eta";
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { type BrowserCredential, type BrowserSession, resumeBrowserSession } from "../auth/browser-session.js";
import type { AuthContext } from "../auth/context.js";
import { isOpenIdProvider } from "../oidc/provider.js";
import { PAGE_PATHS } from "../routes/paths.js";
import { findUserById } from "../store/users.js";
import { brandStylesheet } from "./brand.js";
import { pageContentSecurityPolicy } from "./content-security-policy.js";
import { type PageCookies, pageCookies } from "./cookies.js";
import { field } from "./form-fields.js";
import { pageMessageOf } from "./page-errors.js";
import { issuerBase, noticeOf, type PageExtras, type PageModel, type RenderPage } from "./page-view.js";
import { allowedReturnTo } from "./return-to.js";
import { registerAccountPages } from "./routes/account.js";
import { authorizeReturnOrigin, registerAuthorizePages } from "./routes/authorize.js";
import { registerEndSessionPages } from "./routes/end-session.js";
import { registerPasswordResetPages } from "./routes/password-reset.js";
import { registerSignInPages } from "./routes/sign-in.js";
import { registerSignUpPages } from "./routes/sign-up.js";

/** packages/server/views and assets, next to src/ and dist/ alike. */
export const VIEWS_DIR: string = fileURLToPath(new URL("../../views/", import.meta.url));
const ASSETS_DIR: string = fileURLToPath(new URL("../../assets/", import.meta.url));

const FORM = "application/x-www-form-urlencoded";

declare module "fastify" {
  interface FastifyRequest {
    /** The live browser session of the request's cookie (hosted pages only), or null. */
    browserSession: BrowserSession | null;
  }
}

/** What the page route files share. */
export interface Pages {
  readonly context: AuthContext;
  readonly cookies: PageCookies;
  readonly base: string;
  readonly render: RenderPage;
  /** `?return_to=` when the operator allows it (return-to.ts); a refused one is logged. */
  returnTo(request: FastifyRequest, raw: string | undefined): string | undefined;
  /** A path of the pages, under the issuer's path. */
  path(page: string): string;
  /**
   * Lets this response's forms end in a redirect to these origins (a client's redirect URI):
   * Chrome checks each hop of a form's redirects against the CSP's form-action.
   */
  allowFormRedirect(reply: FastifyReply, origins: readonly string[]): void;
  setSessionCookie(reply: FastifyReply, credential: BrowserCredential): void;
  clearSessionCookie(reply: FastifyReply): void;
  /** The signed-in session, or a redirect to the sign-in page that comes back here. */
  requireSession(request: FastifyRequest, reply: FastifyReply): BrowserSession | null;
}

export interface HostedPagesOptions {
  context: AuthContext;
}

/**
 * The hosted pages: sign in, sign up, sign out, verify email, forgot and reset password, and the
 * account page. Server-rendered with eta through @fastify/view (escaping by the template layer,
 * never by hand), no script at all — every page works with JavaScript off — and a strict
 * Content-Security-Policy. Every POST needs the CSRF token of @fastify/csrf-protection (a
 * double-submit secret in a cookie) and, when the browser sends one, an Origin of this server.
 * The browser session is an HttpOnly cookie (auth/browser-session.ts); no token or session
 * secret is ever put in a URL or a page.
 */
export const hostedPages: FastifyPluginAsync<HostedPagesOptions> = async function hostedPages(app, { context }) {
  const { config } = context;
  const cookies = pageCookies(config);
  const base = issuerBase(config);
  const contentSecurityPolicy = pageContentSecurityPolicy(config);
  const stylesheet = readFileSync(join(ASSETS_DIR, "sigil.css"), "utf8");
  const icon = readFileSync(join(ASSETS_DIR, "icon.svg"), "utf8");
  const brandCss = brandStylesheet(config.brand.accentColor);

  app.decorateRequest("browserSession", null);
  if (!app.hasContentTypeParser(FORM)) await app.register(formbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: "@fastify/cookie",
    cookieKey: cookies.csrf,
    cookieOpts: cookies.attributes,
    getToken: (request) => field(request.body as Record<string, string>, "_csrf", 256),
  });
  await app.register(fastifyView, {
    // autoEscape is eta's default; said here because the pages' safety rests on it.
    engine: { eta: new Eta({ autoEscape: true, autoTrim: [false, "nl"] }) },
    root: VIEWS_DIR,
    layout: "layout.eta",
    production: true,
  });

  // Set on arrival, so the application's own default (no content at all) does not apply, and a
  // route that needs more (a form posting to a client's redirect) can still replace it.
  app.addHook("onRequest", async (_request, reply) => {
    reply.header("content-security-policy", contentSecurityPolicy);
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    // same-origin, not no-referrer: a same-origin form POST then carries its real Origin.
    reply.header("referrer-policy", "same-origin");
    return payload;
  });

  // A cross-site form post is refused twice: by its Origin here, by the missing token below.
  app.addHook("onRequest", async (request) => {
    if (request.method !== "POST") return;
    const origin = request.headers.origin;
    if (origin === undefined) return; // older browsers; the CSRF token still decides
    if (origin !== new URL(config.issuer).origin && origin !== `${request.protocol}://${request.host}`) {
      request.log.warn({ origin }, "hosted page: cross-site form post refused");
      throw Object.assign(new Error("cross-site form post"), { code: "SIGIL_CROSS_SITE_POST", statusCode: 403 });
    }
  });
  app.addHook("preHandler", (request, reply, done) => {
    if (request.method === "POST") app.csrfProtection(request, reply, done);
    else done();
  });
  // A sign-in or sign-up page on its way back to an authorization request ends, after the
  // form, on the client's redirect URI: that origin joins form-action for this response.
  app.addHook("preHandler", async (request, reply) => {
    const fromQuery = (request.query as Record<string, unknown> | undefined)?.return_to;
    const fromBody =
      request.method === "POST" ? (request.body as Record<string, unknown> | undefined)?.return_to : undefined;
    const returnTo = typeof fromBody === "string" ? fromBody : typeof fromQuery === "string" ? fromQuery : undefined;
    const origin = await authorizeReturnOrigin(context, `${base}${PAGE_PATHS.authorize}`, returnTo);
    if (origin !== undefined) pages.allowFormRedirect(reply, [origin]);
  });
  app.addHook("preHandler", async (request, reply) => {
    const value = request.cookies[cookies.session];
    if (value === undefined) return;
    request.browserSession = await resumeBrowserSession(context, value);
    // An ended or expired session's cookie is dropped, so the browser stops sending it.
    if (request.browserSession === null) pages.clearSessionCookie(reply);
  });

  const render: RenderPage = async (request, reply, template, extras, status = 200) => {
    const session = request.browserSession;
    const user = session ? await findUserById(context.db, session.principal.sub) : null;
    const model: PageModel = {
      base,
      paths: PAGE_PATHS,
      brand: { productName: config.productName, ...(config.brand.logoUrl ? { logoUrl: config.brand.logoUrl } : {}) },
      csrf: reply.generateCsrf(),
      errors: {},
      values: {},
      ...(user
        ? {
            user: {
              email: user.email,
              verified: user.emailVerifiedAt !== null,
              since: user.createdAt.toISOString().slice(0, 10),
            },
          }
        : {}),
      ...noticeIfAny(request),
      ...extras,
    };
    const html = await reply.viewAsync(template, model);
    return reply.code(status).type("text/html; charset=utf-8").send(html);
  };

  const pages: Pages = {
    context,
    cookies,
    base,
    render,
    returnTo(request, raw) {
      const allowed = allowedReturnTo(raw, config);
      if (raw !== undefined && raw !== "" && allowed === undefined) {
        request.log.warn(
          { returnTo: raw.slice(0, 200) },
          "hosted page: return_to refused (not a path of this server nor a SIGIL_WEB_ORIGINS origin)",
        );
      }
      return allowed;
    },
    path: (page) => `${base}${page}`,
    allowFormRedirect(reply, origins) {
      reply.header("content-security-policy", pageContentSecurityPolicy(config, origins));
    },
    setSessionCookie(reply, credential) {
      reply.setCookie(cookies.session, credential.value, { ...cookies.attributes, expires: credential.expiresAt });
    },
    clearSessionCookie(reply) {
      reply.clearCookie(cookies.session, cookies.attributes);
    },
    requireSession(request, reply) {
      if (request.browserSession) return request.browserSession;
      const back = encodeURIComponent(request.url.split("?")[0] ?? PAGE_PATHS.account);
      void reply.redirect(`${base}/sign-in?return_to=${back}`, 303);
      return null;
    },
  };

  app.get(PAGE_PATHS.stylesheet, async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(stylesheet),
  );
  app.get(PAGE_PATHS.brandStylesheet, async (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=300").send(brandCss),
  );

  app.get(PAGE_PATHS.icon, async (_request, reply) =>
    reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(icon),
  );
  // Browsers ask for /favicon.ico on their own (and pages of other origins behind the same host):
  // "no content" rather than a 404 in every console.
  app.get("/favicon.ico", async (_request, reply) =>
    reply.code(204).header("cache-control", "public, max-age=86400").send(),
  );

  registerSignInPages(app, pages);
  registerSignUpPages(app, pages);
  registerPasswordResetPages(app, pages);
  registerAccountPages(app, pages);
  if (isOpenIdProvider(config)) {
    registerAuthorizePages(app, pages);
    registerEndSessionPages(app, pages);
  }

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const page = errorPage(error);
    if (page === undefined) throw error; // the application's handler logs it and answers 500
    if (page.log) request.log.info({ code: error.code ?? page.log }, `hosted page refused: ${page.log}`);
    if (page.retryAfter !== undefined) reply.header("retry-after", String(page.retryAfter));
    return render(request, reply, "message.eta", { title: page.title, lines: page.lines }, page.status);
  });
};

function noticeIfAny(request: FastifyRequest): PageExtras {
  const notice = noticeOf(request);
  return notice === undefined ? {} : { notice };
}

interface ErrorPage {
  status: number;
  title: string;
  lines: string[];
  log?: string;
  retryAfter?: number;
}

/** The page for a refusal no form could show; undefined for a server fault. */
function errorPage(error: FastifyError): ErrorPage | undefined {
  if (error.code === "FST_CSRF_INVALID_TOKEN" || error.code === "FST_CSRF_MISSING_SECRET") {
    return {
      status: 403,
      title: "This form has expired",
      lines: [
        "For your security, forms only work for a while and only from this site. Go back, reload the page and try again.",
      ],
      log: "missing or invalid CSRF token",
    };
  }
  if (error.code === "SIGIL_CROSS_SITE_POST") {
    return {
      status: 403,
      title: "This form came from another site",
      lines: ["Open this site directly and try again."],
      log: "cross-site origin",
    };
  }
  const message = pageMessageOf(error);
  if (message !== undefined) {
    return {
      status: (error as { status?: number }).status ?? 400,
      title: "Something needs your attention",
      lines: [message.text],
      ...((error as { retryAfterSeconds?: number }).retryAfterSeconds !== undefined
        ? { retryAfter: (error as { retryAfterSeconds?: number }).retryAfterSeconds as number }
        : {}),
    };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      status: error.statusCode === 413 ? 413 : 400,
      title: "That request could not be read",
      lines: ["Go back, reload the page and try again."],
      log: error.code ?? "bad request",
    };
  }
  return undefined;
}

/** Registers the pages when SIGIL_HOSTED_PAGES is on (the default). */
export async function registerHostedPages(app: FastifyInstance, context: AuthContext): Promise<void> {
  if (context.config.hostedPages) await app.register(hostedPages, { context });
}
