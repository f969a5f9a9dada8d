import { describe, expect, it } from 'vitest';
import { RULE, markdownToText } from './markdown-to-text.js';

const lines = (...l: string[]) => l.join('\n');

describe('markdownToText', () => {
  it('turns a typical model answer into clean text: no markers, lists, links, code and tables readable', () => {
    const answer = lines(
      '## 部署步骤',
      '先安装依赖，然后**重启服务**。注意 `config.json` 里的 *端口*。',
      '',
      '1. 安装 Node.js',
      '   - 推荐 **22** 版本',
      '   - 也支持 20 和 24',
      '2. 运行命令：',
      '',
      '```bash',
      'pnpm install',
      '  pnpm start',
      '```',
      '',
      '详见[官方文档](https://example.com/docs)，或直接访问 https://example.com 。',
      '',
      '| 选项 | 说明 |',
      '| :--- | ---: |',
      '| `port` | 监听端口 |',
      '| host | 监听地址 |',
    );
    expect(markdownToText(answer)).toBe(
      lines(
        '部署步骤',
        '',
        '先安装依赖，然后重启服务。注意 config.json 里的 端口。',
        '',
        '1. 安装 Node.js',
        '   • 推荐 22 版本',
        '   • 也支持 20 和 24',
        '2. 运行命令：',
        '',
        'pnpm install',
        '  pnpm start',
        '',
        '详见官方文档 (https://example.com/docs)，或直接访问 https://example.com 。',
        '',
        '选项 | 说明',
        'port | 监听端口',
        'host | 监听地址',
      ),
    );
  });

  it('indents nested lists under the item text and numbers from the list start', () => {
    const md = lines('3. 第三', '4. 第四', '   - 子项', '     - 孙项', '', '- [x] 已完成', '- [ ] 待办');
    expect(markdownToText(md)).toBe(lines('3. 第三', '4. 第四', '   • 子项', '     • 孙项', '', '• ☑ 已完成', '• ☐ 待办'));
  });

  it('keeps the paragraphs of a loose list item apart, aligned under the text', () => {
    expect(markdownToText(lines('- 一', '', '  续段', '- 二'))).toBe(lines('• 一', '', '  续段', '', '• 二'));
  });

  it('writes links as "text (url)", and a bare url, autolink or mail address once', () => {
    expect(markdownToText('[文档](https://a.example/x?y=1 "title")')).toBe('文档 (https://a.example/x?y=1)');
    expect(markdownToText('<https://a.example> and https://b.example')).toBe('https://a.example and https://b.example');
    expect(markdownToText('[https://a.example](https://a.example)')).toBe('https://a.example');
    expect(markdownToText('<me@corp.example>')).toBe('me@corp.example');
    expect(markdownToText('[](https://a.example)')).toBe('https://a.example');
  });

  it('marks images, keeps quotes with "> ", draws rules, and passes HTML through as text', () => {
    expect(markdownToText('![架构图](https://img.example/a.png) ![](https://img.example/b.png)')).toBe(
      '[图片: 架构图] https://img.example/a.png [图片] https://img.example/b.png',
    );
    expect(markdownToText(lines('> **注意**：先备份', '>', '> 第二段'))).toBe(lines('> 注意：先备份', '>', '> 第二段'));
    expect(markdownToText(lines('上', '', '---', '', '下'))).toBe(lines('上', '', RULE, '', '下'));
    expect(markdownToText('按 <kbd>Ctrl</kbd> 键\n\n<div>块</div>')).toBe('按 <kbd>Ctrl</kbd> 键\n\n<div>块</div>');
  });

  it('loses no content: escapes, strikethrough, hard breaks, arithmetic stars and plain Chinese text', () => {
    expect(markdownToText('\\*不是强调\\* ~~旧~~新')).toBe('*不是强调* 旧新');
    expect(markdownToText('第一行  \n第二行\n第三行')).toBe('第一行\n第二行\n第三行');
    expect(markdownToText('2*3*4 = 24, a*b + c*d')).toBe('2*3*4 = 24, a*b + c*d');
    expect(markdownToText('这是**重点**内容，*斜体*也行，snake_case_name 不变')).toBe('这是重点内容，斜体也行，snake_case_name 不变');
    const plain = '你好！我是助手。\n有什么可以帮你？';
    expect(markdownToText(plain)).toBe(plain);
  });

  it('drops the fence but keeps the code exactly, including blank lines and markdown-looking lines', () => {
    const code = lines('# not a heading', '', '', '**x** = 1');
    expect(markdownToText(lines('~~~python', code, '~~~'))).toBe(code);
  });

  it('is empty for blank input', () => {
    expect(markdownToText('  \n\n')).toBe('');
  });
});
