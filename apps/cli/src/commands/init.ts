import { copyFileSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { templatePath } from '../paths.js';

/** Writes config.json from the template; never overwrites. A path it cannot write is the user's to fix (exit 1). */
export function initCommand(target: string): number {
  if (existsSync(target)) {
    process.stderr.write(`${target} already exists; left unchanged. Delete it first to start over.\n`);
    return 1;
  }
  try {
    copyFileSync(templatePath, target, constants.COPYFILE_EXCL);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const folder = dirname(target);
    const why =
      code === 'ENOENT' ? `the folder ${folder} does not exist: create it first (mkdir -p ${folder})`
      : code === 'EACCES' || code === 'EPERM' ? `no permission to write in ${folder}`
      : code === 'ENOTDIR' ? `${folder} is not a folder`
      : (error as Error).message;
    process.stderr.write(`wecom-bot init: cannot write ${target}: ${why}.\n`);
    return 1;
  }
  process.stdout.write(`Wrote ${target}. Fill in the keys for your channel and bot, then run \`wecom-bot check\`.\n`);
  return 0;
}
