import { Action, ALL_GROUP, defineConfigSection, definePlugin, type HookEvent, type Plugin, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { containsAny } from '../prefix/match.js';

/** No group by default, not chatgpt-on-wechat's sample names: opening a group is a deliberate choice. */
export const groupWhitelistConfigSection = defineConfigSection({
  title: 'group-whitelist plugin',
  shape: {
    group_name_white_list: z.array(z.string()).default([]).describe('Groups the bot answers in, by name; ["ALL_GROUP"] for every group; [] for none.'),
    group_name_keyword_white_list: z.array(z.string()).default([]).describe('Also answer in groups whose name contains one of these words.'),
  },
});

/** Drops every group message unless the group is listed by name or by a word of its name. */
export function createGroupWhitelistPlugin(config: SectionConfig<typeof groupWhitelistConfigSection>): Plugin {
  return definePlugin({
    name: 'group-whitelist',
    description: 'Answers only in groups named in group_name_white_list or matching group_name_keyword_white_list.',
    priority: PRIORITY.groupWhitelist,

    onReceiveMessage({ context, host }: HookEvent) {
      if (!context.isGroup) return Action.CONTINUE;
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
}
