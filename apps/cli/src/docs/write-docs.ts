// `pnpm gen-docs` (not `docs`, which pnpm keeps for itself): regenerates config.json.template and the config tables of
// README.md and README.zh-CN.md from the config sections, so all stay true to the code (a test fails when one is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTemplate, withConfigTable } from './config-docs.js';
import { templatePath } from '../paths.js';

const readmes = { en: '../../../../README.md', 'zh-CN': '../../../../README.zh-CN.md' } as const;
writeFileSync(templatePath, renderTemplate());
for (const [language, relative] of Object.entries(readmes) as Array<[keyof typeof readmes, string]>) {
  const path = fileURLToPath(new URL(relative, import.meta.url));
  writeFileSync(path, withConfigTable(readFileSync(path, 'utf8'), language));
  process.stdout.write(`wrote the config table of ${path}\n`);
}
process.stdout.write(`wrote ${templatePath}\n`);
