import Handlebars from 'handlebars';

// Built-in templates (system mail). Client-facing greetings are edited by admins and stored in
// PostgreSQL; these cover what the system itself sends.
interface TemplateSource {
  subject: string;
  text: string;
  // A line holding only this context field's URL is drawn as a button with this label in HTML.
  button?: { field: string; label: string };
}

const SOURCES = {
  'follow-up-digest': {
    subject: '今日回访提醒（{{day}}）：{{total}} 项',
    text: [
      '{{butlerName}}，早上好：',
      '',
      '{{#if overdue.length}}已逾期（{{overdue.length}}）：',
      '{{#each overdue}}- {{customerName}} · {{title}} · 应于 {{due}}',
      '{{/each}}',
      '{{/if}}{{#if today.length}}今天到期（{{today.length}}）：',
      '{{#each today}}- {{customerName}} · {{title}} · {{due}}',
      '{{/each}}{{/if}}',
      '请登录白酒管家完成回访并记录结果。',
    ].join('\n'),
  },
  // Signed by the butler who made the contact; the link is the only copy of the survey token.
  'survey-invitation': {
    subject: '{{butlerName}} 想听听您对这次服务的评价',
    text: [
      '尊敬的{{salutation}}，您好：',
      '',
      '感谢您{{contactText}}。为了把服务做得更好，想请您花一分钟告诉我这次服务是否让您满意：',
      '',
      '{{surveyUrl}}',
      '',
      '问卷只有几个问题，链接 {{expiryDays}} 天内有效，仅限您本人使用。',
      '',
      '您的专属管家',
      '{{butlerName}}',
    ].join('\n'),
    button: { field: 'surveyUrl', label: '立即评价' },
  },
  // A relationship program's yearly survey (about the brand, not one contact), and its one reminder.
  'relationship-survey': {
    subject: '{{programName}}：诚邀您参与',
    text: [
      '尊敬的{{salutation}}，您好：',
      '',
      '感谢您一直以来对我们的信任与支持。为了把产品和服务做得更好，我们每年都会请客户评价一次。',
      '这份问卷大约需要 3 分钟：',
      '',
      '{{surveyUrl}}',
      '',
      '链接 {{expiryDays}} 天内有效，仅限您本人使用。',
      '',
      '您的专属管家',
      '{{butlerName}}',
    ].join('\n'),
    button: { field: 'surveyUrl', label: '参与调查' },
  },
  'relationship-reminder': {
    subject: '提醒：{{programName}}还在等您的意见',
    text: [
      '尊敬的{{salutation}}，您好：',
      '',
      '前几天我们邀请您参与{{programName}}，您可能还没来得及填写。您的意见对我们很重要，',
      '只需 3 分钟：',
      '',
      '{{surveyUrl}}',
      '',
      '这是唯一一次提醒，链接 {{expiresOn}} 前有效。',
      '',
      '您的专属管家',
      '{{butlerName}}',
    ].join('\n'),
    button: { field: 'surveyUrl', label: '参与调查' },
  },
  'recovery-alert': {
    subject: '【低分提醒】{{customerName}} 对 {{butlerName}} 的服务评分偏低',
    text: [
      '{{managerName}}，您好：',
      '',
      '客户 {{customerName}} 刚刚提交了满意度调查，评分偏低，需要尽快跟进：',
      '',
      '- 负责管家：{{butlerName}}',
      '- 满意度（CSAT，1–5）：{{csat}}',
      '- 推荐意愿（NPS，0–10）：{{nps}}',
      '- 客户留言：{{comment}}',
      '',
      '系统已为您创建一项挽回回访任务，请于 {{dueAt}} 前联系客户。',
      '',
      '{{clientUrl}}',
      '',
      '白酒管家客户关怀系统',
    ].join('\n'),
    button: { field: 'clientUrl', label: '查看客户' },
  },
  // An SLA breach, one step of its escalation (butler → manager → admin; docs/sla.md).
  'sla-alert': {
    subject: '【{{levelLabel}}】{{subjectLabel}}已超时：{{customerName}}',
    text: [
      '{{recipientName}}，您好：',
      '',
      '{{subjectLabel}}已超过时限，{{stepText}}',
      '',
      '- 客户：{{customerName}}',
      '- 负责人：{{ownerName}}',
      '- 内容：{{summary}}',
      '- 时限：{{clockLabel}}，应于 {{dueAt}} 前完成（已超时 {{overdue}}）',
      '',
      '请尽快处理，或联系负责人了解进展。',
      '',
      '{{url}}',
      '',
      '白酒管家客户关怀系统',
    ].join('\n'),
    button: { field: 'url', label: '立即处理' },
  },
  // The client deleted their butler on WeCom (del_follow_user): to the butler's manager at once.
  'wecom-removed-alert': {
    subject: '【流失提醒】{{customerName}} 在企业微信删除了管家 {{butlerName}}',
    text: [
      '{{managerName}}，您好：',
      '',
      '客户 {{customerName}} 于 {{removedAt}} 在企业微信中删除了管家 {{butlerName}}，已标记为流失风险客户，请尽快了解原因并跟进。',
      '',
      '{{clientUrl}}',
      '',
      '白酒管家客户关怀系统',
    ].join('\n'),
    button: { field: 'clientUrl', label: '查看客户' },
  },
  'test-email': {
    subject: '白酒管家 · 测试邮件',
    text: [
      '您好，',
      '',
      '这是一封来自白酒管家客户关怀系统的测试邮件，由 {{requestedBy}} 于 {{requestedAt}} 发起。',
      '收到此邮件说明邮件发送配置正确。',
      '',
      '白酒管家客户关怀系统',
    ].join('\n'),
  },
} satisfies Record<string, TemplateSource>;

// The built-in templates by name: a message names one in its `template` column.
export type TemplateName = keyof typeof SOURCES;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const hb = Handlebars.create();
const compiled = new Map<string, { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }>();

const compileOptions: CompileOptions = { strict: true, noEscape: true };

const URL_PATTERN = /https?:\/\/[\x21-\x7e]+/g;
const BUTTON_STYLE =
  'display:inline-block;padding:10px 28px;background:#8c1c13;color:#fff;border-radius:6px;' +
  'text-decoration:none;font-weight:600';

// Plain-text body turned into minimal, escaped HTML: paragraphs, line breaks and links. A paragraph
// that is only the button's URL becomes a button, with the address below for mail apps that hide it.
export function textToHtml(text: string, button?: { url: string; label: string }): string {
  const escapedButtonUrl = button ? hb.escapeExpression(button.url) : null;
  const paragraphs = hb
    .escapeExpression(text)
    .split(/\n{2,}/)
    .map((p) => {
      if (button && p.trim() === escapedButtonUrl) {
        return (
          `<p style="margin:20px 0"><a href="${escapedButtonUrl}" style="${BUTTON_STYLE}">` +
          `${hb.escapeExpression(button.label)}</a></p>` +
          `<p style="font-size:12px;color:#888">按钮无法打开时，请复制此链接到浏览器：<br>${escapedButtonUrl}</p>`
        );
      }
      return `<p>${p.replace(URL_PATTERN, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>')}</p>`;
    });
  const bodyStyle =
    "font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.7;color:#222";
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head>` +
    `<body style="${bodyStyle}">${paragraphs.join('')}</body></html>`
  );
}

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(SOURCES, name);
}

export function renderTemplate(name: TemplateName, context: Record<string, unknown>): RenderedMail {
  const source: TemplateSource = SOURCES[name];
  let entry = compiled.get(name);
  if (!entry) {
    entry = { subject: hb.compile(source.subject, compileOptions), text: hb.compile(source.text, compileOptions) };
    compiled.set(name, entry);
  }
  const text = entry.text(context);
  const url = source.button ? context[source.button.field] : undefined;
  const button = source.button && typeof url === 'string' ? { url, label: source.button.label } : undefined;
  return { subject: entry.subject(context), text, html: textToHtml(text, button) };
}
