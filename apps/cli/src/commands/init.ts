import { copyFileSync, constants, existsSync } from 'node:fs';
import { templatePath } from '../paths.js';

/** Writes config.json from the template; never overwrites. */
export function initCommand(target: string): number {
  if (existsSync(target)) {
    process.stderr.write(`${target} already exists; left unchanged. Delete it first to start over.\n`);
    return 1;
  }
  copyFileSync(templatePath, target, constants.COPYFILE_EXCL);
  process.stdout.write(`Wrote ${target}. Fill in the keys for your channel and bot, then run \`wecom-bot check\`.\n`);
  return 0;
}
