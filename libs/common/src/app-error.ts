import { HttpStatus } from '@nestjs/common';

import type { ErrorCodeName, ValidationRule } from './error-codes';

// Modules throw AppError with a kind (which HTTP status) and a domain code (what the console says);
// the global filter maps the kind to HTTP. Messages are English and safe to show to the caller.
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unprocessable'
  | 'too_many'
  | 'unavailable';

export const STATUS_BY_KIND: Record<ErrorKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  too_many: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

// One bad field of a VALIDATION_FAILED body: its path ("consent.source", "items.0.productId"), the
// rule it broke and what a sentence about it needs (max length, allowed values…).
export interface FieldProblem {
  field: string;
  code: ValidationRule;
  params?: Record<string, unknown>;
}

// What the body carries besides statusCode, message and error: always the domain code, and what
// the console needs to say it (counts, allowed values…).
export type ErrorDetails = { code: ErrorCodeName } & Record<string, unknown>;

export class AppError extends Error {
  // A list, like the ValidationPipe's, when several fields are wrong.
  readonly messages: string | string[];

  constructor(
    readonly kind: ErrorKind,
    message: string | string[],
    readonly details: ErrorDetails,
  ) {
    super(Array.isArray(message) ? message.join('; ') : message);
    this.name = 'AppError';
    this.messages = message;
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`, { code: 'NOT_FOUND' });
  }

  // Fields only a service can judge (a butler of another team, a product that does not exist): a
  // 400 shaped like the ValidationPipe's, one English message and one FieldProblem per field.
  static invalid(...problems: (FieldProblem & { message: string })[]): AppError {
    return new AppError(
      'invalid',
      problems.map((p) => p.message),
      {
        code: 'VALIDATION_FAILED',
        fields: problems.map(({ field, code, params }) => ({ field, code, params: params ?? {} })),
      },
    );
  }
}
