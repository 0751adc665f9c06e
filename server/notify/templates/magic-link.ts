import type { Template } from './layout.ts';
import { minutes } from './quantities.ts';

export const magicLink: Template<'magic_link'> = {
  ro: (data, brand) => ({
    subject: `Linkul de autentificare – ${brand}`,
    intro: [`Folosiți linkul de mai jos pentru a vă autentifica în ${brand}.`],
    action: { label: 'Autentificați-vă', url: data.signInUrl },
    outro: [
      `Linkul este valabil ${minutes('ro', data.expiresInMinutes)} și poate fi folosit o singură dată.`,
      'Dacă nu ați cerut autentificarea, ignorați acest mesaj.',
    ],
  }),
  en: (data, brand) => ({
    subject: `Your sign-in link – ${brand}`,
    intro: [`Use the link below to sign in to ${brand}.`],
    action: { label: 'Sign in', url: data.signInUrl },
    outro: [
      `The link is valid for ${minutes('en', data.expiresInMinutes)} and works only once.`,
      'If you did not ask to sign in, ignore this message.',
    ],
  }),
};
