import { ArgumentMetadata, HttpException, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  isDateString,
  registerDecorator,
  ValidationArguments,
  ValidationError,
  ValidationOptions,
} from 'class-validator';

import { AppError, FieldProblem } from './app-error';
import { validationFields } from './validation-fields';

// Mainland mobile: 11 digits starting 13-19. Spaces, dashes and a +86 prefix are dropped first,
// the way people type numbers.
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

export function normalizeMobile(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const compact = value.replace(/[\s-]/g, '');
  return compact.replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export function IsMainlandMobile(): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => normalizeMobile(value))(target, key);
    registerDecorator({
      name: 'isMobile',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `${String(key)} must be a mainland mobile number (11 digits, 13x-19x)` },
      validator: { validate: (value: unknown) => typeof value === 'string' && MOBILE_PATTERN.test(value) },
    });
  };
}

export const trimString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
export const lowerTrim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

// Money in fen: a whole, non-negative number that fits the PostgreSQL integer columns amounts are
// stored in (up to ¥21,474,836.47; a larger one failed the INSERT with a 500).
export const MAX_FEN = 2_147_483_647;
export const isFenAmount = (value: unknown): boolean =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_FEN;

export function IsFen(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isFen',
      target: target.constructor,
      propertyName: String(key),
      constraints: [MAX_FEN],
      options: { message: `${String(key)} must be a whole number of fen (分), from 0 to ${MAX_FEN}`, ...options },
      validator: { validate: isFenAmount },
    });
}

// A finite number with at most `places` decimals. class-validator's IsNumber({ maxDecimalPlaces })
// throws (a 500) on a number JavaScript writes with an exponent, such as 1e-7.
export const hasDecimalPlaces = (value: unknown, places: number): boolean =>
  typeof value === 'number' && Number.isFinite(value) && Math.round(value * 10 ** places) / 10 ** places === value;

export function IsDecimalNumber(places: number, options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isDecimalNumber',
      target: target.constructor,
      propertyName: String(key),
      constraints: [places],
      options: { message: `${String(key)} must be a number with at most ${places} decimal places`, ...options },
      validator: { validate: (value: unknown) => hasDecimalPlaces(value, places) },
    });
}

// [min, max] with min <= max, each checked by `each`.
export function IsRange(each: (v: unknown) => boolean, what: string, options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isRange',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `${String(key)} must be [min, max] of ${what} with min <= max`, ...options },
      validator: {
        validate: (value: unknown, _args: ValidationArguments) =>
          Array.isArray(value) &&
          value.length === 2 &&
          value.every(each) &&
          (value[0] as number) <= (value[1] as number),
      },
    });
}

// An instant with its offset, e.g. 2026-11-25T10:00:00+08:00: a time without an offset would be
// read in the server's zone, which is a bug waiting for a client in another one.
export function IsOffsetDateTime(): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isOffsetDateTime',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `${String(key)} must be an ISO 8601 date-time with an offset` },
      validator: {
        validate: (value: unknown) =>
          isDateString(value, { strict: true }) && /T.*(Z|[+-]\d{2}:?\d{2})$/.test(value as string),
      },
    });
}

// Deeper than any DTO goes; class-transformer recurses per level and overflows the stack
// (a 500) on a body of ten thousand nested arrays.
const MAX_INPUT_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// One problem the pipe finds before class-validator runs: the English message and its field rule.
export type InputProblem = FieldProblem & { message: string };

// What class-validator does not check but PostgreSQL refuses (NUL in text or jsonb) or stores
// altered (a lone surrogate becomes U+FFFD): each string's problem, named by its path.
export function unstorableProblems(value: unknown, path = '', depth = 0): InputProblem[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      return [{ field: path, code: 'noNulCharacters', message: `${path} must not contain NUL (\\u0000) characters` }];
    if (LONE_SURROGATE.test(value))
      return [
        {
          field: path,
          code: 'wellFormedText',
          message: `${path} must be well-formed Unicode text (it has a lone surrogate)`,
        },
      ];
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  if (depth >= MAX_INPUT_DEPTH) {
    const field = path.split('.')[0];
    const message = `${field} is nested too deeply (more than ${MAX_INPUT_DEPTH} levels)`;
    return [{ field, code: 'tooDeep', params: { max: MAX_INPUT_DEPTH }, message }];
  }
  return Object.entries(value).flatMap(([key, item]) =>
    unstorableProblems(item, path ? `${path}.${key}` : key, depth + 1),
  );
}

export const unstorableInput = (value: unknown, path = ''): string[] =>
  unstorableProblems(value, path).map((p) => p.message);

// Keys named like Object.prototype's members (constructor, toString, valueOf…): class-transformer
// drops `constructor` silently and the whitelist never sees an inherited name as unknown, so they
// would be accepted where any other unknown key is refused. Refused the same way, by path.
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
export function inheritedNameKeys(value: unknown, path = '', depth = 0): InputProblem[] {
  if (value === null || typeof value !== 'object' || depth >= MAX_INPUT_DEPTH) return [];
  return Object.keys(value).flatMap((key) => {
    const at = path ? `${path}.${key}` : key;
    return INHERITED_NAMES.has(key)
      ? [{ field: at, code: 'unknownField' as const, message: `property ${at} should not exist` }]
      : inheritedNameKeys((value as Record<string, unknown>)[key], at, depth + 1);
  });
}

const invalid = (problems: InputProblem[]): AppError => AppError.invalid(...problems);

// The global ValidationPipe, after the checks above; a DTO body must be a JSON object (an array,
// a string or null would reach the handler as the DTO itself). Every failure is a VALIDATION_FAILED
// AppError: the usual message list, and `fields` with each field's rule.
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    // `target` lets validationFields find each rule's declared limits; it never reaches the body.
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, validationError: { target: true } });
  }

  override createExceptionFactory(): (errors?: ValidationError[]) => unknown {
    const messagesOf = super.createExceptionFactory();
    return (errors: ValidationError[] = []) => {
      const exception = messagesOf(errors) as HttpException;
      const message = (exception.getResponse() as { message?: unknown }).message;
      const messages = Array.isArray(message) ? (message as string[]) : [String(message)];
      return new AppError('invalid', messages, { code: 'VALIDATION_FAILED', fields: validationFields(errors) });
    };
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!this.toValidate(metadata)) return super.transform(value, metadata);
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw invalid([{ field: 'body', code: 'isObject', message: 'body must be a JSON object' }]);
    }
    const problems = [...inheritedNameKeys(value), ...unstorableProblems(value)];
    if (problems.length === 0) return super.transform(value, metadata);
    if (problems.some((p) => p.code === 'tooDeep')) throw invalid(problems);
    // Every bad field at once: these problems together with class-validator's (some of whose
    // checks throw on such text: isEmail on a lone surrogate).
    const others = await super.transform(value, metadata).then(
      () => null,
      (error: unknown) => (error instanceof AppError ? error : null),
    );
    if (!others) throw invalid(problems);
    const messages = [...problems.map((p) => p.message), ...[others.messages].flat()];
    const fields = [
      ...problems.map(({ field, code, params }) => ({ field, code, params: params ?? {} })),
      ...((others.details.fields as FieldProblem[] | undefined) ?? []),
    ];
    throw new AppError('invalid', messages, { code: 'VALIDATION_FAILED', fields });
  }
}

// Names, cities, tags: one line. A line break in them breaks CSV rows, list layouts and the
// one-line SMS and greeting texts they are merged into.
export function IsSingleLine(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isSingleLine',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `${String(key)} must be a single line (no line breaks)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && !/[\r\n]/.test(value) },
    });
}
