import { catalogProblems } from '@twofold/i18n';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { webMessages } from './messages';

const SOURCE = join(__dirname, '..');
const TEXT_ATTRIBUTES = new Set([
  'label',
  'hint',
  'alt',
  'title',
  'aria-label',
  'placeholder',
  'why',
  'then',
]);
/** Strings a reader never sees as prose: API routes, CSS classes, test ids, file names. */
const TECHNICAL =
  /^(GET|POST|PUT|PATCH|DELETE) \/|^[a-z0-9-]+( [a-z0-9-]+)*$|^[\w.-]+\.(txt|yaml|json)$|^(?=.*[[>])[a-z\s,[\]="#.>:()-]+$|^\s*[a-z_]+: [\w-]+$/;

/** Words a member reads, written in code instead of the catalog: in JSX or in a string with two words. */
function untranslated(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const at = (node: ts.Node, text: string) =>
    found.push(
      `${relative(SOURCE, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${text.trim()}`,
    );
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ['t', 'tx'].includes(node.expression.text)
    ) {
      node.arguments.slice(1).forEach(visit);
      return;
    }
    if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) at(node, node.text);
    if (ts.isJsxAttribute(node)) {
      const name = node.name.getText();
      if (
        TEXT_ATTRIBUTES.has(name) &&
        node.initializer &&
        ts.isStringLiteral(node.initializer) &&
        /\p{L}/u.test(node.initializer.text)
      )
        at(node, `${name}="${node.initializer.text}"`);
      if (!TEXT_ATTRIBUTES.has(name)) return;
    }
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      !ts.isJsxAttribute(node.parent)
    ) {
      if (/\p{L}{2,}[^\n]*\s[^\n]*\p{L}{2,}/u.test(node.text) && !TECHNICAL.test(node.text))
        at(node, node.text);
    }
    if (
      ts.isTemplateExpression(node) &&
      /\p{L}{2,}\s/u.test(node.head.text + node.templateSpans.map((s) => s.literal.text).join(' '))
    )
      at(node, node.getText());
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) ? [path] : [];
  });

describe('the web app’s messages', () => {
  it('are complete in every language, valid ICU, with the same arguments as the English ones', () => {
    expect(catalogProblems(webMessages)).toEqual([]);
  });

  it('are all in the catalog: no screen writes words a member reads in code', () => {
    expect(sources(SOURCE).flatMap(untranslated)).toEqual([]);
  });
});
