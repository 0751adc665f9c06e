import type { Template } from './layout.ts';
import { days } from './quantities.ts';

export const patientInvitation: Template<'patient_invitation'> = {
  ro: (data, brand) => ({
    subject: `Invitație în portalul pacienților ${brand}`,
    intro: [
      `${brand} vă invită să vă creați contul în portalul pacienților.`,
      `Invitația este valabilă ${days('ro', data.expiresInDays)}.`,
    ],
    action: { label: 'Acceptați invitația', url: data.acceptUrl },
    outro: ['Dacă nu vă așteptați la această invitație, puteți ignora mesajul.'],
  }),
  en: (data, brand) => ({
    subject: `Your invitation to the ${brand} patient portal`,
    intro: [
      `${brand} has invited you to create your account in their patient portal.`,
      `The invitation is valid for ${days('en', data.expiresInDays)}.`,
    ],
    action: { label: 'Accept the invitation', url: data.acceptUrl },
    outro: ['If you were not expecting this invitation, you can ignore this message.'],
  }),
};
