import { SERVQUAL_DIMENSIONS, ServqualDimension } from './entities/survey-response.entity';

export const COMMENT_MAX = 1000;

// What the page asks, in the client's words. Each SERVQUAL dimension has a one-line plain
// description so the client does not need to know the model.
export const SERVQUAL_LABELS: Record<ServqualDimension, { name: string; description: string }> = {
  reliability: { name: '可靠性', description: '管家说到做到，准确兑现承诺' },
  responsiveness: { name: '响应性', description: '管家回复及时，愿意主动帮忙' },
  assurance: { name: '保证性', description: '管家专业可信，让您放心' },
  empathy: { name: '同理性', description: '管家了解并关心您的个人需求' },
  tangibles: { name: '有形性', description: '包装、资料、品鉴环境等看得见的部分令人满意' },
};

export interface SurveyAnswers {
  csat: number;
  nps: number | null;
  servqual: Record<ServqualDimension, number | null>;
  comment: string;
}

export interface FieldProblem {
  field: string;
  message: string;
}

// The raw form as submitted (application/x-www-form-urlencoded); anything may be missing,
// repeated or of the wrong type.
export type RawForm = Record<string, unknown>;

// The one value of a field, trimmed; NUL when it came repeated or not as text (never valid input).
export function single(form: RawForm, field: string): string | undefined {
  const value = form[field];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 1 && typeof value[0] === 'string' ? value[0].trim() : '\u0000';
  return typeof value === 'string' ? value.trim() : '\u0000';
}

// A whole score from min to max, or null when left out; a problem (in Chinese, by field) when it is
// required and missing (`missing`: how the page asks for it) or not a score.
export function score(
  form: RawForm,
  field: string,
  min: number,
  max: number,
  label: string,
  problems: FieldProblem[],
  required: boolean,
  missing = `请为“${label}”打分`,
): number | null {
  const raw = single(form, field);
  if (raw === undefined || raw === '') {
    if (required) problems.push({ field, message: missing });
    return null;
  }
  if (!/^\d{1,2}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push({ field, message: `“${label}”的分数须为 ${min}–${max} 之间的整数` });
    return null;
  }
  return Number(raw);
}

// Validates a submission; every problem is reported at once, in Chinese, by field.
export function parseSurveyForm(form: RawForm): { answers: SurveyAnswers } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const csat = score(form, 'csat', 1, 5, '总体满意度', problems, true);
  const nps = score(form, 'nps', 0, 10, '推荐意愿', problems, false);
  const servqual = Object.fromEntries(
    SERVQUAL_DIMENSIONS.map((d) => [d, score(form, d, 1, 5, SERVQUAL_LABELS[d].name, problems, false)]),
  ) as Record<ServqualDimension, number | null>;
  const comment = single(form, 'comment') ?? '';
  if (comment === '\u0000') problems.push({ field: 'comment', message: '留言格式不正确' });
  else if ([...comment].length > COMMENT_MAX)
    problems.push({ field: 'comment', message: `留言请不要超过 ${COMMENT_MAX} 字` });
  else if (comment.includes('\u0000')) problems.push({ field: 'comment', message: '留言包含无法识别的字符' });
  if (problems.length > 0 || csat === null) return { problems };
  return { answers: { csat, nps, servqual, comment } };
}

// CSAT 1–2 or NPS 0–6: the client is unhappy and someone must call them (one rule: detractor.ts).
export { isDetractor } from './detractor';
