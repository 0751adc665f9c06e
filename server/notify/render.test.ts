import { describe, expect, it } from 'vitest';
import { MAIL_LOCALES, NOTIFICATION_CATEGORIES, NOTIFICATION_DATA, type NotificationCategory, type NotificationData } from './categories.ts';
import { renderNotification } from './render.ts';
import { sampleNotifications } from './sample-notifications.ts';
import { days, minutes } from './templates/quantities.ts';

const CLINIC = 'Clinica Sfântul Ștefan';

function parsed<C extends NotificationCategory>(category: C, organizationName: string): NotificationData[C] {
  return NOTIFICATION_DATA[category].parse(sampleNotifications(organizationName)[category]) as NotificationData[C];
}

describe('templates', () => {
  for (const category of NOTIFICATION_CATEGORIES) {
    for (const locale of MAIL_LOCALES) {
      it(`${category} in ${locale}: subject, text and HTML carry the clinic's name and the link`, () => {
        const mail = renderNotification(category, { locale, name: 'Ioana' }, parsed(category, CLINIC));
        expect(mail.subject).toContain(CLINIC);
        expect(mail.text).toContain(CLINIC);
        expect(mail.html).toContain(CLINIC);
        expect(mail.text).toContain(locale === 'ro' ? 'Bună ziua, Ioana,' : 'Hello Ioana,');
        expect(mail.html).toContain(`<html lang="${locale}">`);
        const data = sampleNotifications(CLINIC)[category];
        const link = Object.entries(data as Record<string, unknown>).find(([key]) => key.endsWith('Url'))?.[1];
        if (typeof link === 'string') {
          expect(mail.text).toContain(link);
          expect(mail.html).toContain(`href="${link}"`);
        }
      });
    }

    it(`${category} is really translated, and the Romanian uses comma-below ș ț, never the cedilla forms`, () => {
      const ro = renderNotification(category, { locale: 'ro' }, parsed(category, CLINIC));
      const en = renderNotification(category, { locale: 'en' }, parsed(category, CLINIC));
      expect(ro.subject).not.toBe(en.subject);
      expect(ro.text).toMatch(/[ăâîșțĂÂÎȘȚ]/);
      for (const text of [ro.subject, ro.text, ro.html]) expect(text).not.toMatch(/[şţŞŢ]/);
    });
  }

  it('brands platform mail (no clinic) as RestartiX', () => {
    const data = NOTIFICATION_DATA.magic_link.parse({ signInUrl: 'https://console.restartix.test/x', expiresInMinutes: 10 });
    for (const locale of MAIL_LOCALES) {
      const mail = renderNotification('magic_link', { locale }, data);
      expect(mail.subject).toContain('RestartiX');
      expect(mail.text).toContain('— RestartiX');
      expect(mail.text).toContain(locale === 'ro' ? 'Bună ziua,' : 'Hello,');
    }
  });

  it('escapes the clinic name in HTML', () => {
    const mail = renderNotification('email_verification', { locale: 'en' }, parsed('email_verification', 'Kinetic <b>&</b> "Co"'));
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('Kinetic &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;');
    expect(mail.text).toContain('Kinetic <b>&</b> "Co"');
  });

  it('formats the break-glass moment in Romania\'s time zone', () => {
    const ro = renderNotification('break_glass_opened', { locale: 'ro' }, parsed('break_glass_opened', CLINIC));
    expect(ro.text).toContain('12 martie 2026 la 14:05');
    const en = renderNotification('break_glass_opened', { locale: 'en' }, parsed('break_glass_opened', CLINIC));
    expect(en.text).toContain('12 March 2026 at 14:05');
  });
});

describe('data', () => {
  it('refuses links that are not http(s), and header-breaking names', () => {
    expect(NOTIFICATION_DATA.magic_link.safeParse({ signInUrl: 'javascript:alert(1)', expiresInMinutes: 5 }).success).toBe(false);
    expect(NOTIFICATION_DATA.email_verification.safeParse({ organizationName: 'A\r\nBcc: x@y.test', verifyUrl: 'https://a.test' }).success).toBe(false);
  });

  it('requires the clinic for mail that only a clinic sends', () => {
    const { organizationName: _omitted, ...rest } = sampleNotifications(CLINIC).member_invitation;
    expect(NOTIFICATION_DATA.member_invitation.safeParse(rest).success).toBe(false);
  });
});

describe('quantities', () => {
  it('counts in Romanian with "de" from 20 on, and in English', () => {
    expect([1, 15, 20, 30, 101, 120].map((n) => minutes('ro', n))).toEqual(['1 minut', '15 minute', '20 de minute', '30 de minute', '101 minute', '120 de minute']);
    expect([1, 7, 30].map((n) => days('ro', n))).toEqual(['1 zi', '7 zile', '30 de zile']);
    expect([1, 30].map((n) => minutes('en', n))).toEqual(['1 minute', '30 minutes']);
  });
});
