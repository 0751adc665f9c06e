import { PLATFORM_BRAND } from '../categories.ts';
import type { Template } from './layout.ts';
import { moment } from './quantities.ts';

// To a clinic's owners: a platform operator opened emergency (break-glass) access to its data.
export const breakGlassOpened: Template<'break_glass_opened'> = {
  ro: (data, brand) => ({
    subject: `Acces de urgență la datele clinicii ${brand}`,
    intro: [
      `${data.operatorName}, operator ${PLATFORM_BRAND}, a deschis un acces de urgență la datele clinicii ${brand} pe ${moment('ro', data.openedAt)}.`,
      `Motivul declarat: ${data.reason}`,
    ],
    outro: [
      'Fiecare acțiune făcută prin acest acces este înregistrată în jurnalul de audit al clinicii.',
      `Dacă nu ați solicitat acest acces, contactați echipa ${PLATFORM_BRAND}.`,
    ],
  }),
  en: (data, brand) => ({
    subject: `Emergency access to the data of ${brand}`,
    intro: [
      `${data.operatorName}, a ${PLATFORM_BRAND} operator, opened emergency access to the data of ${brand} on ${moment('en', data.openedAt)}.`,
      `Stated reason: ${data.reason}`,
    ],
    outro: [
      "Every action taken with this access is recorded in the clinic's audit log.",
      `If you did not ask for this access, contact the ${PLATFORM_BRAND} team.`,
    ],
  }),
};
