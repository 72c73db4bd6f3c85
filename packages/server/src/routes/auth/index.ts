import type { FastifyPluginAsync } from "fastify";
import { createAccessTokenCheck } from "../../auth/access-token.js";
import type { AuthContext } from "../../auth/context.js";
import { cookieMode } from "../../http/cookie-mode.js";
import type { ServerContext } from "../../server-context.js";
import { registerAccountMailRoutes } from "./account-mail-flows.js";
import { registerLoginRoute } from "./login.js";
import { registerLogoutRoutes } from "./logout.js";
import { registerPasswordRoute } from "./password.js";
import { registerRefreshRoute } from "./refresh.js";
import { registerRegisterRoute } from "./register.js";
import { registerSessionRoutes } from "./sessions.js";
import { registerUserinfoRoute } from "./userinfo.js";

export interface AuthRoutesOptions {
  context: AuthContext & Pick<ServerContext, "revocations">;
}

/**
 * The first-party JSON API: register, login, refresh, logout, logout-all, sessions, password
 * change, userinfo (OpenID Connect Core §5.3), and the flows through the user's mailbox (email
 * verification, password reset, email change). Bodies are JSON, errors the `{error,
 * error_description}` of the application's error handler; the Bearer endpoints check tokens
 * against the database, so a revocation is refused the moment it commits. Login, refresh and
 * logout also speak cookie mode for browser apps (http/cookie-mode.ts).
 */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async function authRoutes(app, { context }) {
  const routes = {
    context,
    checkAccessToken: createAccessTokenCheck(context),
    cookieMode: cookieMode(context.config),
  };
  registerRegisterRoute(app, routes);
  registerLoginRoute(app, routes);
  registerRefreshRoute(app, routes);
  registerLogoutRoutes(app, routes);
  registerSessionRoutes(app, routes);
  registerPasswordRoute(app, routes);
  registerUserinfoRoute(app, routes);
  registerAccountMailRoutes(app, routes);
};
