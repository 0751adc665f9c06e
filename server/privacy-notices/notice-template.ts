import { z } from 'zod';

/**
 * The notice template and how a clinic's notice is made from it (ADR 0021). A template is a list of
 * sections, each with a title and a body in every locale; a body is markdown-ish text (paragraphs,
 * `- ` list items) that may name {{placeholders}}. Required sections are always in a notice; optional
 * ones only when the clinic picks them. Rendering substitutes the clinic's values and nothing else:
 * the text is plain, and the apps show it as text, never as HTML.
 */

export const NOTICE_LOCALES = ['en', 'ro'] as const;
export type NoticeLocale = (typeof NOTICE_LOCALES)[number];

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]{0,62})\s*\}\}/g;
const ZKey = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower_snake_case');
const ZText = (max: number) => z.string().trim().min(1).max(max);
const ZLocalized = (max: number) => z.object({ en: ZText(max), ro: ZText(max) });

export const ZNoticeSection = z.object({
  key: ZKey,
  optional: z.boolean(),
  title: ZLocalized(200),
  body: ZLocalized(20_000),
});
export type TNoticeSection = z.infer<typeof ZNoticeSection>;

export const ZNoticeSections = z.array(ZNoticeSection).min(1).max(50)
  .refine((sections) => new Set(sections.map((section) => section.key)).size === sections.length, 'section keys must be unique');
export type TNoticeSections = z.infer<typeof ZNoticeSections>;

/** A clinic's values: one line of text per placeholder (an address, a contact, a period). */
export const ZPlaceholderValues = z.record(ZKey, z.string().trim().max(1000).regex(/^[^\p{Cc}]*$/u, 'must be one line of text'));
export type TPlaceholderValues = z.infer<typeof ZPlaceholderValues>;

/** The placeholders the given sections name, in order of first appearance. */
export function placeholdersOf(sections: readonly TNoticeSection[]): string[] {
  const names: string[] = [];
  for (const section of sections) {
    for (const text of [section.body.en, section.body.ro]) {
      for (const match of text.matchAll(PLACEHOLDER)) {
        const name = match[1];
        if (name !== undefined && !names.includes(name)) names.push(name);
      }
    }
  }
  return names;
}

/** The sections of a clinic's notice: every required one, and the optional ones it picked, in template order. */
export function sectionsChosen(sections: readonly TNoticeSection[], picked: readonly string[]): TNoticeSection[] {
  return sections.filter((section) => !section.optional || picked.includes(section.key));
}

export type NoticeDraft = { sections: readonly TNoticeSection[]; picked: readonly string[]; values: TPlaceholderValues };

/** What is wrong with a draft: picked keys the template has no optional section for, placeholders left empty. */
export function draftProblems(draft: NoticeDraft): { unknownSections: string[]; missingValues: string[] } {
  const optional = new Set(draft.sections.filter((section) => section.optional).map((section) => section.key));
  const unknownSections = draft.picked.filter((key) => !optional.has(key));
  const missingValues = placeholdersOf(sectionsChosen(draft.sections, draft.picked)).filter((name) => (draft.values[name] ?? '').trim() === '');
  return { unknownSections, missingValues };
}

/** The notice's text in each locale: `## title`, then the body with the values put in. */
export function renderNotice(draft: NoticeDraft): Record<NoticeLocale, string> {
  const render = (locale: NoticeLocale) => sectionsChosen(draft.sections, draft.picked)
    .map((section) => `## ${section.title[locale]}\n\n${section.body[locale].replace(PLACEHOLDER, (whole, name: string) => draft.values[name]?.trim() || whole)}`)
    .join('\n\n');
  return { en: render('en'), ro: render('ro') };
}
