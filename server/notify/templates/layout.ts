import type { MailLocale, NotificationCategory, NotificationData } from '../categories.ts';

/** What a template says; the layout turns it into a subject, a plain-text and an HTML body. */
export type MailContent = {
  subject: string;
  /** Paragraphs before the link. */
  intro: string[];
  action?: { label: string; url: string };
  /** Paragraphs after the link. */
  outro: string[];
};

export type RenderedMail = { subject: string; text: string; html: string };

const WORDING: Record<MailLocale, { hello: (name: string | undefined) => string; automatic: string; fallback: string }> = {
  ro: {
    hello: (name) => (name === undefined ? 'Bună ziua,' : `Bună ziua, ${name},`),
    automatic: 'Acest mesaj a fost trimis automat; vă rugăm să nu răspundeți la el.',
    fallback: 'Dacă butonul nu funcționează, copiați acest link în browser:',
  },
  en: {
    hello: (name) => (name === undefined ? 'Hello,' : `Hello ${name},`),
    automatic: 'This message was sent automatically; please do not reply to it.',
    fallback: 'If the button does not work, copy this link into your browser:',
  },
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Security: every value that reaches the HTML body goes through here (clinic names are user input). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

type Frame = { locale: MailLocale; brand: string; recipientName: string | undefined };

export function renderText(frame: Frame, content: MailContent): string {
  const wording = WORDING[frame.locale];
  const blocks = [
    wording.hello(frame.recipientName),
    ...content.intro,
    ...(content.action === undefined ? [] : [`${content.action.label}:\n${content.action.url}`]),
    ...content.outro,
    `— ${frame.brand}\n${wording.automatic}`,
  ];
  return `${blocks.join('\n\n')}\n`;
}

export function renderHtml(frame: Frame, content: MailContent): string {
  const wording = WORDING[frame.locale];
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const action = content.action === undefined ? '' : [
    `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:#0f5c7a;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(content.action.label)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:#555555">${escapeHtml(wording.fallback)}<br><a href="${escapeHtml(content.action.url)}">${escapeHtml(content.action.url)}</a></p>`,
  ].join('\n');
  return `<!doctype html>
<html lang="${frame.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<p style="margin:0 0 24px;font-size:18px;font-weight:bold;color:#0f5c7a">${escapeHtml(frame.brand)}</p>
${paragraph(wording.hello(frame.recipientName))}
${content.intro.map(paragraph).join('\n')}
${action}
${content.outro.map(paragraph).join('\n')}
<p style="margin:24px 0 0;font-size:13px;color:#555555">— ${escapeHtml(frame.brand)}<br>${escapeHtml(wording.automatic)}</p>
</div>
</body>
</html>
`;
}

/** A category's wording in every language; `brand` is the clinic's name, or RestartiX. */
export type Template<C extends NotificationCategory> = Record<MailLocale, (data: NotificationData[C], brand: string) => MailContent>;
