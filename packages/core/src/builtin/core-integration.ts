import { coreConfigSection } from '../config/core-section.js';
import { defineIntegration } from '../integration.js';
import { EchoBot } from './echo-bot.js';
import { TerminalChannel } from './terminal-channel.js';

/** Core's own contributions: its config keys, the terminal channel and the echo bot. */
export const coreIntegration = defineIntegration({
  name: 'core',
  config: [coreConfigSection],
  channels: { terminal: { create: () => new TerminalChannel() } },
  bots: { echo: { create: () => new EchoBot() } },
});
