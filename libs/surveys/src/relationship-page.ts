import { escapeHtml, htmlPage } from '@app/common';

import { COMPARISONS } from './entities/relationship-answer.entity';
import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';
import {
  COMPARISON_LABELS,
  expectationField,
  OTHER_BRANDS_MAX,
  RELATIONSHIP_QUESTIONS as Q,
} from './relationship-form';
import { COMMENT_MAX, FieldProblem, RawForm, SERVQUAL_LABELS } from './survey-form';
import { question, SURVEY_CSS } from './survey-page';

// The yearly relationship survey: the same server-rendered, phone-first page as the survey after a
// contact (native radios in fieldsets, no JavaScript), longer, in sections.
const CSS = `${SURVEY_CSS}
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  section { border-top: 1px solid #e4d9c9; padding-top: .75rem; margin-top: 1rem; }
  h2 { font-size: 1.1rem; margin: .25rem 0 .75rem; }
  .choices { display: flex; flex-wrap: wrap; gap: .4rem; }
  .choices label { position: relative; }
  .choices input { position: absolute; opacity: 0; width: 100%; height: 100%; margin: 0; cursor: pointer; }
  .choices span { display: block; padding: .5rem .8rem; border: 1px solid #bbb; border-radius: 1.2rem;
    background: #fff; }
  .choices input:checked + span { background: #7a1f1f; border-color: #7a1f1f; color: #fff; }
  .choices input:focus-visible + span { outline: 3px solid #e0a84a; outline-offset: 2px; }
  .dim { margin-bottom: 1rem; }
  .dim h3 { font-size: 1rem; margin: 0; }
  .pair fieldset { margin-bottom: .6rem; }
  .pair legend { font-weight: 400; font-size: .95rem; }
  input[type=text] { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; border: 1px solid #bbb;
    border-radius: .4rem; }
  .progress { color: #666; font-size: .85rem; }
`;

const EXPECT_ENDS: [string, string] = ['1 要求不高', '5 要求很高'];
const PERCEIVE_ENDS: [string, string] = ['1 远未做到', '5 完全做到'];

export interface RelationshipPageContext {
  customerName: string;
  butlerName: string;
  programName: string;
  brands: readonly string[];
}

const valueOf = (form: RawForm, name: string): string => (typeof form[name] === 'string' ? (form[name] as string) : '');
const listOf = (form: RawForm, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};

function choices(
  type: 'radio' | 'checkbox',
  name: string,
  options: { value: string; label: string }[],
  checked: string[],
): string {
  return `<div class="choices">${options
    .map(
      (o) =>
        `<label><input type="${type}" name="${name}" value="${escapeHtml(o.value)}"${
          checked.includes(o.value) ? ' checked' : ''
        }><span>${escapeHtml(o.label)}</span></label>`,
    )
    .join('')}</div>`;
}

export function relationshipFormPage(
  ctx: RelationshipPageContext,
  form: RawForm = {},
  problems: FieldProblem[] = [],
): string {
  const errors =
    problems.length > 0
      ? `<div class="errors" role="alert" tabindex="-1"><p>提交未成功，请修改以下内容：</p><ul>${problems
          .map((p) => `<li><a href="#q-${escapeHtml(p.field)}">${escapeHtml(p.message)}</a></li>`)
          .join('')}</ul></div>`
      : '';
  const invalid = (field: string): string => (problems.some((p) => p.field === field) ? ' class="invalid"' : '');
  const five = ['1 很不满意', '5 非常满意'] as [string, string];
  const pair = (d: (typeof SERVQUAL_DIMENSIONS)[number]): string =>
    question(
      expectationField(d),
      `${Q.expectation}（${SERVQUAL_LABELS[d].name}）`,
      '',
      1,
      5,
      EXPECT_ENDS,
      form,
      problems,
    ) + question(d, `${Q.perception}（${SERVQUAL_LABELS[d].name}）`, '', 1, 5, PERCEIVE_ENDS, form, problems);
  const servqual = SERVQUAL_DIMENSIONS.map(
    (d) => `<div class="dim">
  <h3>${escapeHtml(SERVQUAL_LABELS[d].name)}</h3>
  <p class="hint">${escapeHtml(SERVQUAL_LABELS[d].description)}</p>
  <div class="pair">
  ${pair(d)}
  </div>
</div>`,
  ).join('\n');
  const brandList =
    ctx.brands.length > 0
      ? `<fieldset id="q-brands"${invalid('brands')}>
  <legend>${escapeHtml(Q.brands)}</legend>
  ${choices(
    'checkbox',
    'brands',
    ctx.brands.map((b) => ({ value: b, label: b })),
    listOf(form, 'brands'),
  )}
</fieldset>`
      : '';
  return htmlPage(
    `${ctx.programName}`,
    `<h1>${escapeHtml(ctx.programName)}</h1>
<p>${escapeHtml(ctx.customerName)}，您好。感谢您一直以来的支持。这份年度问卷大约需要 3 分钟，您的每一条意见都会由专人阅读。</p>
<p class="progress">共 4 部分 · 带 <span class="required">*</span> 的为必答题</p>
${errors}
<form method="post" novalidate>
<section>
<h2>一、总体评价</h2>
${question('nps', Q.nps, '0 分表示完全不可能，10 分表示非常可能', 0, 10, ['完全不可能', '非常可能'], form, problems, true)}
${question('csat', Q.csat, '', 1, 5, five, form, problems, true)}
${question('quality', Q.quality, '', 1, 5, five, form, problems)}
${question('value', Q.value, '', 1, 5, ['1 很不值', '5 非常值'], form, problems)}
${question('favourability', Q.favourability, '', 1, 5, ['1 很低', '5 很高'], form, problems)}
</section>
<section>
<h2>二、与其他品牌比较</h2>
<fieldset id="q-comparison"${invalid('comparison')}>
  <legend>${escapeHtml(Q.comparison)}</legend>
  ${choices(
    'radio',
    'comparison',
    COMPARISONS.map((c) => ({ value: c, label: COMPARISON_LABELS[c] })),
    [valueOf(form, 'comparison')],
  )}
</fieldset>
${brandList}
<fieldset id="q-otherBrands"${invalid('otherBrands')}>
  <legend><label for="otherBrands">${escapeHtml(Q.otherBrands)}</label></legend>
  <input type="text" id="otherBrands" name="otherBrands" maxlength="${OTHER_BRANDS_MAX}" value="${escapeHtml(
    valueOf(form, 'otherBrands'),
  )}" placeholder="如：某某酱香">
</fieldset>
</section>
<section>
<h2>三、${escapeHtml(Q.servqual)}</h2>
<p class="hint">每一项请先选您对白酒管家服务的期望，再选管家 ${escapeHtml(ctx.butlerName)} 实际做到的程度（选填）。</p>
${servqual}
</section>
<section>
<h2>四、您的建议</h2>
<fieldset id="q-needs"${invalid('needs')}>
  <legend><label for="needs">${escapeHtml(Q.needs)}</label></legend>
  <textarea id="needs" name="needs" maxlength="${COMMENT_MAX}" placeholder="产品、包装、送货、活动、管家服务……任何想法都可以">${escapeHtml(
    valueOf(form, 'needs'),
  )}</textarea>
</fieldset>
</section>
<button type="submit">提交问卷</button>
</form>`,
    CSS,
  );
}
