import { escapeHtml, htmlPage } from '@app/common';

import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';
import { COMMENT_MAX, FieldProblem, RawForm, SERVQUAL_LABELS } from './survey-form';

// The survey page: server-rendered, mobile first, no JavaScript. Every question is a fieldset of
// native radio buttons with a legend (screen readers announce the question with each option;
// arrow keys move within a group, Tab between groups).
export const SURVEY_CSS = `
  form { margin-top: 1rem; }
  fieldset { border: 0; margin: 0 0 1.25rem; padding: 0; }
  legend { font-weight: 600; margin-bottom: .25rem; padding: 0; }
  .hint { color: #666; font-size: .9rem; margin: 0 0 .5rem; }
  .scale { display: grid; grid-template-columns: repeat(5, 1fr); gap: .35rem; max-width: 22rem; }
  .scale-11 { grid-template-columns: repeat(6, 1fr); }
  .scale label { position: relative; }
  .scale input { position: absolute; opacity: 0; width: 100%; height: 100%; margin: 0; cursor: pointer; }
  .scale span { display: block; padding: .55rem .4rem; text-align: center; border: 1px solid #bbb;
    border-radius: .4rem; background: #fff; }
  .scale input:checked + span { background: #7a1f1f; border-color: #7a1f1f; color: #fff; }
  .scale input:focus-visible + span { outline: 3px solid #e0a84a; outline-offset: 2px; }
  .ends { display: flex; justify-content: space-between; color: #666; font-size: .8rem; margin-top: .25rem;
    max-width: 22rem; }
  .required { color: #b00020; }
  textarea { width: 100%; box-sizing: border-box; min-height: 6rem; font: inherit; padding: .5rem;
    border: 1px solid #bbb; border-radius: .4rem; }
  textarea:focus { outline: 3px solid #e0a84a; outline-offset: 1px; }
  .errors { border: 2px solid #b00020; border-radius: .4rem; padding: .5rem 1rem; background: #fff5f5; }
  .errors a { color: #b00020; }
  .invalid span { border-color: #b00020; }
`;

function scale(name: string, from: number, to: number, checked: string | undefined): string {
  const options: string[] = [];
  for (let v = from; v <= to; v++) {
    const on = checked === String(v) ? ' checked' : '';
    options.push(`<label><input type="radio" name="${name}" value="${v}"${on}><span>${v}</span></label>`);
  }
  return `<div class="scale${to - from + 1 > 5 ? ' scale-11' : ''}">${options.join('')}</div>`;
}

export function question(
  name: string,
  legend: string,
  hint: string,
  from: number,
  to: number,
  ends: [string, string],
  form: RawForm,
  problems: FieldProblem[],
  required = false,
): string {
  const value = typeof form[name] === 'string' ? (form[name] as string) : undefined;
  const invalid = problems.some((p) => p.field === name) ? ' class="invalid"' : '';
  const star = required ? ' <span class="required" aria-hidden="true">*</span><span class="sr">（必填）</span>' : '';
  return `<fieldset id="q-${name}"${invalid}${required ? ' aria-required="true"' : ''}>
  <legend>${escapeHtml(legend)}${star}</legend>
  ${hint ? `<p class="hint">${escapeHtml(hint)}</p>` : ''}
  ${scale(name, from, to, value)}
  <div class="ends" aria-hidden="true"><span>${escapeHtml(ends[0])}</span><span>${escapeHtml(ends[1])}</span></div>
</fieldset>`;
}

export interface SurveyPageContext {
  customerName: string;
  butlerName: string;
  // A recovery re-survey (docs/sla.md): after the call that followed a low score, one question.
  oneQuestion?: boolean;
}

function recoveryPage(ctx: SurveyPageContext, form: RawForm, errors: string, problems: FieldProblem[]): string {
  return htmlPage(
    '回访满意度',
    `<h1>回访满意度</h1>
<p>${escapeHtml(ctx.customerName)}，您好。${escapeHtml(ctx.butlerName)} 前几天就您反馈的问题与您联系过，想请您用一个问题告诉我们现在的感受。</p>
${errors}
<form method="post" novalidate>
${question('csat', '经过这次沟通和处理，您现在对我们的服务满意吗？', '1 分表示非常不满意，5 分表示非常满意', 1, 5, ['非常不满意', '非常满意'], form, problems, true)}
<button type="submit">提交</button>
</form>`,
    SURVEY_CSS + '.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }',
  );
}

export function surveyFormPage(ctx: SurveyPageContext, form: RawForm = {}, problems: FieldProblem[] = []): string {
  const errors =
    problems.length > 0
      ? `<div class="errors" role="alert" tabindex="-1"><p>提交未成功，请修改以下内容：</p><ul>${problems
          .map((p) => `<li><a href="#q-${escapeHtml(p.field)}">${escapeHtml(p.message)}</a></li>`)
          .join('')}</ul></div>`
      : '';
  if (ctx.oneQuestion) return recoveryPage(ctx, form, errors, problems);
  const servqual = SERVQUAL_DIMENSIONS.map((d) =>
    question(
      d,
      `${SERVQUAL_LABELS[d].name}`,
      SERVQUAL_LABELS[d].description,
      1,
      5,
      ['1 很不同意', '5 非常同意'],
      form,
      problems,
    ),
  ).join('\n');
  const comment = typeof form.comment === 'string' ? form.comment : '';
  return htmlPage(
    '服务满意度调查',
    `<h1>服务满意度调查</h1>
<p>${escapeHtml(ctx.customerName)}，您好。感谢您抽出一分钟，告诉我们管家 ${escapeHtml(ctx.butlerName)} 这次的服务如何。</p>
${errors}
<form method="post" novalidate>
${question('csat', '总体而言，您对这次服务满意吗？', '1 分表示非常不满意，5 分表示非常满意', 1, 5, ['非常不满意', '非常满意'], form, problems, true)}
${question('nps', '您有多大可能向朋友推荐我们的管家服务？', '0 分表示完全不可能，10 分表示非常可能', 0, 10, ['完全不可能', '非常可能'], form, problems)}
<h2 style="font-size:1.1rem">以下几方面，您是否同意管家做得很好？（选填）</h2>
${servqual}
<fieldset id="q-comment">
  <legend><label for="comment">还有什么想告诉我们的？（选填）</label></legend>
  <textarea id="comment" name="comment" maxlength="${COMMENT_MAX}">${escapeHtml(comment)}</textarea>
</fieldset>
<button type="submit">提交评价</button>
</form>`,
    SURVEY_CSS + '.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }',
  );
}

// The fixed pages, built once.
const FIXED = {
  thanks: htmlPage(
    '感谢您的评价',
    '<h1>感谢您的评价</h1><p>您的意见已经收到。我们会认真对待每一条反馈，让服务越来越好。</p>',
  ),
  notFound: htmlPage(
    '链接无效',
    '<h1>链接无效</h1><p>这个问卷链接无效或不完整。请检查邮件中的链接，或直接联系您的专属管家。</p>',
  ),
  used: htmlPage(
    '已提交过评价',
    '<h1>您已提交过评价</h1><p>这份问卷已经提交，每份问卷只能提交一次。感谢您的反馈！</p>',
  ),
  expired: htmlPage(
    '链接已过期',
    '<h1>问卷链接已过期</h1><p>这份问卷已超过有效期，无法再提交。如有任何意见，欢迎直接联系您的专属管家。</p>',
  ),
  tooMany: htmlPage('请稍后再试', '<h1>请求过于频繁</h1><p>请稍等一分钟后再试。</p>'),
  badRequest: htmlPage('无法读取提交内容', '<h1>无法读取提交内容</h1><p>请回到问卷页面，重新选择后再提交。</p>'),
  failed: htmlPage(
    '暂时无法提交',
    '<h1>暂时无法提交</h1><p>系统暂时出现问题，您的评价没有保存。请稍后再打开邮件中的链接重试。</p>',
  ),
};

export const SURVEY_PAGES = {
  thanks: () => FIXED.thanks,
  notFound: () => FIXED.notFound,
  used: () => FIXED.used,
  expired: () => FIXED.expired,
  tooMany: () => FIXED.tooMany,
  badRequest: () => FIXED.badRequest,
  failed: () => FIXED.failed,
};
