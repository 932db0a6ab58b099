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
    Matches(MOBILE_PATTERN, { message: `${String(key)} must be a mainland mobile number (11 digits, 13x-19x)` })(target, key);
  };
}

export const trimString = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
export const lowerTrim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

// Money in fen: a whole, non-negative number below 10^12 (¥10 billion).
export function IsFen(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isFen',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `${String(key)} must be a whole number of fen (分), 0 or more`, ...options },
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < 1e12,
      },
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
          Array.isArray(value) && value.length === 2 && value.every(each) && (value[0] as number) <= (value[1] as number),
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
