import type { Template } from './layout.ts';
import { days } from './quantities.ts';

export const memberInvitation: Template<'member_invitation'> = {
  ro: (data, brand) => ({
    subject: `Invitație în echipa ${brand}`,
    intro: [
      data.inviterName === undefined
        ? `Echipa ${brand} vă invită să vă alăturați.`
        : `${data.inviterName} vă invită să vă alăturați echipei ${brand}.`,
      `Invitația este valabilă ${days('ro', data.expiresInDays)}.`,
    ],
    action: { label: 'Acceptați invitația', url: data.acceptUrl },
    outro: ['Dacă nu vă așteptați la această invitație, puteți ignora mesajul.'],
  }),
  en: (data, brand) => ({
    subject: `Invitation to join ${brand}`,
    intro: [
      data.inviterName === undefined
        ? `${brand} has invited you to join their team.`
        : `${data.inviterName} has invited you to join ${brand}.`,
      `The invitation is valid for ${days('en', data.expiresInDays)}.`,
    ],
    action: { label: 'Accept the invitation', url: data.acceptUrl },
    outro: ['If you were not expecting this invitation, you can ignore this message.'],
  }),
};
