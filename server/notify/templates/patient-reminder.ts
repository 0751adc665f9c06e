import type { Template } from './layout.ts';

// A clinic's reminder to its patient. Sent only while the patient's consent to reminders holds; the
// mail says how to stop them, in the Portal's consents page.
export const patientReminder: Template<'patient_reminder'> = {
  ro: (data, brand) => ({
    subject: data.kind === 'appointment' ? `Memento: programarea la ${brand}` : `Memento: exercițiile de azi de la ${brand}`,
    intro: [
      data.kind === 'appointment'
        ? `${brand} vă reamintește de programarea dumneavoastră. Detaliile sunt în portalul pacienților.`
        : `${brand} vă reamintește de programul dumneavoastră de exerciții pentru azi.`,
    ],
    action: { label: 'Deschideți portalul', url: data.portalUrl },
    outro: ['Primiți acest mesaj pentru că ați acceptat mementourile. Le puteți opri oricând din pagina Consimțăminte a portalului.'],
  }),
  en: (data, brand) => ({
    subject: data.kind === 'appointment' ? `Reminder: your appointment at ${brand}` : `Reminder: today's exercises from ${brand}`,
    intro: [
      data.kind === 'appointment'
        ? `${brand} reminds you of your appointment. The details are in the patient portal.`
        : `${brand} reminds you of your exercise programme for today.`,
    ],
    action: { label: 'Open the portal', url: data.portalUrl },
    outro: ['You receive this because you agreed to reminders. You can stop them at any time on the Consents page of the portal.'],
  }),
};
