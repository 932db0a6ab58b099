import { HttpStatus } from '@nestjs/common';

// Modules throw AppError with a code; the global filter maps the code to HTTP. Messages are
// English and safe to show to the caller.
export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unprocessable'
  | 'too_many'
  | 'unavailable';

export const STATUS_BY_CODE: Record<ErrorCode, HttpStatus> = {
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

export class AppError extends Error {
  // A list, like the ValidationPipe's, when several fields are wrong.
  readonly messages: string | string[];

  constructor(
    readonly code: ErrorCode,
    message: string | string[],
    readonly details?: Record<string, unknown>,
  ) {
    super(Array.isArray(message) ? message.join('; ') : message);
    this.name = 'AppError';
    this.messages = message;
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }
}
