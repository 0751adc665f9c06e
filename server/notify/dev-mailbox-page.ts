import type { ReceivedMail } from './dev-mailbox.ts';
import { escapeHtml } from './templates/layout.ts';

const LINK = /https?:\/\/[^\s<>"']+/g;

/** Plain text as HTML, with every http(s) link clickable and everything else escaped. */
export function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const url = match[0];
    html += escapeHtml(text.slice(last, match.index));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

function entry(mail: ReceivedMail): string {
  return `<article>
<h2>${escapeHtml(mail.subject || '(no subject)')}</h2>
<p class="meta">To <b>${escapeHtml(mail.to.join(', '))}</b> · from ${escapeHtml(mail.from)} · <time datetime="${escapeHtml(mail.receivedAt)}">${escapeHtml(mail.receivedAt.replace('T', ' ').slice(0, 19))} UTC</time></p>
<pre>${linkify(mail.text)}</pre>
</article>`;
}

/** GET /dev/mailbox: what the development mailbox received, newest first. */
export function mailboxPage(messages: ReceivedMail[]): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Development mailbox · RestartiX</title>
<style>
body{font-family:system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px;color:#1a1a1a}
article{border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:0 0 16px}
h2{font-size:17px;margin:0 0 4px}.meta{color:#555;font-size:13px;margin:0 0 8px}
pre{white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;margin:0}
</style></head>
<body>
<h1>Development mailbox</h1>
<p>Mail sent by this stack, newest first (the last 200, kept in memory). Reload to see new mail; <a href="/dev/mailbox.json">JSON</a>.</p>
${messages.length === 0 ? '<p>No mail yet.</p>' : messages.map(entry).join('\n')}
</body>
</html>
`;
}
