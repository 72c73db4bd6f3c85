// The web apps' pages: plain HTML, no script (the Content-Security-Policy allows none), every
// value escaped.

export interface PageView {
  title: string;
  other: { title: string; url: string };
}

/** A whole page. `body` is HTML: escape what goes into it. */
export function page(view: PageView, heading: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,">
<title>${escapeHtml(`${heading} · ${view.title}`)}</title></head>
<body>
<header><strong>${escapeHtml(view.title)}</strong></header>
<main>
<h1>${escapeHtml(heading)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function signedInPage(view: PageView, content: { email: string; data: string }): string {
  return page(
    view,
    `Welcome to the ${view.title}`,
    `<p id="who">Signed in as <strong>${escapeHtml(content.email)}</strong></p>
${content.data}
<p><a href="${escapeHtml(view.other.url)}/">Open the ${escapeHtml(view.other.title)}</a></p>
<form method="post" action="/sign-out"><button type="submit">Sign out</button></form>`,
  );
}

export function signedOutPage(view: PageView, notice?: string): string {
  return page(
    view,
    "Signed out",
    `${notice === undefined ? "" : `<p id="notice">${escapeHtml(notice)}</p>\n`}<p><a href="/sign-in">Sign in</a></p>`,
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
