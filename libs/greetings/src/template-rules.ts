import Handlebars from 'handlebars';

import type { InputProblem } from '@app/common';

// What a greeting template may say: plain {{placeholders}} from this list and nothing else (no
// helpers, blocks, partials or paths outside it), so a template cannot read anything else.
export const PLACEHOLDERS = {
  'customer.name': '客户姓名',
  'customer.salutation': '称呼（如 王先生）',
  'butler.name': '专属管家姓名',
  'festival.name': '节日名称',
  'festival.date': '节日日期',
  favoriteAroma: '客户最喜爱的香型',
  year: '年份',
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

export interface TemplateContext {
  customer: { name: string; salutation: string };
  butler: { name: string };
  festival?: { name: string; date: string };
  favoriteAroma?: string;
  year?: number;
}

// Returns the problems of a template source (empty when it is fine).
export function templateProblems(source: string, field: string): string[] {
  return templateFieldProblems(source, field).map((p) => p.message);
}

// The same, each with its field rule for a VALIDATION_FAILED body.
export function templateFieldProblems(source: string, field: string): InputProblem[] {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    const message = `${field} is not a valid template: ${(error as Error).message.split('\n')[0]}`;
    return [{ field, code: 'templateSyntax', message }];
  }
  const problems: InputProblem[] = [];
  for (const node of ast.body) {
    if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
    if (node.type !== 'MustacheStatement') {
      problems.push({
        field,
        code: 'templatePlaceholdersOnly',
        message: `${field} may only use {{placeholders}}; blocks, partials and helpers are not allowed`,
      });
      continue;
    }
    const mustache = node as hbs.AST.MustacheStatement;
    const path = mustache.path as hbs.AST.PathExpression;
    if (path.type !== 'PathExpression' || mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0) {
      problems.push({
        field,
        code: 'templatePlaceholdersOnly',
        message: `${field} may only use {{placeholders}}; helpers are not allowed`,
      });
    } else if (!Object.hasOwn(PLACEHOLDERS, path.original)) {
      problems.push({
        field,
        code: 'templateUnknownPlaceholder',
        params: { placeholder: path.original, known: Object.keys(PLACEHOLDERS) },
        message:
          `${field} uses the unknown placeholder {{${path.original}}}; ` +
          `known: ${Object.keys(PLACEHOLDERS).join(', ')}`,
      });
    }
  }
  return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
}

const hb = Handlebars.create();
// Compiled once per template text: a campaign renders the same two sources for every client.
const compiled = new Map<string, HandlebarsTemplateDelegate>();

// Text rendering (HTML escaping happens when the text is turned into the HTML part).
export function renderGreeting(source: string, context: TemplateContext): string {
  let template = compiled.get(source);
  if (!template) {
    if (compiled.size >= 500) compiled.clear();
    template = hb.compile(source, { noEscape: true, strict: false, knownHelpersOnly: true });
    compiled.set(source, template);
  }
  return template(context);
}
