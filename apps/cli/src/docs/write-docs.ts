// `pnpm gen-docs` (not `docs`, which pnpm keeps for itself): regenerates config.json.template and the README's config table from the
// config sections, so both stay true to the code (a test fails when they are stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTemplate, withConfigTable } from './config-docs.js';
import { templatePath } from '../paths.js';

const readmePath = fileURLToPath(new URL('../../../../README.md', import.meta.url));
writeFileSync(templatePath, renderTemplate());
writeFileSync(readmePath, withConfigTable(readFileSync(readmePath, 'utf8')));
process.stdout.write(`wrote ${templatePath} and the config table of ${readmePath}\n`);
