/**
 * The config option of a plain `wecom-bot start [--config PATH | -c PATH | --config=PATH]`,
 * in any order; undefined for any other command line, which yargs then parses (its help,
 * its errors). `start` is what a service runs on every restart, and yargs costs about a
 * tenth of a second of module loading. A value yargs might read otherwise (empty, or one
 * that starts with "-") is left to yargs too.
 */
export function plainStart(argv: readonly string[]): { config?: string } | undefined {
  const at = argv.indexOf('start');
  if (at < 0) return undefined;
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  if (rest.length === 0) return {};
  const value =
    rest.length === 1 && rest[0]!.startsWith('--config=') ? rest[0]!.slice('--config='.length)
    : rest.length === 2 && (rest[0] === '--config' || rest[0] === '-c') ? rest[1]!
    : undefined;
  return value && !value.startsWith('-') ? { config: value } : undefined;
}
