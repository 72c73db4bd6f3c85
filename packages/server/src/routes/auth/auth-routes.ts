import type { AccessTokenCheck } from "../../auth/access-token.js";
import type { AuthContext } from "../../auth/context.js";
import type { CookieMode } from "../../http/cookie-mode.js";

/** What the first-party API's route files share: the auth operations' context and the Bearer check. */
export interface AuthRoutes {
  readonly context: AuthContext;
  /** The server's access-token check (audience: the first-party API; revocations: the database). */
  readonly checkAccessToken: AccessTokenCheck;
  /** Browser apps' cookie mode for login, refresh and logout: the cookie and the allowed origins. */
  readonly cookieMode: CookieMode;
}
