import { plainStart } from './plain-start.js';

/**
 * Exit codes: 0 done; 1 the config or environment needs fixing (message says what);
 * 2 wrong command-line usage; 70 an unexpected internal error.
 */
async function main(argv: string[]): Promise<number> {
  // A plain `start` goes straight to the command; everything else (other commands, --help,
  // --version, a usage error) through yargs, loaded only then.
  const start = plainStart(argv);
  if (start) {
    const { startCommand } = await import('./commands/start.js');
    return startCommand(start.config);
  }
  const { runYargs } = await import('./yargs-cli.js');
  return runYargs(argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    // Already loaded when a command threw it; a cheap import then.
    const { ConfigError } = await import('@wecom-bot/core');
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`wecom-bot: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  },
);
