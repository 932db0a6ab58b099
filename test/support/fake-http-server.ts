import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// The loopback HTTP server under each fake provider (Aliyun SMS, Tencent Cloud SMS, WeCom): its
// port is kept once started, so stop() makes the provider refuse connections and start() brings it
// back where the app already points; a request reaches the fake with its body read whole.
export abstract class FakeHttpServer {
  private server: Server | null = null;
  port = 0;

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => void this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  // Connection refused from now on (start() again listens on the same port).
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected abstract handle(req: IncomingMessage, body: string, res: ServerResponse): void | Promise<void>;
}

// An SMS provider's fake: what it accepted (by number), failures on demand, and the provider's
// pushes (receipts, replies) posted to the app the way the provider posts them.
export abstract class FakeSmsServer<Sent extends { phone: string }, Failure> extends FakeHttpServer {
  readonly received: Sent[] = [];
  readonly templates = new Map<string, string>();
  protected failures: Failure[] = [];

  failNext(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  to(phone: string): Sent[] {
    return this.received.filter((r) => r.phone === phone);
  }

  // A JSON push to the app (the token is in the URL the provider was given).
  async push(app: NestFastifyApplication, path: string, body: unknown, token?: string) {
    const res = await app.inject({
      method: 'POST',
      url: token === undefined ? path : `${path}?token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
  }
}
