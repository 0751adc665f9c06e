import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every word a person reads in the three apps comes from the catalogs (t()). This scans every .tsx
 * file under client/ with the TypeScript compiler for string literals with letters where a person
 * reads them: JSX text, user-facing attributes and props, the values of expressions shown as
 * children, the browser's dialogs and the document title.
 */

/** JSX attributes whose value a person reads or hears. */
const USER_FACING_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt', 'label', 'hint', 'description', 'message', 'heading', 'legend', 'caption', 'confirmLabel', 'cancelLabel']);

type Finding = { file: string; line: number; text: string; where: string };

// Letters of any script: "—", "·", "•", "×", "…" and digits are not language.
const LETTER = /\p{L}/u;

/** The hard-coded user-facing strings of one .tsx source. */
function findingsIn(file: string, source: string, root: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Finding[] = [];
  const add = (node: ts.Node, text: string, where: string) => {
    if (!LETTER.test(text)) return;
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ file: relative(root, file), line: line + 1, text: text.trim(), where });
  };
  // The literals an expression can evaluate to: `cond ? 'Yes' : 'No'`, `name ?? 'Unknown'`, `'Hi ' + name`.
  const literalsOf = (expr: ts.Expression): ts.Expression[] => {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) || ts.isTemplateExpression(expr)) return [expr];
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) return literalsOf(expr.expression);
    if (ts.isConditionalExpression(expr)) return [...literalsOf(expr.whenTrue), ...literalsOf(expr.whenFalse)];
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalsOf(expr.right);
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) {
        return [...literalsOf(expr.left), ...literalsOf(expr.right)];
      }
    }
    return [];
  };
  const textOf = (literal: ts.Expression): string => {
    if (ts.isTemplateExpression(literal)) return [literal.head.text, ...literal.templateSpans.map((span) => span.literal.text)].join(' ');
    return ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal) ? literal.text : '';
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) add(node, node.text, 'text');
    if (ts.isJsxAttribute(node) && node.initializer !== undefined) {
      const name = node.name.getText(sf);
      if (USER_FACING_ATTRIBUTES.has(name)) {
        const init = node.initializer;
        if (ts.isStringLiteral(init)) add(init, init.text, name);
        else if (ts.isJsxExpression(init) && init.expression !== undefined) for (const literal of literalsOf(init.expression)) add(literal, textOf(literal), name);
      }
    }
    // An expression as a JSX child: {'Save'}, {busy ? 'Saving…' : label}.
    if (ts.isJsxExpression(node) && node.expression !== undefined && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const literal of literalsOf(node.expression)) add(literal, textOf(literal), 'text');
    }
    // Browser dialogs and the document title speak to the person too.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['alert', 'confirm', 'prompt'].includes(node.expression.text)) {
      for (const literal of node.arguments.flatMap(literalsOf)) add(literal, textOf(literal), node.expression.text);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.left.getText(sf) === 'document.title') {
      for (const literal of literalsOf(node.right)) add(literal, textOf(literal), 'document.title');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** Every user-facing string literal of the apps' JSX that does not go through t(). */
function hardCodedStrings(root: string): Finding[] {
  return tsxFiles(join(root, 'client')).flatMap((file) => findingsIn(file, readFileSync(file, 'utf8'), root));
}

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Strings that are not language, with the reason. Keep it short: a word belongs in the catalogs. */
const NOT_LANGUAGE: readonly { file: string; text: string; reason: string }[] = [];

describe('user-facing strings in the apps', () => {
  it('all come from the catalogs', () => {
    const allowed = (finding: Finding) => NOT_LANGUAGE.some((entry) => entry.file === finding.file && entry.text === finding.text);
    const found = hardCodedStrings(ROOT);
    expect(found.filter((finding) => !allowed(finding)).map((f) => `${f.file}:${String(f.line)} ${f.where} ${JSON.stringify(f.text)}`)).toEqual([]);
    expect(NOT_LANGUAGE.filter((entry) => !found.some((f) => f.file === entry.file && f.text === entry.text)), 'stale entries').toEqual([]);
  });

  it('are found wherever a person reads them', () => {
    const source = `
      export function Probe({ busy, name, t }: { busy: boolean; name?: string; t: (key: string) => string }) {
        document.title = 'Clinic';
        if (confirm('Sure?')) alert(\`Gone \${name ?? ''}\`);
        return (
          <section aria-label={t('ok.label')} title="Hello">
            Save now {t('ok.text')} <b>{'Inner'}</b> — 3 · {'…'}
            <img alt={\`Picture of \${name ?? ''}\`} src="/a.png" className="wide" data-testid="probe" />
            <input placeholder={t('ok.placeholder')} aria-label={busy ? 'Saving' : t('ok.idle')} />
            <p>{busy ? 'Saving…' : name ?? 'Unknown'}</p><p>{busy && 'Wait'}</p>
            <TextField label="Name" hint={t('ok.hint')} />
          </section>
        );
      }`;
    const found = findingsIn(join(ROOT, 'client', 'probe.tsx'), source, ROOT).map((f) => `${f.where}: ${f.text}`);
    expect(found.sort()).toEqual([
      'alert: Gone',
      'alt: Picture of',
      'aria-label: Saving',
      'confirm: Sure?',
      'document.title: Clinic',
      'label: Name',
      'text: Inner',
      'text: Save now',
      'text: Saving…',
      'text: Unknown',
      'text: Wait',
      'title: Hello',
    ]);
  });
});
