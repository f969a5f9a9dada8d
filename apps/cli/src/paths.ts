import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * config.json.template, which documents every key with its default: in the repo, at its root;
 * in the installed package, beside the compiled files (the build copies it into dist/).
 */
export const templatePath = fileURLToPath(
  [new URL('config.json.template', import.meta.url), new URL('../../../config.json.template', import.meta.url)].find((url) => existsSync(url)) ??
    new URL('../../../config.json.template', import.meta.url),
);
