import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AuthService, bearerToken } from '@app/auth';
import { AppConfig } from '@app/config';
import { QUEUES } from '@app/queue';

export const BULL_BOARD_PATH = '/admin/queues';
const COOKIE = 'butler_board';

function cookieToken(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

// bull-board's page fetches its own API without our bearer header, so an admin opens it once as
// /admin/queues?token=<JWT>; the token then rides in an HttpOnly cookie scoped to this path.
export async function mountBullBoard(app: NestFastifyApplication): Promise<void> {
  const auth = app.get(AuthService);
  const publicHttps = app.get(AppConfig).http.PUBLIC_BASE_URL.startsWith('https:');
  const queues = Object.values(QUEUES).map((name) => app.get<Queue>(getQueueToken(name)));
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });

  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const queryToken = (request.query as Record<string, unknown> | undefined)?.token;
      const token =
        bearerToken(request.headers.authorization) ??
        (typeof queryToken === 'string' ? queryToken : null) ??
        cookieToken(request.headers.cookie);
      const user = token ? await auth.authenticate(token) : null;
      if (!user) {
        return reply
          .code(401)
          .send({ statusCode: 401, message: 'Sign in as an admin', error: 'Unauthorized', code: 'UNAUTHORIZED' });
      }
      if (user.role !== 'admin') {
        return reply
          .code(403)
          .send({ statusCode: 403, message: 'Requires role admin', error: 'Forbidden', code: 'FORBIDDEN' });
      }
      if (typeof queryToken === 'string') {
        // Secure behind HTTPS (the request's own protocol, or X-Forwarded-Proto from a trusted proxy,
        // or the public URL).
        const secure = request.protocol === 'https' || publicHttps ? '; Secure' : '';
        void reply.header(
          'set-cookie',
          `${COOKIE}=${encodeURIComponent(queryToken)}; Path=${BULL_BOARD_PATH}; HttpOnly; SameSite=Strict${secure}`,
        );
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
