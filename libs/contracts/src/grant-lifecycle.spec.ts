import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHANGES, GRANT_TABLE, GRANTS, renderGrantTable } from './grant-lifecycle';

/** Markdown as written, and as Prettier aligns it: the same table. */
const normalized = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/\s*\|\s*/g, '|')
        .replace(/-{3,}/g, '---')
        .trim(),
    )
    .filter((line) => line !== '')
    .join('\n');

describe(renderGrantTable.name, () => {
  it('is what docs/grants.md shows', () => {
    const doc = readFileSync(resolve(__dirname, '../../../docs/grants.md'), 'utf8');
    const shown = doc.slice(
      doc.indexOf('<!-- grant-table:start -->') + 26,
      doc.indexOf('<!-- grant-table:end -->'),
    );

    expect(normalized(shown)).toBe(normalized(renderGrantTable()));
  });

  it('decides every grant for every change', () => {
    for (const change of Object.keys(CHANGES) as (keyof typeof CHANGES)[]) {
      expect(Object.keys(GRANT_TABLE[change]).sort()).toEqual(Object.keys(GRANTS).sort());
    }
  });

  it('ends every grant with everything that says the account may be in other hands', () => {
    for (const change of [
      'not_me',
      'password_reset',
      'password_set',
      'signed_out_by_admin',
      'member_removed',
    ] as const) {
      const row = GRANT_TABLE[change];
      expect([
        row.session,
        row.pending_sign_in,
        row.password_credential,
        row.second_factor_credential,
      ]).toEqual(['ends', 'ends', 'ends', 'ends']);
    }
  });
});
