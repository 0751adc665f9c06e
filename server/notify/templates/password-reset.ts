import type { Template } from './layout.ts';
import { minutes } from './quantities.ts';

export const passwordReset: Template<'password_reset'> = {
  ro: (data, brand) => ({
    subject: `Resetarea parolei – ${brand}`,
    intro: [`Am primit o cerere de resetare a parolei pentru contul dumneavoastră de la ${brand}.`],
    action: { label: 'Alegeți o parolă nouă', url: data.resetUrl },
    outro: [
      `Linkul este valabil ${minutes('ro', data.expiresInMinutes)}.`,
      'Dacă nu ați cerut resetarea, ignorați acest mesaj: parola rămâne neschimbată.',
    ],
  }),
  en: (data, brand) => ({
    subject: `Reset your password – ${brand}`,
    intro: [`We received a request to reset the password of your ${brand} account.`],
    action: { label: 'Choose a new password', url: data.resetUrl },
    outro: [
      `The link is valid for ${minutes('en', data.expiresInMinutes)}.`,
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ],
  }),
};
