import { createHash } from 'node:crypto';

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';

import { AppError, AuthUser } from '@app/common';

import { IdempotencyRepository, KeyRow } from './idempotency.repository';

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
// Routes where a key means nothing: signing in, signing out everywhere.
const EXEMPT = new Set(['/api/v1/auth/login', '/api/v1/auth/logout-all']);

// POST with an `Idempotency-Key` header (any signed-in POST; meant for those that create records:
// clients, cases, notes, follow-ups, campaigns, imports): the first answer is kept 24 hours and
// replayed to a retry with the same key and request (`Idempotency-Replayed: true`); the same key
// with another request is a 422. The key is claimed before the handler runs: a retry while the
// first is still running, or whose first attempt's outcome was never recorded (PostgreSQL gone
// between the commit and the record), gets a 409 rather than a second record. A first attempt
// that failed cleanly (4xx, or 5xx with the database up) frees its key.
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const raw = request.headers['idempotency-key'];
    if (request.method !== 'POST' || raw === undefined || !request.user || EXEMPT.has(request.url.split('?')[0]))
      return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!KEY.test(key)) {
      return throwError(
        () =>
          new AppError('invalid', ['Idempotency-Key must be 8-100 letters, digits or _ . : -'], {
            code: 'IDEMPOTENCY_KEY_INVALID',
          }),
      );
    }
    const userId = request.user.id;
    // A streamed body (a text/csv import) is not read here: its length stands in for it.
    const body = request.body as { pipe?: unknown } | undefined;
    const content =
      body && typeof body.pipe === 'function'
        ? `stream:${request.headers['content-length'] ?? ''}`
        : JSON.stringify(body ?? null);
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${content}`).digest('hex');
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.claim(userId, key, hash)).pipe(
      mergeMap((earlier) => {
        if (earlier) return of(this.replay(earlier, hash, reply));
        return next.handle().pipe(
          mergeMap((body) =>
            from(this.complete(userId, key, this.statusOf(context, reply), body)).pipe(mergeMap(() => of(body))),
          ),
          catchError((error: unknown) => from(this.release(userId, key)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  // Null when this request now holds the key; the earlier request's row otherwise.
  private claim(userId: string, key: string, hash: string): Promise<KeyRow | null> {
    return this.repository.claim(userId, key, hash);
  }

  private replay(earlier: KeyRow, hash: string, reply: FastifyReply): unknown {
    if (earlier.request_hash !== hash) {
      throw new AppError(
        'unprocessable',
        'Idempotency-Key was used with another request; use a new key for a new request',
        { code: 'IDEMPOTENCY_KEY_REUSED' },
      );
    }
    if (earlier.status_code === null) {
      void reply.header('retry-after', '2');
      throw new AppError(
        'conflict',
        'A request with this Idempotency-Key is still running, or its outcome was not recorded; ' +
          'check whether it took effect before sending a new one',
        {
          code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
        },
      );
    }
    void reply.status(earlier.status_code).header('idempotency-replayed', 'true');
    return earlier.response;
  }

  private statusOf(context: ExecutionContext, reply: FastifyReply): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    // A handler that set its own status (200 for a replayed order) left it on the reply.
    return declared ?? (reply.statusCode !== 200 ? reply.statusCode : 201);
  }

  private async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.repository.complete(userId, key, status, body);
  }

  // A failed first attempt frees its key; with the database away this fails too, and the key then
  // answers 409 (outcome unknown) rather than risk a second record.
  private async release(userId: string, key: string): Promise<void> {
    await this.repository.release(userId, key).catch(() => undefined);
  }
}
