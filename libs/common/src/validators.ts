import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDateString, Matches, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

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
    Matches(MOBILE_PATTERN, { message: `${String(key)} must be a mainland mobile number (11 digits, 13x-19x)` })(
      target,
      key,
    );
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
  return (target, key) => {
    const message = `${String(key)} must be an ISO 8601 date-time with an offset`;
    IsDateString({ strict: true }, { message })(target, key);
    Matches(/T.*(Z|[+-]\d{2}:?\d{2})$/, { message })(target, key);
  };
}

// Deeper than any DTO goes; class-transformer recurses per level and overflows the stack
// (a 500) on a body of ten thousand nested arrays.
const MAX_INPUT_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// What class-validator does not check but PostgreSQL refuses (NUL in text or jsonb) or stores
// altered (a lone surrogate becomes U+FFFD): each string's problem, named by its path.
export function unstorableInput(value: unknown, path = '', depth = 0): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return [`${path} must not contain NUL (\\u0000) characters`];
    if (LONE_SURROGATE.test(value)) return [`${path} must be well-formed Unicode text (it has a lone surrogate)`];
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  if (depth >= MAX_INPUT_DEPTH)
    return [`${path.split('.')[0]} is nested too deeply (more than ${MAX_INPUT_DEPTH} levels)`];
  return Object.entries(value).flatMap(([key, item]) =>
    unstorableInput(item, path ? `${path}.${key}` : key, depth + 1),
  );
}

// Keys named like Object.prototype's members (constructor, toString, valueOf…): class-transformer
// drops `constructor` silently and the whitelist never sees an inherited name as unknown, so they
// would be accepted where any other unknown key is refused. Refused the same way, by path.
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
export function inheritedNameKeys(value: unknown, path = '', depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth >= MAX_INPUT_DEPTH) return [];
  return Object.keys(value).flatMap((key) => {
    const at = path ? `${path}.${key}` : key;
    return INHERITED_NAMES.has(key)
      ? [`property ${at} should not exist`]
      : inheritedNameKeys((value as Record<string, unknown>)[key], at, depth + 1);
  });
}

// The global ValidationPipe, after the checks above; a DTO body must be a JSON object (an array,
// a string or null would reach the handler as the DTO itself).
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!this.toValidate(metadata)) return super.transform(value, metadata);
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new BadRequestException(['body must be a JSON object']);
    }
    const problems = [...inheritedNameKeys(value), ...unstorableInput(value)];
    if (problems.length === 0) return super.transform(value, metadata);
    if (problems.some((p) => p.includes('nested too deeply'))) throw new BadRequestException(problems);
    // Every bad field at once: these problems together with class-validator's (some of whose
    // checks throw on such text: isEmail on a lone surrogate).
    const others = await super.transform(value, metadata).then(
      () => [],
      (error: unknown) => {
        const message =
          error instanceof BadRequestException ? (error.getResponse() as { message?: unknown }).message : undefined;
        return Array.isArray(message) ? (message as string[]) : [];
      },
    );
    throw new BadRequestException([...problems, ...others]);
  }
}

// Names, cities, tags: one line. A line break in them breaks CSV rows, list layouts and the
// one-line SMS and greeting texts they are merged into.
export function IsSingleLine(options?: ValidationOptions): PropertyDecorator {
  return Matches(/^[^\r\n]*$/, {
    message: ({ property }) => `${property} must be a single line (no line breaks)`,
    ...options,
  });
}
