import type { Template } from './layout.ts';

export const emailVerification: Template<'email_verification'> = {
  ro: (data, brand) => ({
    subject: `Confirmați adresa de e-mail – ${brand}`,
    intro: [`Confirmați adresa de e-mail pentru contul dumneavoastră de la ${brand}, folosind linkul de mai jos.`],
    action: { label: 'Confirmați adresa', url: data.verifyUrl },
    outro: ['Dacă nu ați creat un cont, puteți ignora acest mesaj.'],
  }),
  en: (data, brand) => ({
    subject: `Confirm your email address – ${brand}`,
    intro: [`Please confirm the email address of your ${brand} account with the link below.`],
    action: { label: 'Confirm my address', url: data.verifyUrl },
    outro: ['If you did not create an account, you can ignore this message.'],
  }),
};
