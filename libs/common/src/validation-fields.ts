import { getMetadataStorage, ValidationError } from 'class-validator';

import type { FieldProblem } from './app-error';
import type { ValidationRule } from './error-codes';

// class-validator's name for a rule where ours reads better.
const RENAMED: Record<string, ValidationRule> = { whitelistValidation: 'unknownField' };

// The arguments a rule was declared with (MaxLength(50) → [50]), found from the class the error
// was met in (ValidationError.target), so a sentence can say the limit without parsing English.
function declaredConstraints(target: object | undefined, property: string, rule: string): unknown[] {
  if (!target || typeof target !== 'object') return [];
  const storage = getMetadataStorage();
  const metadata = storage
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find(
      (m) =>
        m.propertyName === property &&
        (m.name === rule ||
          m.type === rule ||
          storage.getTargetValidatorConstraints(m.constraintCls).some((c) => c.name === rule)),
    );
  return (metadata?.constraints as unknown[] | undefined) ?? [];
}

// What a Chinese sentence needs of each rule's arguments.
function paramsOf(rule: string, args: unknown[]): Record<string, unknown> {
  switch (rule) {
    case 'maxLength':
    case 'max':
    case 'arrayMaxSize':
      return { max: args[0] };
    case 'minLength':
    case 'min':
    case 'arrayMinSize':
      return { min: args[0] };
    case 'isLength':
      return { min: args[0], max: args[1] };
    case 'isIn':
      return { values: args[0] };
    case 'isEnum':
      return { values: args[1] };
    case 'isFen':
    case 'isDecimalNumber':
    case 'tooDeep':
      return args.length > 0 ? { [rule === 'isDecimalNumber' ? 'places' : 'max']: args[0] } : {};
    default:
      return {};
  }
}

// class-validator's errors as { field, code, params }, one per broken rule, nested paths joined
// with dots as the messages name them ("consent.source", "items.0.productId"). A field that is
// missing (undefined or null where a value is required) is one `required`, not every rule it fails.
export function validationFields(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const rules = Object.keys(error.constraints ?? {});
    const missing = Object.hasOwn(error, 'value') && (error.value === undefined || error.value === null);
    if (rules.length > 0 && missing && !rules.includes('whitelistValidation')) {
      out.push({ field, code: 'required', params: {} });
    } else {
      for (const rule of rules) {
        const code = (RENAMED[rule] ?? rule) as ValidationRule;
        out.push({ field, code, params: paramsOf(rule, declaredConstraints(error.target, error.property, rule)) });
      }
    }
    if (error.children?.length) out.push(...validationFields(error.children, field));
  }
  return out;
}
