import { describe, expect, it } from 'vitest';
import { draftProblems, placeholdersOf, renderNotice, ZNoticeSections, type TNoticeSection } from './notice-template.ts';

const section = (key: string, optional: boolean, body: string): TNoticeSection =>
  ({ key, optional, title: { en: `T ${key}`, ro: `Ț ${key}` }, body: { en: body, ro: `ro ${body}` } });
const sections = [
  section('controller', false, '{{clinic_name}} is the controller; write to {{ dpo_contact }}.'),
  section('telerehab', true, 'Exercises at {{clinic_name}}.'),
  section('processors', true, 'Also {{other_processors}}.'),
];

describe('the notice template', () => {
  it('finds each placeholder once, in order of appearance', () => {
    expect(placeholdersOf(sections)).toEqual(['clinic_name', 'dpo_contact', 'other_processors']);
  });

  it('asks only for the placeholders of the sections a notice has, and knows only the template\'s optional sections', () => {
    expect(draftProblems({ sections, picked: ['telerehab'], values: { clinic_name: 'Alpha' } })).toEqual({ unknownSections: [], missingValues: ['dpo_contact'] });
    expect(draftProblems({ sections, picked: ['processors', 'controller', 'nope'], values: { clinic_name: 'A', dpo_contact: ' ' } }))
      .toEqual({ unknownSections: ['controller', 'nope'], missingValues: ['dpo_contact', 'other_processors'] });
  });

  it('renders the required sections and the picked ones, in template order, with the values put in', () => {
    const text = renderNotice({ sections, picked: ['telerehab'], values: { clinic_name: 'Alpha', dpo_contact: 'dpo@alpha.test' } });
    expect(text.en).toBe('## T controller\n\nAlpha is the controller; write to dpo@alpha.test.\n\n## T telerehab\n\nExercises at Alpha.');
    expect(text.ro).toContain('## Ț controller');
    expect(text.en).not.toContain('processors');
  });

  it('refuses a template with repeated keys or badly named ones', () => {
    expect(ZNoticeSections.safeParse([sections[0], sections[0]]).success).toBe(false);
    expect(ZNoticeSections.safeParse([{ ...sections[0], key: 'Bad Key' }]).success).toBe(false);
    expect(ZNoticeSections.safeParse(sections).success).toBe(true);
  });
});
