/**
 * chatgpt-on-wechat settings (1.x and 2.x) that wecom-bot does not use. A config.json copied
 * from there carries dozens of them; they are named once, together, not as typos. Its keys
 * for OpenAI-compatible providers (deepseek_api_key …) are not here: the OpenAI bot maps them.
 */
export const IGNORED_COW_KEYS = new Set([
  'hot_reload', 'debug', 'appdata_dir', 'wechaty_puppet_service_token', 'trigger_by_self',
  'wechatmp_token', 'wechatmp_port', 'wechatmp_app_id', 'wechatmp_app_secret', 'wechatmp_aes_key',
  'wechatcomapp_agent_name', 'use_azure_chatgpt', 'azure_deployment_id', 'azure_api_version',
  'azure_openai_dalle_api_base', 'azure_openai_dalle_api_key', 'azure_openai_dalle_deployment_id',
  'use_linkai', 'linkai_api_key', 'linkai_app_code', 'linkai_api_base', 'clear_memory_commands',
  'group_welcome_msg', 'concurrency_in_session', 'image_proxy',
  'baidu_app_id', 'baidu_api_key', 'baidu_secret_key', 'baidu_dev_pid', 'azure_voice_api_key', 'azure_voice_region',
  'baidu_wenxin_model', 'baidu_wenxin_api_key', 'baidu_wenxin_secret_key', 'baidu_wenxin_prompt_enabled',
  'baidu_translate_app_id', 'baidu_translate_app_key', 'youdao_translate_app_key', 'youdao_translate_app_secret', 'translate',
  'claude_api_cookie', 'claude_uuid', 'claude_api_key', 'claude_api_base',
  'xunfei_app_id', 'xunfei_api_key', 'xunfei_api_secret', 'xunfei_domain', 'xunfei_spark_url',
  'qwen_access_key_id', 'qwen_access_key_secret', 'qwen_agent_key', 'qwen_app_id', 'qwen_node_id',
  'dingtalk_client_id', 'dingtalk_client_secret', 'dingtalk_card_enabled',
  'feishu_app_id', 'feishu_app_secret', 'feishu_token', 'feishu_bot_name', 'feishu_port', 'feishu_event_mode', 'feishu_stream_reply',
  'wework_smart', 'chat_time_module', 'chat_start_time', 'chat_stop_time',
  'use_global_plugin_config', 'max_media_send_count', 'media_send_interval', 'web_port', 'web_console',
  'web_password', 'web_session_expire_days', 'presence_penalty', 'frequency_penalty', 'use_baidu_unit', 'baidu_unit_api_key',
  'baidu_unit_secret_key', 'speech_synthesis_engine', 'xi_api_key', 'xi_voice_id',
  'group_chat_exit_group', 'group_shared_session', 'nick_name_black_list', 'no_need_at', 'Minimax_group_id',
  'weixin_token', 'weixin_base_url', 'weixin_cdn_base_url', 'weixin_credentials_path',
  'cloud_host', 'cloud_port', 'cloud_deployment_id',
  // 2.x's agent mode: tools and a workspace, which wecom-bot does not have.
  'agent', 'agent_workspace', 'agent_max_context_tokens', 'agent_max_context_turns', 'agent_max_steps', 'enable_thinking', 'knowledge',
]);

/** One warning for all of them: thirty lines of "ignored" would bury the one that matters. */
export function ignoredCowKeysWarning(keys: readonly string[]): string {
  return `${keys.length} chatgpt-on-wechat setting${keys.length === 1 ? '' : 's'} that wecom-bot does not use, ignored: ${keys.join(', ')}`;
}
