import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { AppError, STATUS_BY_KIND } from './app-error';
import { DATABASE_RETRY_AFTER_S, DatabaseOutageLog, isDatabaseUnavailable } from './database-outage';
import type { ErrorCodeName } from './error-codes';

interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
  [extra: string]: unknown;
}

// The code of a body whose throw named none (Nest's own exceptions, Fastify's client errors).
const CODE_BY_STATUS: Partial<Record<number, ErrorCodeName>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export function defaultErrorCode(status: number): ErrorCodeName {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

// A null the client sent for a field whose column has none: IsOptional() lets null through every
// DTO, and the NOT NULL violation (23502) is then the caller's mistake, named by its field, not a
// 500. Only when the body holds that field as null: every other 23502 is our bug.
function nullForNotNull(exception: unknown, body: unknown): ErrorBody | null {
  const error = (exception as { driverError?: { code?: unknown; column?: unknown } } | null)?.driverError;
  if (error?.code !== '23502' || typeof error.column !== 'string') return null;
  const field = error.column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const sentNull = (value: unknown): boolean =>
    value !== null &&
    typeof value === 'object' &&
    Object.entries(value).some(([key, item]) => (key === field && item === null) || sentNull(item));
  return sentNull(body)
    ? {
        statusCode: 400,
        message: [`${field} must not be null`],
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        fields: [{ field, code: 'notNull', params: {} }],
      }
    : null;
}

// One place that turns anything thrown into NestJS's standard error body. Unknown errors are
// logged with their stack and answered with a bare 500: no internals reach the client.
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');
  private readonly outage = new DatabaseOutageLog(this.logger);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (isDatabaseUnavailable(exception)) {
      this.outage.note(exception);
      void reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_S));
      void reply.send({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database is unavailable, try again shortly',
      });
      return;
    }
    const body =
      nullForNotNull(exception, host.switchToHttp().getRequest<{ body?: unknown }>().body) ?? this.toBody(exception);
    if (body.statusCode === 429) {
      body.code ??= 'RATE_LIMITED';
      if (exception instanceof HttpException) body.message = 'Too many requests, try again later';
    }
    // Every error body names a code; one a throw did not name comes from its status.
    if (typeof body.code !== 'string') body.code = defaultErrorCode(body.statusCode);
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      const status = STATUS_BY_KIND[exception.kind];
      return { statusCode: status, message: exception.messages, error: reasonPhrase(status), ...exception.details };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'string') return { statusCode: status, message: response, error: reasonPhrase(status) };
      return { error: reasonPhrase(status), ...(response as object), statusCode: status } as ErrorBody;
    }
    // Fastify's own client errors (malformed JSON, body too large, bad content type).
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = (exception as Error).message;
      return { statusCode: fastifyStatus, message, error: reasonPhrase(fastifyStatus) };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return {
      statusCode: 500,
      message: 'Internal server error',
      error: 'Internal Server Error',
      code: 'INTERNAL_ERROR',
    };
  }
}
