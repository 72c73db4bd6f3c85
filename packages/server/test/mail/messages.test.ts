import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  emailChangeNotice,
  type MailKind,
  mailLink,
  passwordChangedNotice,
  passwordResetMessage,
  verificationCodeMessage,
} from "../../src/mail/index.js";
import { AT, CODE, CODE_KINDS, everyMessage, HOSTILE_PRODUCT, ISSUER } from "./mail-samples.js";

const TO = "alice@example.com";
const ESCAPED_PRODUCT = "Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39; &lt;img src=x&gt;";

describe("message builders: refusals", () => {
  const base = { to: TO, product: "Sigil", code: CODE, expiresInMinutes: 15 };

  test("a code that is empty, too long, or holds spaces or control characters", () => {
    for (const code of ["", "x".repeat(65), "12 34", "12\n34", "١٢٣"]) {
      assert.throws(() => verificationCodeMessage({ ...base, code }), TypeError, JSON.stringify(code));
    }
  });

  test("a product name that is empty or holds a line break", () => {
    for (const product of ["", "  ", "Sigil\r\nBcc: x@example.com"]) {
      assert.throws(() => passwordResetMessage({ ...base, product }), TypeError);
    }
  });

  test("an expiry that is not a whole number of minutes within a week", () => {
    for (const expiresInMinutes of [0, -5, 1.5, Number.NaN, 7 * 24 * 60 + 1]) {
      assert.throws(() => verificationCodeMessage({ ...base, expiresInMinutes }), TypeError);
    }
  });

  test("an invalid time, or a new address that is not one address", () => {
    assert.throws(
      () => passwordChangedNotice({ to: TO, product: "Sigil", changedAt: new Date(Number.NaN) }),
      TypeError,
    );
    for (const newAddress of ["two@example.com three@example.com", "nobody", "a@b@c"]) {
      assert.throws(
        () => emailChangeNotice({ to: TO, product: "Sigil", newAddress, requestedAt: AT }),
        TypeError,
        newAddress,
      );
    }
  });

  test("mailLink keeps every link on the issuer", () => {
    for (const path of [
      "//evil.example/x",
      "https://evil.example",
      "evil",
      "/a/../../x",
      "/./x",
      "/a?b=1",
      "/a#f",
      "/a\\b",
    ]) {
      assert.throws(() => mailLink(ISSUER, path), TypeError, path);
    }
    assert.equal(mailLink(ISSUER, "/verify", { code: "a b&c" }), "https://auth.example.com/verify?code=a+b%26c");
    assert.equal(mailLink("https://example.com/auth", "/reset"), "https://example.com/auth/reset");
    assert.equal(mailLink("http://127.0.0.1:3000", "/x"), "http://127.0.0.1:3000/x");
  });
});

describe("message builders: content", () => {
  const messages = everyMessage(TO);

  test("each kind is addressed to its recipient, under a subject that names the product and holds no code", () => {
    const subjects: Record<MailKind, string> = {
      "verification-code": `Your ${HOSTILE_PRODUCT} verification code`,
      "password-reset": `Reset your ${HOSTILE_PRODUCT} password`,
      "email-change-code": `Confirm your new email address for ${HOSTILE_PRODUCT}`,
      "password-changed": `Your ${HOSTILE_PRODUCT} password was changed`,
      "registration-attempt": `Someone tried to sign up for ${HOSTILE_PRODUCT} with your address`,
      "email-change-notice": `The email address of your ${HOSTILE_PRODUCT} account is being changed`,
    };
    for (const [kind, message] of Object.entries(messages)) {
      assert.equal(message.kind, kind);
      assert.equal(message.to, TO);
      assert.equal(message.subject, subjects[kind as MailKind]);
      assert.ok(!message.subject.includes(CODE));
    }
  });

  test("codes and links are in both bodies; the HTML escapes them", () => {
    for (const kind of CODE_KINDS) {
      const { text, html } = messages[kind];
      assert.match(text, new RegExp(`\\n    ${CODE}\\n`), `${kind}: the code on a line of its own`);
      assert.ok(text.includes(`\nhttps://auth.example.com/account/code?code=${CODE}\n`), kind);
      assert.match(text, /expires in 15 minutes/);
      assert.ok(html.includes(`>${CODE}</p>`), kind);
      assert.ok(html.includes(`<a href="https://auth.example.com/account/code?code=${CODE}"`), kind);
    }
  });

  test("a hostile product name is text in the HTML body and as is in the plain one", () => {
    for (const [kind, { text, html }] of Object.entries(messages)) {
      assert.ok(html.includes(ESCAPED_PRODUCT), kind);
      assert.ok(!html.includes("<script") && !html.includes("<img") && !html.includes("'Co'"), kind);
      assert.ok(text.includes(HOSTILE_PRODUCT), kind);
    }
  });

  test("the HTML loads nothing: no image, no remote resource, no link but the issuer's", () => {
    for (const [kind, message] of Object.entries(messages)) {
      // The product name's own "src=x", escaped, is text: the check is about markup.
      const html = message.html.replaceAll(ESCAPED_PRODUCT, "PRODUCT");
      assert.ok(!/<(img|script|link|iframe|object|embed|style)\b|\bsrc=|url\(/i.test(html), kind);
      for (const match of html.matchAll(/https?:\/\/[^\s"<]+/g)) {
        assert.ok(match[0].startsWith(`${ISSUER}/`), `${kind}: ${match[0]}`);
      }
    }
  });

  test("every message says what to do if it was not the reader, and that no one asks for a password by mail", () => {
    for (const [kind, { text, html }] of Object.entries(messages)) {
      assert.match(text, /If (it was not you|you did not)/, kind);
      assert.ok(text.includes(`\n-- \nThis message was sent automatically by ${HOSTILE_PRODUCT} to ${TO}`), kind);
      assert.ok(text.includes("never asks for your password by email"), kind);
      assert.ok(html.includes("never asks for your password by email"), kind);
      assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'), kind);
    }
  });

  test("notices name the time in UTC, the new address, and the way to reset", () => {
    assert.match(messages["password-changed"].text, /was changed on 2026-01-31 09:05 UTC\./);
    assert.match(
      messages["email-change-notice"].text,
      /On 2026-01-31 09:05 UTC .* from alice@example\.com to new-home@example\.org\./,
    );
    assert.ok(messages["registration-attempt"].text.includes("Sign in:\nhttps://auth.example.com/sign-in\n"));
    for (const kind of ["password-changed", "registration-attempt", "email-change-notice"] as const) {
      assert.ok(messages[kind].text.includes("Reset your password:\nhttps://auth.example.com/account/reset\n"), kind);
    }
    // Without a link, the notice points to the sign-in page's own way out.
    const bare = passwordChangedNotice({ to: TO, product: "Sigil", changedAt: AT });
    assert.match(bare.text, /reset it now with "Forgot password" on the sign-in page/);
    assert.ok(!bare.text.includes("http"));
  });

  test("expiry in whole units", () => {
    const expiry = (expiresInMinutes: number): string =>
      /expires in ([^.]+)\./.exec(
        verificationCodeMessage({ to: TO, product: "Sigil", code: CODE, expiresInMinutes }).text,
      )?.[1] ?? "";
    assert.deepEqual([1, 15, 60, 90, 120, 1440, 2880].map(expiry), [
      "1 minute",
      "15 minutes",
      "1 hour",
      "90 minutes",
      "2 hours",
      "1 day",
      "2 days",
    ]);
  });
});
