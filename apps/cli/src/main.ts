import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError } from '@wecom-bot/core';
import { checkCommand } from './commands/check.js';
import { devCommand, devOptions } from './commands/dev.js';
import { initCommand } from './commands/init.js';
import { startCommand } from './commands/start.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Exit codes: 0 done; 1 the config or environment needs fixing (message says what);
 * 2 wrong command-line usage; 70 an unexpected internal error.
 */
async function main(argv: string[]): Promise<number> {
  let code = 0;
  await yargs(argv)
    .scriptName('wecom-bot')
    .usage('$0 <command> [options]')
    .option('config', { alias: 'c', type: 'string', describe: 'Path to config.json (default: ./config.json)' })
    .command('start', 'Start the configured channel and bot', {}, async (args) => {
      code = await startCommand(args.config as string | undefined);
    })
    .command('init', 'Write config.json from the template (never overwrites)', {}, (args) => {
      code = initCommand((args.config as string | undefined) ?? 'config.json');
    })
    .command('check', 'Validate the config and report what is missing', {}, async (args) => {
      code = await checkCommand(args.config as string | undefined);
    })
    .command('dev', 'Try the bot in a browser: the app and the AI bot against a local stand-in for WeCom', devOptions, async (args) => {
      code = await devCommand({ config: args.config as string | undefined, port: args.port, host: args.host });
    })
    .demandCommand(1, 'Name a command: start, init or check.')
    .epilog(
      'Every config key can also be set by its upper-cased environment variable (WECHATCOMAPP_TOKEN=…).\n' +
        'Exit codes: 0 done, 1 config or environment to fix, 2 wrong usage, 70 internal error, 130/143 a second signal while stopping.',
    )
    .strict()
    .version(version)
    .alias('h', 'help')
    .fail((message, error, y) => {
      if (error) throw error;
      process.stderr.write(`${y.help()}\n\n${message}\n`);
      process.exit(2);
    })
    .parseAsync();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`wecom-bot: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  },
);
