import type { CommandInfo, Context, PluginHost } from '@wecom-bot/core';

/** What an admin command is given: the message, the host, its arguments and the sender's standing. */
export interface CommandCall {
  context: Context;
  host: PluginHost;
  args: string[];
  isAdmin: boolean;
  /** Records the sender as an admin (for #auth). */
  grantAdmin(): Promise<void>;
  checkPassword(given: string): 'ok' | 'wrong' | 'locked' | 'off';
}

/** One `#command` of the admin plugin. */
export interface AdminCommand extends CommandInfo {
  aliases: string[];
  usage?: string;
  run(call: CommandCall): Promise<string>;
}
