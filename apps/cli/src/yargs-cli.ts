import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { devOptions } from './commands/dev-options.js';

// Each command's module (and with it the app: core, channels, bots, plugins) is imported in
// its handler, so --version, --help and a usage error load none of it.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The command line (process.argv after the script) through yargs: every command, the help,
 * the usage errors (exit 2). Resolves to the command's exit code.
 */
export async function runYargs(argv: string[]): Promise<number> {
  let code = 0;
  await yargs(argv)
    .scriptName('wecom-bot')
    .usage('$0 <command> [options]')
    .option('config', { alias: 'c', type: 'string', describe: 'Path to config.json (default: ./config.json)' })
    .command('start', 'Start the configured channel and bot', {}, async (args) => {
      const { startCommand } = await import('./commands/start.js');
      code = await startCommand(args.config as string | undefined);
    })
    .command('init', 'Write config.json from the template (never overwrites)', {}, async (args) => {
      const { initCommand } = await import('./commands/init.js');
      code = initCommand((args.config as string | undefined) ?? 'config.json');
    })
    .command('check', 'Validate the config and report what is missing', { live: { type: 'boolean', default: false, describe: 'Also prove the setup against WeCom and the model API (credentials, trusted IP, public URL); sends nothing to users' } }, async (args) => {
      const { checkCommand } = await import('./commands/check.js');
      code = await checkCommand(args.config as string | undefined, process.stdout, { live: args.live });
    })
    .command('dev', 'Try the bot in a browser: the app and the AI bot against a local stand-in for WeCom', devOptions, async (args) => {
      const { devCommand } = await import('./commands/dev.js');
      code = await devCommand({ config: args.config as string | undefined, port: args.port, host: args.host });
    })
    .demandCommand(1, 'Name a command: start, init, check or dev.')
    .epilog(
      'Every config key can also be set by its upper-cased environment variable (WECHATCOMAPP_TOKEN=…).\n' +
        'Exit codes: 0 done, 1 config or environment to fix, 2 wrong usage, 70 internal error or crash, 130/143 a second signal while stopping. SIGHUP reloads config.json.',
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
