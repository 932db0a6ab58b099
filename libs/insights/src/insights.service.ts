import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppError, AuthUser, Clock } from '@app/common';
import { CustomerAccessService, mapTasteProfile, TasteProfileEntity, Tier } from '@app/customers';
import { SettingsService } from '@app/settings';

import {
  CustomerMetricsView,
  mapRecommendation,
  RECOMMENDATIONS_DEFAULT_LIMIT,
  RecommendationView,
} from './dto/insights.dto';
import { InsightsRepository } from './insights.repository';
import { customerMetrics } from './metrics';
import { hasTaste, rankRecommendations } from './recommendation-ranking';

// Tier popularity moves slowly and costs a scan of a tier's year of purchases: each process
// keeps it this long.
const POPULARITY_CACHE_MS = 10 * 60_000;

@Injectable()
export class InsightsService {
  private readonly popularity = new Map<Tier, { at: number; value: Promise<Map<string, number>> }>();

  constructor(
    private readonly insights: InsightsRepository,
    private readonly access: CustomerAccessService,
    private readonly settings: SettingsService,
    @InjectRepository(TasteProfileEntity) private readonly tasteProfiles: Repository<TasteProfileEntity>,
    private readonly clock: Clock,
  ) {}

  async metrics(actor: AuthUser, customerId: string): Promise<CustomerMetricsView> {
    await this.access.findVisible(actor, customerId);
    const [row, settings, recentDetractor] = await Promise.all([
      this.insights.metrics(customerId, this.clock.now()),
      this.settings.get(),
      this.insights.recentDetractor(customerId),
    ]);
    if (!row) throw AppError.notFound('Customer');
    return customerMetrics(customerId, row, settings.churn, recentDetractor);
  }

  async recommendations(
    actor: AuthUser,
    customerId: string,
    limit = RECOMMENDATIONS_DEFAULT_LIMIT,
  ): Promise<{ items: RecommendationView[] }> {
    const customer = await this.access.findVisible(actor, customerId);
    const [profile, candidates, coPurchases] = await Promise.all([
      this.tasteProfiles.findOne({ where: { customerId } }),
      this.insights.candidates(customerId, this.clock.now()),
      customer.purchaseCount > 0 ? this.insights.coPurchases(customerId) : Promise.resolve([]),
    ]);
    const taste = mapTasteProfile(customerId, profile);
    // Without a taste profile, what clients of the same tier buy most stands in for it.
    const tierPopularity = hasTaste(taste) ? null : await this.tierPopularity(customer.tier);
    const ranked = rankRecommendations({ candidates, taste, coPurchases, tierPopularity, limit });
    return { items: ranked.map(mapRecommendation) };
  }

  private tierPopularity(tier: Tier): Promise<Map<string, number>> {
    const cached = this.popularity.get(tier);
    if (cached && Date.now() - cached.at < POPULARITY_CACHE_MS) return cached.value;
    // Concurrent requests share one query; a failed one is not kept.
    const value = this.insights.tierPopularity(tier, this.clock.now());
    this.popularity.set(tier, { at: Date.now(), value });
    value.catch(() => {
      if (this.popularity.get(tier)?.value === value) this.popularity.delete(tier);
    });
    return value;
  }
}
