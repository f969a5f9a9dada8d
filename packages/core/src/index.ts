// tsyringe needs the Reflect polyfill loaded before it is imported anywhere.
import 'reflect-metadata';

export * from './context.js';
export * from './media.js';
export * from './reply.js';
export * from './contracts.js';
export * from './plugin.js';
export * from './plugin-host.js';
export * from './plugin-manager.js';
export * from './pipeline.js';
export * from './bridge.js';
export * from './keyed-queue.js';
export * from './expiring-map.js';
export * from './time-limit.js';
export * from './session-id.js';
export * from './session-store.js';
export * from './secrets.js';
export * from './logger.js';
export * from './tokens.js';
export * from './register.js';
export * from './config/section.js';
export * from './config/core-section.js';
export * from './config/load.js';
export * from './config/errors.js';
export * from './config/template.js';
export { EchoBot } from './builtin/echo-bot.js';
export { TerminalChannel, type TerminalChannelOptions } from './builtin/terminal-channel.js';
