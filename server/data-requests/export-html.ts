import type { ExportDocument } from './collect-export.ts';

export type ExportLocale = 'en' | 'ro';

// The readable copy is a document for the person, in their language, without the apps' catalogs
// (it is rendered on the server, like mail).
const TEXT = {
  en: {
    title: (clinic: string) => `Your data held by ${clinic}`,
    intro: 'This is a copy of everything the clinic held about you when it answered your request. The JSON file you can download beside it holds the same, for other programs.',
    generated: 'Prepared',
    none: 'Nothing held.',
    tables: {
      patients: 'Your record at the clinic',
      patient_profiles: 'Your profile, as the clinic sees it',
      invitations: 'Invitations the clinic sent you',
      consent_ledger: 'Your consents and acknowledgements',
      purpose_notification_skips: 'Messages not sent for lack of consent',
      patient_subscriptions: 'Your subscriptions',
      data_subject_requests: 'Your requests about your data',
    } as Record<string, string>,
  },
  ro: {
    title: (clinic: string) => `Datele dumneavoastră deținute de ${clinic}`,
    intro: 'Aceasta este o copie a tuturor datelor pe care clinica le deținea despre dumneavoastră când v-a răspuns la cerere. Fișierul JSON, pe care îl puteți descărca alături, conține aceleași date, pentru alte programe.',
    generated: 'Întocmit',
    none: 'Nimic deținut.',
    tables: {
      patients: 'Fișa dumneavoastră la clinică',
      patient_profiles: 'Profilul dumneavoastră, așa cum îl vede clinica',
      invitations: 'Invitațiile trimise de clinică',
      consent_ledger: 'Consimțămintele și confirmările dumneavoastră',
      purpose_notification_skips: 'Mesaje netrimise în lipsa consimțământului',
      patient_subscriptions: 'Abonamentele dumneavoastră',
      data_subject_requests: 'Cererile dumneavoastră privind datele',
    } as Record<string, string>,
  },
} as const;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

const shown = (value: unknown): string => (value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** The export as one self-contained HTML page: a section per table, a list of fields per row. */
export function renderExportHtml(document: ExportDocument, locale: ExportLocale): string {
  const text = TEXT[locale];
  const sections = Object.entries(document.tables).map(([table, rows]) => {
    const body = rows.length === 0
      ? `<p>${escapeHtml(text.none)}</p>`
      : rows.map((row) => `<dl>${Object.entries(row).map(([column, value]) => `<dt>${escapeHtml(column)}</dt><dd>${escapeHtml(shown(value))}</dd>`).join('')}</dl>`).join('');
    return `<section><h2>${escapeHtml(text.tables[table] ?? table)}</h2>${body}</section>`;
  });
  const title = escapeHtml(text.title(document.organization.name));
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.4}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;border-top:1px solid #ccc;padding-top:.5rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}</style>
</head><body><h1>${title}</h1><p>${escapeHtml(text.intro)}</p>
<p>${escapeHtml(text.generated)}: ${escapeHtml(document.generatedAt)}</p>
${sections.join('\n')}
</body></html>
`;
}
