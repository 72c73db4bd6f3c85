import type { MailKind, MailMessage } from "../mailer.js";
import { escapeHtml } from "./html-escape.js";
import type { MailLink } from "./mail-link.js";
import { checkProduct } from "./message-input.js";

/** One part of a message body, rendered as plain text and as HTML. */
export type MailBlock =
  | { readonly paragraph: string }
  /** A one-time code, set apart so it can be read and typed (or copied) at a glance. */
  | { readonly code: string }
  | { readonly link: MailLink; readonly label: string };

export interface MailContent {
  readonly kind: MailKind;
  readonly to: string;
  readonly product: string;
  readonly subject: string;
  readonly blocks: readonly MailBlock[];
}

/**
 * A message with a plain-text body and an HTML body built from the same blocks, and the footer
 * every message has. The HTML has inline styles only: no image, no remote resource of any kind,
 * no tracking — a message that loads nothing tells no one when it was opened, and shows the same
 * with images blocked. Every text is escaped where it enters the HTML.
 */
export function composeMail(content: MailContent): MailMessage {
  const product = checkProduct(content.product);
  const footer = `This message was sent automatically by ${product} to ${content.to}; replies are not read. ${product} never asks for your password by email.`;
  return {
    kind: content.kind,
    to: content.to,
    subject: content.subject,
    text: renderText(content.blocks, footer),
    html: renderHtml(content.subject, product, content.blocks, footer),
  };
}

function renderText(blocks: readonly MailBlock[], footer: string): string {
  const parts = blocks.map((block) => {
    if ("code" in block) return `    ${block.code}`;
    if ("link" in block) return `${block.label}:\n${block.link}`;
    return block.paragraph;
  });
  // RFC 3676 §4.3: "-- " marks the signature, which mail clients show as such.
  return `${parts.join("\n\n")}\n\n-- \n${footer}\n`;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";

function renderHtml(subject: string, product: string, blocks: readonly MailBlock[], footer: string): string {
  const body = blocks.map((block) => {
    if ("code" in block) {
      return `<p style="margin:24px 0;font-family:${MONO};font-size:28px;font-weight:700;letter-spacing:3px">${escapeHtml(block.code)}</p>`;
    }
    if ("link" in block) {
      const href = escapeHtml(block.link);
      return `<p style="margin:16px 0"><a href="${href}" style="color:#0b57d0">${escapeHtml(block.label)}</a><br><span style="font-size:13px;color:#59636e;word-break:break-all">${href}</span></p>`;
    }
    return `<p style="margin:16px 0">${escapeHtml(block.paragraph)}</p>`;
  });
  return [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#ffffff;color:#1f2328;font-family:${FONT};font-size:16px;line-height:1.5">`,
    '<div style="max-width:560px;margin:0 auto">',
    `<p style="margin:0 0 24px;font-size:18px;font-weight:600">${escapeHtml(product)}</p>`,
    ...body,
    `<p style="margin:32px 0 0;padding-top:16px;border-top:1px solid #d1d9e0;font-size:13px;color:#59636e">${escapeHtml(footer)}</p>`,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
