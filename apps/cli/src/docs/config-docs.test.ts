import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTemplate, withConfigTable } from './config-docs.js';
import { templatePath } from '../paths.js';
import { allSections } from '../integrations.js';

describe('generated config docs', () => {
  it('config.json.template holds every key with its default (run `pnpm gen-docs` if this fails)', () => {
    expect(readFileSync(templatePath, 'utf8')).toBe(renderTemplate());
    const keys = Object.keys(JSON.parse(renderTemplate()) as object);
    expect(keys).toEqual(allSections().flatMap((s) => Object.keys(s.shape)));
  });

  it("the README's config table is up to date (run `pnpm gen-docs` if this fails)", () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withConfigTable(readme));
  });
});
