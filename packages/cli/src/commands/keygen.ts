import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { type AsymmetricAlgorithm, exportJWK, exportPEM, generateKeyPair, type JWK, jwkThumbprint } from "@sigil/jwt";
import { isHmacAlgorithm, parseAlgorithms } from "../lib/algorithms.js";
import { parseOrUsage } from "../lib/args.js";
import { EXIT_OK, usageError } from "../lib/errors.js";
import { unignoredGitWorkTree } from "../lib/git-exposure.js";
import { prettyJSON } from "../lib/render.js";
import { writePrivateFile } from "../lib/write-private.js";
import type { Command } from "./command.js";

const KEYGEN_ALGORITHMS = ["EdDSA", "ES256", "ES384", "ES512", "RS256", "PS256", "HS256", "HS384", "HS512"];

/** HMAC key sizes: at least the hash output (RFC 7518 §3.2). */
const HMAC_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

export const keygenCommand: Command = {
  name: "keygen",
  summary: "generate a signing key (Ed25519 by default) as a private JWK or PEM",
  help: `Usage: sigil keygen [--alg ALG] [--format jwk|pem] [--out FILE [--force]] [--kid ID]

Generates a key for signing tokens and prints its key id (kid, the RFC 7638 thumbprint unless
--kid is given) and public JWK. The private key goes to --out (created with mode 0600; an existing
file is refused unless --force) or to stdout; the kid and public JWK then go to stdout, or to
stderr when the private key is on stdout. A --out file inside a git work tree that does not
ignore it gets a warning: add it to .gitignore or keep keys outside the repository.

Options:
  --alg ALG         ${KEYGEN_ALGORITHMS.join(", ")} (default EdDSA)
                    HS* gives an "oct" JWK holding a random secret (256 bits for HS256)
  --format FORMAT   jwk (default) or pem (PKCS#8; not for HS*)
  --out FILE        write the private key to FILE instead of stdout
  --force           replace an existing --out file
  --kid ID          key id to use instead of the thumbprint

Examples:
  sigil keygen --out signing.jwk
  sigil keygen --alg ES256 --format pem --out signing.pem`,

  async run(args, context) {
    const { values } = parseOrUsage("keygen", () =>
      parseArgs({
        args: [...args],
        options: {
          alg: { type: "string" },
          format: { type: "string" },
          out: { type: "string" },
          force: { type: "boolean" },
          kid: { type: "string" },
        },
        strict: true,
        allowPositionals: false,
      }),
    );
    const [alg] = parseAlgorithms([values.alg ?? "EdDSA"]);
    if (alg === undefined || !KEYGEN_ALGORITHMS.includes(alg)) {
      throw usageError(`keygen does not generate ${values.alg} keys (choose from ${KEYGEN_ALGORITHMS.join(", ")})`);
    }
    const format = values.format ?? "jwk";
    if (format !== "jwk" && format !== "pem") throw usageError(`--format must be jwk or pem, got '${format}'`);
    if (format === "pem" && isHmacAlgorithm(alg)) {
      throw usageError("an HMAC secret has no PEM form: use --format jwk");
    }
    if (values.force === true && values.out === undefined) throw usageError("--force only applies with --out");
    if (values.kid === "") throw usageError("--kid must not be empty");

    const key = isHmacAlgorithm(alg)
      ? hmacKey(alg, values.kid)
      : await asymmetricKey(alg as AsymmetricAlgorithm, values.kid, format);
    const info = [
      `kid: ${key.kid}`,
      key.publicJWK === undefined
        ? "no public key: HMAC is symmetric, every verifier needs this same secret (keep it as private as a private key)"
        : `public JWK: ${JSON.stringify(key.publicJWK)}`,
    ];
    if (values.out === undefined) {
      context.out(key.privateText);
      for (const line of info) context.err(line);
    } else {
      await writePrivateFile(values.out, `${key.privateText}\n`, { force: values.force === true });
      context.err(`wrote the private key to ${values.out} (mode 0600)`);
      // Mode 0600 protects the key on this machine; a commit would publish it.
      const workTree = await unignoredGitWorkTree(values.out, context.io.env);
      if (workTree !== undefined) {
        context.err(
          context.errStyle.yellow(
            `warning: ${values.out} is inside the git work tree ${workTree} and not ignored, so a commit could publish the key: add it to .gitignore or write it outside the repository`,
          ),
        );
      }
      for (const line of info) context.out(line);
    }
    return EXIT_OK;
  },
};

interface GeneratedKey {
  kid: string;
  privateText: string;
  publicJWK: JWK | undefined;
}

function hmacKey(alg: string, kid: string | undefined): GeneratedKey {
  const jwk: JWK = { kty: "oct", k: randomBytes(HMAC_BYTES[alg] ?? 32).toString("base64url"), alg };
  jwk.kid = kid ?? jwkThumbprint(jwk);
  return { kid: jwk.kid, privateText: prettyJSON(jwk), publicJWK: undefined };
}

async function asymmetricKey(
  alg: AsymmetricAlgorithm,
  kid: string | undefined,
  format: "jwk" | "pem",
): Promise<GeneratedKey> {
  const pair = await generateKeyPair(alg, kid === undefined ? {} : { kid });
  const publicJWK = exportJWK(pair.publicKey, { alg, kid: pair.kid });
  const privateText =
    format === "pem"
      ? exportPEM(pair.privateKey).trimEnd()
      : prettyJSON(exportJWK(pair.privateKey, { alg, kid: pair.kid, includePrivate: true }));
  return { kid: pair.kid, privateText, publicJWK };
}
