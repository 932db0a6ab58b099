import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DEFAULT_SETTINGS, Settings, UpdateSettingsDto } from './dto/settings.dto';
import { SettingEntity } from './entities/setting.entity';

const CACHE_MS = 5_000;

// Settings live in PostgreSQL so every process sees the same values; each process caches them
// for a few seconds.
@Injectable()
export class SettingsService {
  private cached: { at: number; value: Settings } | null = null;

  constructor(@InjectRepository(SettingEntity) private readonly settings: Repository<SettingEntity>) {}

  async get(): Promise<Settings> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    const rows = await this.settings.find();
    const stored = Object.fromEntries(rows.map((r) => [r.section, r.value]));
    const value = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).map(([section, defaults]) => [section, { ...defaults, ...(stored[section] ?? {}) }]),
    ) as unknown as Settings;
    this.cached = { at: Date.now(), value };
    return value;
  }

  async update(dto: UpdateSettingsDto, actorId: string): Promise<Settings> {
    for (const [section, value] of Object.entries(dto)) {
      if (value === undefined) continue;
      await this.settings.upsert({ section, value: { ...value }, updatedBy: actorId } as QueryDeepPartialEntity<SettingEntity>, ['section']);
    }
    this.cached = null;
    return this.get();
  }
}
