import { Injectable } from '@nestjs/common';

import type { WebhookEvent } from './entities/webhook-endpoint.entity';
import { WebhooksRepository } from './webhooks.repository';

// How long an answer to "does any endpoint take these events?" is kept. Another API process sees
// an endpoint added, changed or removed within this time; this process at once.
const KEEP_MS = 5_000;

// Whether any active endpoint takes one of some events, asked for every survey answer: most
// installations have no endpoint, and a look-up per answer cost a fifth of the answers per second
// (bench/ratings.bench.ts). Kept a few seconds, and forgotten as soon as this process changes an
// endpoint (WebhooksService).
@Injectable()
export class WebhookSubscribers {
  private readonly known = new Map<string, { any: boolean; until: number }>();
  // Bumped by forget(): a look-up that began before a change does not store its older answer.
  private generation = 0;

  constructor(private readonly repository: WebhooksRepository) {}

  async any(events: WebhookEvent[]): Promise<boolean> {
    const key = events.join(',');
    const kept = this.known.get(key);
    if (kept && kept.until > performance.now()) return kept.any;
    const generation = this.generation;
    const any = await this.repository.anySubscriber(events);
    if (generation === this.generation) this.known.set(key, { any, until: performance.now() + KEEP_MS });
    return any;
  }

  forget(): void {
    this.generation += 1;
    this.known.clear();
  }
}
