import {
  Action, defineConfigSection, definePlugin, infoReply, unverifiedSender, type CommandInfo, type Context, type HookEvent, type Plugin, type PluginHost, type SectionConfig,
} from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { parseCommand, type CommandConfig } from '../shared/command.js';
import { dataFile } from '../shared/data-file.js';
import { AdminStore } from './admin-store.js';
import { ADMIN_COMMANDS, findCommand, type AdminCommand, type CommandCall } from './commands.js';
import { FailedAttempts, passwordMatches } from './password.js';

export const ADMINS_FILE = 'admins.json';

export const adminConfigSection = defineConfigSection({
  title: 'admin plugin',
  shape: {
    admin_password: z.string().default('').describe('Password for #auth; empty turns #auth off (admins then come only from admin_users).'),
    admin_users: z.array(z.string()).default([]).describe('Sender ids that are admins without #auth.'),
  },
  secrets: ['admin_password'],
});

/** Its own keys and the command trigger it shares with every plugin's commands. */
export type AdminConfig = SectionConfig<typeof adminConfigSection> & CommandConfig;

/**
 * Chat commands in the manner of chatgpt-on-wechat's godcmd: `#help`, `#reset`, `#auth`,
 * and, for admins, `#model`, `#reload`, `#plugins`. A command another plugin declares is
 * left to that plugin; an unknown one goes on to the bot as ordinary text.
 */
export function createAdminPlugin(config: AdminConfig): Plugin {
  let store: AdminStore | undefined;
  const attempts = new FailedAttempts();

  const isAdmin = async (context: Context) => {
    // A sender id anyone could have written is nobody's admin, whatever admin_users lists.
    if (unverifiedSender(context) !== undefined) return false;
    const id = adminId(context);
    const listed = config.admin_users;
    return listed.includes(context.senderId) || listed.includes(id) || (store !== undefined && (await store.has(id)));
  };

  return definePlugin({
    name: 'admin',
    description: 'Chat commands: #help, #reset, #auth and admin-only #model, #reload, #plugins.',
    priority: PRIORITY.admin,
    commands: ADMIN_COMMANDS.map(withUsage),

    setup(host) {
      // In the settings store (kept across restarts, shared through Redis); an older admins.json is moved in once.
      store = new AdminStore(host.settings, dataFile(host.config, '', ADMINS_FILE), (message) => host.logger.warn(message));
      if (config.admin_password === '') host.logger.info('admin_password is empty: #auth is off; admins come only from admin_users');
    },

    async onHandleContext(event: HookEvent) {
      const { context, host } = event;
      const parsed = parseCommand(context, host);
      if (!parsed) return Action.CONTINUE;
      const command = findCommand(parsed.name);
      if (!command) return Action.CONTINUE;
      const admin = await isAdmin(context);
      const id = adminId(context);
      const unverified = unverifiedSender(context);
      let answer: string;
      if (unverified !== undefined && (command.adminOnly || command.name === 'auth')) {
        host.logger.warn({ sender: id, command: command.name }, `admin command refused: ${unverified}`);
        answer = '此入口无法验证发送者身份，不能使用管理员指令。';
      } else if (command.adminOnly && !admin) answer = `${config.plugin_trigger_prefix}${command.name} 需要管理员权限，请先私聊发送 ${config.plugin_trigger_prefix}auth <口令>。`;
      else if (command.adminOnly && context.isGroup) answer = '群聊中不能执行管理员指令，请私聊。';
      else if (command.name === 'help') answer = helpText(host, config.plugin_trigger_prefix, admin);
      else {
        const call: CommandCall = {
          context,
          host,
          args: parsed.args,
          isAdmin: admin,
          grantAdmin: async () => {
            await store!.add(id);
            host.logger.info({ admin: id }, 'a user passed #auth and is now an admin');
          },
          checkPassword: (given) => {
            if (config.admin_password === '') return 'off';
            if (attempts.isLocked(id)) return 'locked';
            if (passwordMatches(given, config.admin_password)) return attempts.clear(id), 'ok';
            host.logger.warn({ sender: id }, '#auth with a wrong password');
            if (attempts.fail(id)) host.logger.error('20 wrong #auth passwords within 15 minutes, from any senders: #auth is closed for everyone for 15 minutes');
            return 'wrong';
          },
        };
        answer = await command.run(call);
      }
      event.reply = infoReply(answer);
      return Action.BREAK_PASS;
    },
  });
}

function adminId(context: Context): string {
  return `${context.channel}:${context.senderId}`;
}

/** Commands of every enabled plugin, user plugins included; admin-only ones for admins only. */
function helpText(host: PluginHost, trigger: string, admin: boolean): string {
  const line = (c: { name: string; description: string }) => `${trigger}${c.name}：${c.description}`;
  const lines = ['可用指令：', ...ADMIN_COMMANDS.filter((c) => !c.adminOnly).map((c) => line(withUsage(c)))];
  for (const plugin of host.plugins.list()) {
    if (plugin.name === 'admin' || !plugin.enabled) continue;
    const commands = (plugin.plugin.commands ?? []).filter((c) => admin || !c.adminOnly);
    if (commands.length > 0) lines.push('', `${plugin.name}：`, ...commands.map(line));
  }
  if (admin) lines.push('', '管理员指令：', ...ADMIN_COMMANDS.filter((c) => c.adminOnly).map((c) => line(withUsage(c))));
  return lines.join('\n');
}

/** "auth <口令>": an own command named with its usage, as #help lists it. */
function withUsage({ name, usage, description, adminOnly }: AdminCommand): CommandInfo {
  return { name: usage ? `${name} ${usage}` : name, description, adminOnly };
}
