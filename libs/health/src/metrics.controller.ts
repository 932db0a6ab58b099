import { timingSafeEqual } from 'node:crypto';

import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AppError, Public } from '@app/common';
import { AppConfig } from '@app/config';

import { MetricsService } from './metrics.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

// GET /metrics, Prometheus text format. With METRICS_TOKEN set, a scraper sends it as a bearer
// token; without it, only a loopback client is answered (a sidecar, or a proxy's own scrape), and
// anyone else gets a 404, as if there were nothing here.
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Req() request: FastifyRequest): Promise<string> {
    const token = this.config.http.METRICS_TOKEN;
    if (token) {
      const given = Buffer.from(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new AppError('unauthorized', 'A metrics token is required', { code: 'UNAUTHORIZED' });
    } else if (!LOOPBACK.has(request.ip)) {
      throw AppError.notFound('Route');
    }
    return this.metrics.registry.metrics();
  }
}
