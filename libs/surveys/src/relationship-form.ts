import { COMPARISONS, type Comparison } from './entities/relationship-answer.entity';
import { SERVQUAL_DIMENSIONS, ServqualDimension } from './entities/survey-response.entity';
import { COMMENT_MAX, FieldProblem, RawForm, score as scoreOf, SERVQUAL_LABELS, single } from './survey-form';

export const OTHER_BRANDS_MAX = 200;
export const BRANDS_MAX = 20;

// The relationship survey's questions, in the client's words (the page and the console's preview
// read the same text).
export const RELATIONSHIP_QUESTIONS = {
  nps: '您有多大可能向亲友推荐我们的品牌？',
  csat: '总体而言，您对我们的品牌和服务满意吗？',
  quality: '您对我们产品的品质（酒质、口感）满意吗？',
  value: '您觉得我们产品的性价比如何？',
  favourability: '您对我们品牌的好感度如何？',
  comparison: '和您常喝的其他品牌相比，我们的产品和服务：',
  brands: '您比较的是哪些品牌？（可多选）',
  otherBrands: '其他品牌（选填）',
  servqual: '管家服务：您的期望与实际感受',
  expectation: '您期望',
  perception: '实际感受',
  needs: '还有哪些需要我们没想到？',
} as const;

export const COMPARISON_LABELS: Record<Comparison, string> = { better: '更好', same: '差不多', worse: '更差' };

export interface RelationshipAnswers {
  nps: number;
  csat: number;
  quality: number | null;
  value: number | null;
  favourability: number | null;
  comparison: Comparison | null;
  brands: string[];
  otherBrands: string;
  expectation: Record<ServqualDimension, number | null>;
  perception: Record<ServqualDimension, number | null>;
  needs: string;
}

// Form field names: a perception is the dimension's name (as on the transactional page), an
// expectation `exp_<dimension>`.
export const expectationField = (d: ServqualDimension): string => `exp_${d}`;

// A relationship question left out is asked for as a question (请回答), not as a score.
const score = (
  form: RawForm,
  field: string,
  min: number,
  max: number,
  label: string,
  problems: FieldProblem[],
  required: boolean,
): number | null => scoreOf(form, field, min, max, label, problems, required, `请回答“${label}”`);

function text(form: RawForm, field: string, max: number, label: string, problems: FieldProblem[]): string {
  const value = single(form, field) ?? '';
  if (value === '\u0000') problems.push({ field, message: `${label}格式不正确` });
  else if ([...value].length > max) problems.push({ field, message: `${label}请不要超过 ${max} 字` });
  else if (value.includes('\u0000')) problems.push({ field, message: `${label}包含无法识别的字符` });
  else return value;
  return '';
}

// Validates a relationship survey; every problem is reported at once, in Chinese, by field.
// `brands`: the program's list, the only names the checkboxes may send.
export function parseRelationshipForm(
  form: RawForm,
  brands: readonly string[],
): { answers: RelationshipAnswers } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const nps = score(form, 'nps', 0, 10, '推荐意愿', problems, true);
  const csat = score(form, 'csat', 1, 5, '总体满意度', problems, true);
  const quality = score(form, 'quality', 1, 5, '产品品质', problems, false);
  const value = score(form, 'value', 1, 5, '性价比', problems, false);
  const favourability = score(form, 'favourability', 1, 5, '品牌好感度', problems, false);
  const rawComparison = single(form, 'comparison');
  let comparison: Comparison | null = null;
  if (rawComparison) {
    if ((COMPARISONS as readonly string[]).includes(rawComparison)) comparison = rawComparison as Comparison;
    else problems.push({ field: 'comparison', message: '请选择“更好”“差不多”或“更差”' });
  }
  const rawBrands = form.brands === undefined ? [] : Array.isArray(form.brands) ? form.brands : [form.brands];
  const picked = [...new Set(rawBrands.map((b) => (typeof b === 'string' ? b.trim() : '\u0000')))].filter(Boolean);
  if (picked.length > BRANDS_MAX || picked.some((b) => !brands.includes(b)))
    problems.push({ field: 'brands', message: '请从列表中选择品牌，其他品牌请填写在下方' });
  const otherBrands = text(form, 'otherBrands', OTHER_BRANDS_MAX, '其他品牌', problems);
  const expectation = {} as Record<ServqualDimension, number | null>;
  const perception = {} as Record<ServqualDimension, number | null>;
  for (const d of SERVQUAL_DIMENSIONS) {
    const name = SERVQUAL_LABELS[d].name;
    expectation[d] = score(form, expectationField(d), 1, 5, `${name}（期望）`, problems, false);
    perception[d] = score(form, d, 1, 5, `${name}（实际感受）`, problems, false);
  }
  const needs = text(form, 'needs', COMMENT_MAX, '“还有哪些需要我们没想到”的回答', problems);
  if (problems.length > 0 || nps === null || csat === null) return { problems };
  return {
    answers: {
      nps,
      csat,
      quality,
      value,
      favourability,
      comparison,
      brands: picked,
      otherBrands,
      expectation,
      perception,
      needs,
    },
  };
}
