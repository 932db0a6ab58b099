import { Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { maskPersonalData } from '@app/common';

// Survey and unsubscribe links carry bearer tokens in their path: never log them.
export function redactUrl(url: string): string {
  return maskPersonalData(url.replace(/^\/(s|u)\/[^/?#]+/, '/$1/[token]').replace(/([?&](token|access_token)=)[^&]+/g, '$1[redacted]'));
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.http.LOG_LEVEL,
          // Fastify picks the request id (see create-api.ts) and passes it on in this header.
          genReqId: (req: IncomingMessage) => {
            const id = req.headers['x-request-id'];
            return typeof id === 'string' ? id : randomUUID();
          },
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
          serializers: {
            req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
              id: req.id,
              method: req.method,
              url: redactUrl(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          // Every message goes through the personal-data mask (mobiles, emails).
          hooks: {
            logMethod(args: unknown[], method: (...a: unknown[]) => void) {
              method.apply(this, args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a)));
            },
          },
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
          quietReqLogger: true,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
