import { Action, ALL_GROUP, definePlugin, type HookEvent } from '@wecom-bot/core';
import { pluginsConfig } from '../config.js';
import { PRIORITY } from '../priorities.js';
import { containsAny } from '../prefix/match.js';

/** Drops every group message unless the group is listed by name or by a word of its name. */
export const groupWhitelistPlugin = definePlugin({
  name: 'group-whitelist',
  description: 'Answers only in groups named in group_name_white_list or matching group_name_keyword_white_list.',
  priority: PRIORITY.groupWhitelist,

  onReceiveMessage({ context, host }: HookEvent) {
    if (!context.isGroup) return Action.CONTINUE;
    const config = pluginsConfig(host.config);
    const name = context.groupName ?? '';
    const allowed =
      config.group_name_white_list.includes(ALL_GROUP) ||
      (name !== '' && config.group_name_white_list.includes(name)) ||
      containsAny(name, config.group_name_keyword_white_list);
    if (allowed) return Action.CONTINUE;
    host.logger.debug({ group: context.groupId, groupName: name }, 'group not in the white list; message dropped');
    return Action.BREAK_PASS;
  },
});
