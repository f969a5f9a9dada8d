/**
 * chatgpt-on-wechat settings that wecom-bot does not use. A config.json copied from there
 * carries them; they are reported once as ignored, not as typos.
 */
export const IGNORED_COW_KEYS = new Set([
  'hot_reload', 'debug', 'appdata_dir', 'wechaty_puppet_service_token', 'trigger_by_self',
  'wechatmp_token', 'wechatmp_port', 'wechatmp_app_id', 'wechatmp_app_secret', 'wechatmp_aes_key',
  'wechatcomapp_agent_name', 'use_azure_chatgpt', 'azure_deployment_id', 'azure_api_version',
  'use_linkai', 'linkai_api_key', 'linkai_app_code', 'linkai_api_base', 'clear_memory_commands',
  'subscribe_msg', 'group_welcome_msg', 'concurrency_in_session', 'image_proxy',
  'baidu_app_id', 'baidu_api_key',
  'baidu_secret_key', 'baidu_dev_pid', 'azure_voice_api_key', 'azure_voice_region',
  'claude_api_cookie', 'claude_uuid', 'gemini_api_key', 'xunfei_app_id', 'xunfei_api_key',
  'xunfei_api_secret', 'zhipu_ai_api_key', 'zhipu_ai_api_base', 'moonshot_api_key',
  'moonshot_base_url', 'dashscope_api_key', 'qwen_access_key_id', 'qwen_access_key_secret',
  'qwen_agent_key', 'qwen_app_id', 'qwen_node_id', 'dingtalk_client_id', 'dingtalk_client_secret',
  'feishu_app_id', 'feishu_app_secret', 'feishu_token', 'feishu_bot_name', 'feishu_port',
  'wework_smart', 'chat_time_module', 'chat_start_time', 'chat_stop_time',
  'use_global_plugin_config', 'max_media_send_count', 'media_send_interval', 'web_port',
  'presence_penalty', 'frequency_penalty', 'use_baidu_unit', 'baidu_unit_api_key',
  'baidu_unit_secret_key', 'speech_synthesis_engine',
]);
