import type { FastifyInstance } from 'fastify';

export const WECOM_CALLBACK_PATH = '/api/v1/wecom/callback';
// WeCom's event XML is a few hundred bytes; an encrypted one stays far below this.
const MAX_BYTES = 64 * 1024;

// WeCom posts its callbacks as text/xml: read as a string for the callback route only; any other
// route answers an XML body 415, as before.
export function registerWecomCallbackBody(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: MAX_BYTES },
    (request, body, done) => {
      if (request.url.split('?')[0] !== WECOM_CALLBACK_PATH) {
        const error = Object.assign(new Error('XML is accepted only by the WeCom callback'), { statusCode: 415 });
        return done(error, undefined);
      }
      done(null, body);
    },
  );
}
