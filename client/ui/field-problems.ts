import type { z } from 'zod';
import type { Translate } from './i18n/i18n-provider.tsx';

/** What is wrong with one form field, independent of language. */
export type FieldProblem =
  | { kind: 'required' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'slug' }
  | { kind: 'email' }
  /** The server or the local data says the value is already used (SLUG_TAKEN). */
  | { kind: 'taken' }
  | { kind: 'invalid' };

export type FieldProblems = Readonly<Partial<Record<string, FieldProblem>>>;

function toProblem(issue: z.core.$ZodIssue): FieldProblem {
  switch (issue.code) {
    case 'too_small':
      return { kind: 'required' };
    case 'too_big':
      return { kind: 'tooLong', max: Number(issue.maximum) };
    case 'invalid_format':
      // The only pattern in our form schemas is the slug's.
      if (issue.format === 'regex') return { kind: 'slug' };
      if (issue.format === 'email') return { kind: 'email' };
      return { kind: 'invalid' };
    default:
      return { kind: 'invalid' };
  }
}

/**
 * The first problem of each top-level field of a zod result, so a form can show one message next
 * to each field; issues on fields the form does not show (ids) are dropped.
 */
export function fieldProblems(issues: readonly z.core.$ZodIssue[], shownFields: readonly string[]): FieldProblems {
  const problems: Partial<Record<string, FieldProblem>> = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if (typeof field !== 'string' || !shownFields.includes(field) || problems[field] !== undefined) continue;
    problems[field] = toProblem(issue);
  }
  return problems;
}

export function problemMessage(t: Translate, problem: FieldProblem): string {
  switch (problem.kind) {
    case 'required':
      return t('validation.required');
    case 'tooLong':
      return t('validation.tooLong', { max: problem.max });
    case 'slug':
      return t('validation.slug');
    case 'email':
      return t('validation.email');
    case 'taken':
      return t('error.SLUG_TAKEN');
    case 'invalid':
      return t('validation.invalid');
  }
}

/** The field problem a rejected write explains, if its code is about one field. */
export function problemsFromRejection(code: string | null): FieldProblems {
  return code === 'SLUG_TAKEN' ? { slug: { kind: 'taken' } } : {};
}
