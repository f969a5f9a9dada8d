#!/usr/bin/env node
// `wecom-bot` in the repo (pnpm start, pnpm wecom-bot, the CLI's tests): runs the TypeScript
// sources directly through tsx's loader, no build step. The packed package runs the compiled
// dist/bin.js instead (publishConfig.bin), with no loader: tsx is registered there only when
// a user's plugin is TypeScript (packages/plugins/src/loader/import-module.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
