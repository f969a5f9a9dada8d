#!/usr/bin/env node
// The installed package's `wecom-bot` command (publishConfig.bin): the compiled CLI, run by
// Node itself, no TypeScript loader. In the repo, bin/wecom-bot.js runs the sources instead.
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of each module in a cache on disk (under the OS
// temp folder), so a restart skips most of the compiling that start-up time goes to. Node 20
// has no such cache: nothing happens there. Enabled before main.js loads, to cover it all.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./main.js');
