// The share of comment lines in the non-test TypeScript of apps/ and libs/ (issue 25's measure):
// a line counts as comment when it holds comment text and no code, by TypeScript's own scanner.
// Usage: node tools/comment-share.mjs [--max <percent>] [--top <n>]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const TEST = /\.(spec|int-spec|e2e-spec|faults-spec)\.tsx?$|\.d\.ts$/;

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'stack-e2e'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(entry.name) && !TEST.test(entry.name)) yield path;
  }
}

function count(text, jsx) {
  const code = new Set();
  const comment = new Set();
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const line = (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const { kind, start, end } of tokensOf(ts, text, jsx)) {
    if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.NewLineTrivia) continue;
    const target =
      kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia
        ? comment
        : code;
    for (let l = line(start); l <= line(end - 1); l++) target.add(l);
  }
  const commentOnly = [...comment].filter((l) => !code.has(l)).length;
  return { code: code.size, comment: commentOnly };
}

const files = [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))].map((path) => ({
  path: relative(root, path),
  ...count(readFileSync(path, 'utf8'), path.endsWith('.tsx')),
}));
const code = files.reduce((n, f) => n + f.code, 0);
const comment = files.reduce((n, f) => n + f.comment, 0);
const share = (100 * comment) / (code + comment);
process.stdout.write(
  `${comment} comment lines, ${code} code lines in ${files.length} files: ${share.toFixed(1)} % comments\n`,
);
const top = option('--top');
if (top) {
  for (const f of files.sort((a, b) => b.comment - a.comment).slice(0, top)) {
    process.stdout.write(`${String(f.comment).padStart(5)} / ${String(f.code).padStart(5)}  ${f.path}\n`);
  }
}
const max = option('--max');
if (max !== undefined && share > max) {
  process.stderr.write(`more than ${max} % of lines are comments\n`);
  process.exit(1);
}

/** Each token of a file as the parser would read it (template literals and regexes included). */
function* tokensOf(ts, text, jsx) {
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard,
    text,
  );
  const braces = [];
  let previous;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken) braces.push('{');
    if (kind === ts.SyntaxKind.TemplateHead) braces.push('${');
    if (kind === ts.SyntaxKind.CloseBraceToken && braces.pop() === '${') {
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateMiddle) braces.push('${');
    }
    const slash = kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken;
    if (slash && !endsExpression(ts, previous)) kind = scanner.reScanSlashToken();
    const trivia =
      kind === ts.SyntaxKind.WhitespaceTrivia ||
      kind === ts.SyntaxKind.NewLineTrivia ||
      kind === ts.SyntaxKind.SingleLineCommentTrivia ||
      kind === ts.SyntaxKind.MultiLineCommentTrivia;
    if (!trivia) previous = kind;
    yield { kind, start: scanner.getTokenStart(), end: scanner.getTokenEnd(), text: scanner.getTokenText() };
  }
}

/** Whether a `/` after this token divides (else it starts a regex). */
function endsExpression(ts, kind) {
  const k = ts.SyntaxKind;
  return (
    kind === k.Identifier ||
    kind === k.NumericLiteral ||
    kind === k.StringLiteral ||
    kind === k.CloseParenToken ||
    kind === k.CloseBracketToken ||
    kind === k.CloseBraceToken ||
    kind === k.TemplateTail ||
    kind === k.NoSubstitutionTemplateLiteral ||
    kind === k.ThisKeyword ||
    kind === k.PlusPlusToken ||
    kind === k.MinusMinusToken
  );
}
