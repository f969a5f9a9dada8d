import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeKeys } from '@wecom-bot/core/runtime';
import { englishFingerprint, renderTemplate, withConfigTable } from './config-docs.js';
import { ZH_DESCRIPTIONS, ZH_SECTION_TITLES } from './zh-cn-descriptions.js';
import { templatePath } from '../paths.js';
import { allSections } from '../integrations.js';

const readme = (name: string) => readFileSync(new URL(`../../../../${name}`, import.meta.url), 'utf8');

describe('generated config docs', () => {
  it('config.json.template holds every key with its default (run `pnpm gen-docs` if this fails)', () => {
    expect(readFileSync(templatePath, 'utf8')).toBe(renderTemplate());
    const keys = Object.keys(JSON.parse(renderTemplate()) as object);
    expect(keys).toEqual(allSections().flatMap((s) => Object.keys(s.shape)));
  });

  it("the README's config table is up to date (run `pnpm gen-docs` if this fails)", () => {
    expect(readme('README.md')).toBe(withConfigTable(readme('README.md')));
  });

  it('every key and section has its Chinese wording, and no wording is left for a key that is gone (apps/cli/src/docs/zh-cn-descriptions.ts)', () => {
    const keys = describeKeys(allSections());
    expect(keys.map((k) => k.key).filter((key) => !ZH_DESCRIPTIONS[key])).toEqual([]);
    expect(Object.keys(ZH_DESCRIPTIONS).filter((key) => !keys.some((k) => k.key === key))).toEqual([]);
    expect([...new Set(keys.map((k) => k.section))].filter((title) => !ZH_SECTION_TITLES[title])).toEqual([]);
  });

  it('no Chinese description is older than its English one (re-word it, then put the digits shown here)', () => {
    const stale = describeKeys(allSections())
      .filter(({ key, description }) => ZH_DESCRIPTIONS[key] && ZH_DESCRIPTIONS[key][0] !== englishFingerprint(description))
      .map(({ key, description }) => `${key}: '${englishFingerprint(description)}' — ${description}`);
    expect(stale).toEqual([]);
  });

  it("README.zh-CN.md's config table is up to date (run `pnpm gen-docs` if this fails)", () => {
    expect(readme('README.zh-CN.md')).toBe(withConfigTable(readme('README.zh-CN.md'), 'zh-CN'));
  });
});
