import { defineConfigSection, z, type SectionConfig } from '@wecom-bot/core';

export const CHANNEL_NAME = 'http_json';

/** The channel's keys in config.json, each also settable by its upper-cased environment variable. */
export const httpJsonConfigSection = defineConfigSection({
  title: 'http_json channel',
  shape: {
    http_json_host: z.string().default('0.0.0.0').describe('Address the HTTP server listens on (127.0.0.1: this machine only).'),
    http_json_port: z.number().int().min(0).max(65535).default(9896).describe('Port of the HTTP server (0: any free port, logged at start).'),
    http_json_path: z.string().startsWith('/').default('/chat').describe('Path that takes the POST requests.'),
    http_json_secret: z.string().default('').describe('Shared secret: every request carries "Authorization: Bearer <this value>".'),
  },
  secrets: ['http_json_secret'],
  required: ['http_json_secret'],
  activeWhen: (c) => c.channel_type === CHANNEL_NAME,
  // Anyone who can reach the port can talk to the bot with it: a guessable one is a problem.
  check: (c) => (c.http_json_secret.length > 0 && c.http_json_secret.length < 16 ? ['http_json_secret is too short: use 16 characters or more'] : []),
});

export type HttpJsonConfig = SectionConfig<typeof httpJsonConfigSection>;
