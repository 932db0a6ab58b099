import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { DEFAULT_SETTINGS, Settings, UpdateSettingsDto } from './dto/settings.dto';
import { SettingEntity } from './entities/setting.entity';
import { SettingsRepository } from './settings.repository';
import { checkSmsTemplates } from './sms-templates';

const CACHE_MS = 5_000;

// Settings live in PostgreSQL so every process sees the same values; each process caches them
// for a few seconds.
@Injectable()
export class SettingsService {
  private cached: { at: number; value: Settings } | null = null;

  constructor(
    @InjectRepository(SettingEntity) private readonly settings: Repository<SettingEntity>,
    private readonly repository: SettingsRepository,
  ) {}

  // Inside a transaction, pass its manager: reading through the pool while the transaction holds
  // a connection takes a second one, and under load (60 purchases at once, a pool of 20) every
  // connection ended up waiting for another (found by a fault-injection run).
  async get(em?: EntityManager): Promise<Settings> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    const rows = await (em ? em.getRepository(SettingEntity) : this.settings).find();
    const stored = Object.fromEntries(rows.map((r) => [r.section, r.value]));
    const value = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).map(([section, defaults]) => [
        section,
        { ...defaults, ...(stored[section] ?? {}) },
      ]),
    ) as unknown as Settings;
    this.cached = { at: Date.now(), value };
    return value;
  }

  // Merges each named section's fields into what is stored, in one transaction, so two admins
  // changing different fields of a section both keep their change.
  async update(dto: UpdateSettingsDto, actorId: string): Promise<Settings> {
    // SMS templates replace the stored ones whole: check them before anything is written.
    if (dto.sms?.templates) checkSmsTemplates({ ...(await this.get()).sms, templates: dto.sms.templates });
    await this.settings.manager.transaction(async (em) => {
      for (const [section, patch] of Object.entries(dto) as [string, Record<string, unknown> | undefined][]) {
        if (patch === undefined) continue;
        const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        await this.repository.mergeSection(em, section, fields, actorId);
      }
    });
    this.cached = null;
    return this.get();
  }
}
