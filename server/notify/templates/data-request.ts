import type { Template } from './layout.ts';

// Data-subject requests (ADR 0022). No reason and no data travel by mail: the person reads the
// clinic's answer, and downloads an export, signed in to the Portal.

const KIND_RO = { export: 'o copie a datelor sale', erasure: 'ștergerea datelor sale' } as const;
const KIND_EN = { export: 'a copy of their data', erasure: 'the erasure of their data' } as const;

// To the clinic's members who can decide it: a patient asked.
export const dataRequestReceived: Template<'data_request_received'> = {
  ro: (data, brand) => ({
    subject: data.kind === 'export' ? `Cerere de export al datelor la ${brand}` : `Cerere de ștergere a datelor la ${brand}`,
    intro: [
      `Un pacient al clinicii ${brand} a cerut ${KIND_RO[data.kind]}. Clinica, în calitate de operator, decide cererea și îi răspunde.`,
      'Legea vă cere să răspundeți fără întârzieri nejustificate, cel târziu într-o lună.',
    ],
    action: { label: 'Deschideți cererile', url: data.queueUrl },
    outro: [],
  }),
  en: (data, brand) => ({
    subject: data.kind === 'export' ? `Data export request at ${brand}` : `Data erasure request at ${brand}`,
    intro: [
      `A patient of ${brand} asked for ${KIND_EN[data.kind]}. The clinic, as controller, decides the request and answers it.`,
      'The law asks you to answer without undue delay, and within one month at the latest.',
    ],
    action: { label: 'Open the requests', url: data.queueUrl },
    outro: [],
  }),
};

// To the patient: the clinic decided.
export const dataRequestDecided: Template<'data_request_decided'> = {
  ro: (data, brand) => ({
    subject: `${brand} a răspuns la cererea dumneavoastră`,
    intro: [
      data.outcome === 'declined'
        ? `${brand} a refuzat cererea dumneavoastră privind ${data.kind === 'export' ? 'copia datelor' : 'ștergerea datelor'}. Motivul este în portal.`
        : data.kind === 'export'
          ? `${brand} a pregătit copia datelor dumneavoastră. O puteți descărca din portal în următoarele 7 zile.`
          : `${brand} a șters fișa dumneavoastră, conform cererii.`,
    ],
    action: { label: 'Deschideți portalul', url: data.portalUrl },
    outro: [],
  }),
  en: (data, brand) => ({
    subject: `${brand} answered your request`,
    intro: [
      data.outcome === 'declined'
        ? `${brand} declined your request for ${data.kind === 'export' ? 'a copy of your data' : 'the erasure of your data'}. The reason is in the portal.`
        : data.kind === 'export'
          ? `${brand} prepared a copy of your data. You can download it from the portal in the next 7 days.`
          : `${brand} erased your record, as you asked.`,
    ],
    action: { label: 'Open the portal', url: data.portalUrl },
    outro: [],
  }),
};
