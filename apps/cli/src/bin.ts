#!/usr/bin/env node
// The installed package's `wecom-bot` command (publishConfig.bin): the compiled CLI, run by
// Node itself, no TypeScript loader. In the repo, bin/wecom-bot.js runs the sources instead.
import './main.js';
