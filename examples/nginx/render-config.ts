// Renders nginx.conf.template: `{{NAME}}` placeholders replaced by host:port values.
//
//   npx tsx examples/nginx/render-config.ts LISTEN=127.0.0.1:8080 SIGIL=127.0.0.1:3000 APP=127.0.0.1:8081
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const TEMPLATE_PATH = fileURLToPath(new URL("./nginx.conf.template", import.meta.url));

export interface NginxPlaceholders {
  /** Where nginx listens, e.g. 127.0.0.1:8080. */
  LISTEN: string;
  /** Sigil's host:port. */
  SIGIL: string;
  /** The protected service's host:port. */
  APP: string;
}

// host:port only: a value is pasted into the configuration, so anything else (a `;`, a newline,
// a `}`) could add directives.
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;

/**
 * The template with every placeholder replaced. Throws on a value that is not host:port and on
 * a placeholder left without a value.
 *
 * @example
 * const conf = renderNginxConfig({ LISTEN: "127.0.0.1:8080", SIGIL: "127.0.0.1:3000", APP: "127.0.0.1:8081" });
 */
export function renderNginxConfig(values: NginxPlaceholders, template = readFileSync(TEMPLATE_PATH, "utf8")): string {
  for (const [name, value] of Object.entries(values)) {
    if (!HOST_PORT.test(value)) throw new TypeError(`${name} must be host:port, got ${JSON.stringify(value)}`);
  }
  const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (placeholder, name: string) => {
    const value = (values as unknown as Record<string, string | undefined>)[name];
    if (value === undefined) throw new TypeError(`no value for ${placeholder}`);
    return value;
  });
  return rendered;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const values = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split("=", 2) as [string, string]));
  process.stdout.write(renderNginxConfig(values as unknown as NginxPlaceholders));
}
