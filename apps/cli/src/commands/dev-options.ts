/** `wecom-bot dev`'s options, apart from the command so that --help does not load the app. */
export const devOptions = {
  port: { type: 'number', default: 9800, describe: 'Port of the page (0 picks a free one)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address the page listens on (the stand-ins are loopback only)' },
} as const;
