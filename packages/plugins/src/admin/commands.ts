import { coreConfigSection, overrideConfig, overridePlugin } from '@wecom-bot/core';
import type { AdminCommand } from './admin-command.js';
import { STATUS_COMMAND } from './status-command.js';

export type { AdminCommand, CommandCall } from './admin-command.js';

/** The admin plugin's own commands (godcmd's, trimmed to what a WeCom deployment needs). */
export const ADMIN_COMMANDS: AdminCommand[] = [
  {
    name: 'help',
    aliases: ['help', '帮助'],
    description: '列出所有指令',
    run: async () => '', // built by the plugin, which knows every plugin's commands
  },
  {
    name: 'reset',
    aliases: ['reset', '重置会话'],
    description: '清空你的对话记录，重新开始',
    async run({ context, host }) {
      await host.bridge.bot.resetSession?.(context.sessionId);
      await host.sessions.delete(context.sessionId);
      return '会话已重置。';
    },
  },
  {
    name: 'auth',
    aliases: ['auth', '认证'],
    usage: '<口令>',
    description: '管理员认证',
    async run({ context, args, isAdmin, grantAdmin, checkPassword }) {
      if (context.isGroup) return '请在私聊中认证，不要在群里发送口令。';
      if (isAdmin) return '你已经是管理员。';
      const result = checkPassword(args.join(' '));
      if (result === 'off') return '管理员口令未设置（admin_password 为空），#auth 已关闭。';
      if (result === 'locked') return '口令错误次数过多，请 15 分钟后再试。';
      if (result === 'wrong') return '口令错误，认证失败。';
      await grantAdmin();
      return '认证成功，你现在是管理员。';
    },
  },
  {
    name: 'model',
    aliases: ['model', '模型'],
    usage: '[模型名]',
    description: '查看或设置对话模型',
    adminOnly: true,
    async run({ host, args }) {
      if (args.length === 0) return `当前模型：${coreConfigSection.read(host.config).model}`;
      await overrideConfig(host.config, host.settings, 'model', args[0]);
      return `模型已设置为：${args[0]}`;
    },
  },
  {
    name: 'reload',
    aliases: ['reload', '重载配置'],
    description: '重新读取 config.json 并重新加载用户插件',
    adminOnly: true,
    async run({ host }) {
      try {
        return `已重载：${await host.reload()}`;
      } catch (error) {
        // A broken config.json is refused whole; the running settings stay. The message names keys, never values.
        host.logger.warn({ err: error }, '#reload refused');
        return `重载失败，仍使用原来的配置：${(error as Error).message}`;
      }
    },
  },
  {
    name: 'plugins',
    aliases: ['plugins', '插件'],
    usage: 'list | enable <名称> | disable <名称>',
    description: '查看、启用、停用插件',
    adminOnly: true,
    async run({ host, args }) {
      const [action = 'list', name] = args;
      if (action === 'list') {
        return host.plugins
          .list()
          .map((p) => `${p.enabled ? '✓' : '✗'} ${p.name} (${p.priority}, ${p.source})`)
          .join('\n');
      }
      if ((action !== 'enable' && action !== 'disable') || !name) return '用法：#plugins list | enable <名称> | disable <名称>';
      if (name === 'admin' && action === 'disable') return '不能停用 admin 插件本身。';
      if (!host.plugins.has(name)) return `没有名为 ${name} 的插件。`;
      await overridePlugin(host.plugins, host.settings, name, action === 'enable');
      return `插件 ${name} 已${action === 'enable' ? '启用' : '停用'}。`;
    },
  },
  STATUS_COMMAND,
];

export function findCommand(name: string): AdminCommand | undefined {
  return ADMIN_COMMANDS.find((c) => c.aliases.includes(name));
}
