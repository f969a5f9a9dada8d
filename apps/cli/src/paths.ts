import { fileURLToPath } from 'node:url';

/** The repo root's config.json.template, which documents every key with its default. */
export const templatePath = fileURLToPath(new URL('../../../config.json.template', import.meta.url));
