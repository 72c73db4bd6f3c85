// The auth server's first-party endpoints, relative to the issuer (README "Try it with curl").
export const LOGIN_PATH = "/auth/login";
export const REFRESH_PATH = "/auth/refresh";
export const LOGOUT_PATH = "/auth/logout";
export const USERINFO_PATH = "/userinfo";
