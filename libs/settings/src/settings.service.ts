import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { AppError, FieldProblem } from '@app/common';
import { AppConfig, settingsKeyBytes } from '@app/config';

import {
  CASE_SLA_PRIORITIES,
  DEFAULT_SETTINGS,
  Settings,
  SlaSettingsDto,
  UpdateSettingsDto,
  WECOM_SECRET_FIELDS,
  WecomConnection,
  WecomSettingsDto,
  WecomSettingsPatchDto,
} from './dto/settings.dto';
import { SettingEntity } from './entities/setting.entity';
import { openSecret, sealSecret } from './secret-box';
import { SettingsRepository } from './settings.repository';
import { checkSmsTemplates } from './sms-templates';

const CACHE_MS = 5_000;

// Settings live in PostgreSQL so every process sees the same values; each process caches them
// for a few seconds.
@Injectable()
export class SettingsService {
  private cached: { at: number; value: Settings; wecom: WecomConnection } | null = null;
  private readonly key: Buffer;

  constructor(
    @InjectRepository(SettingEntity) private readonly settings: Repository<SettingEntity>,
    private readonly repository: SettingsRepository,
    config: AppConfig,
  ) {
    this.key = settingsKeyBytes(config.auth.SETTINGS_ENCRYPTION_KEY);
  }

  // Inside a transaction, pass its manager: reading through the pool while the transaction holds
  // a connection takes a second one, and under load (60 purchases at once, a pool of 20) every
  // connection ended up waiting for another (found by a fault-injection run).
  async get(em?: EntityManager): Promise<Settings> {
    return (await this.load(em)).value;
  }

  // The WeCom connection with its secrets opened: for the WeCom library only, never an answer.
  async wecomConnection(em?: EntityManager): Promise<WecomConnection> {
    return (await this.load(em)).wecom;
  }

  private async load(em?: EntityManager): Promise<{ value: Settings; wecom: WecomConnection }> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached;
    const rows = await (em ? em.getRepository(SettingEntity) : this.settings).find();
    const stored = Object.fromEntries(rows.map((r) => [r.section, r.value]));
    const value = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).map(([section, defaults]) => [
        section,
        { ...defaults, ...(stored[section] ?? {}) },
      ]),
    ) as unknown as Settings;
    const wecom = this.openWecom(stored.wecom);
    value.wecom = publicWecom(wecom);
    this.cached = { at: Date.now(), value, wecom };
    return this.cached;
  }

  private openWecom(stored: Record<string, unknown> | undefined): WecomConnection {
    const field = (name: string) => stored?.[name];
    return {
      corpId: typeof field('corpId') === 'string' ? (field('corpId') as string) : null,
      agentId: typeof field('agentId') === 'number' ? (field('agentId') as number) : null,
      enabled: field('enabled') === true,
      contactSecret: openSecret(this.key, field('contactSecret')),
      agentSecret: openSecret(this.key, field('agentSecret')),
      callbackToken: openSecret(this.key, field('callbackToken')),
      encodingAesKey: openSecret(this.key, field('encodingAesKey')),
    };
  }

  // What a wecom patch stores: the ids as given, each secret sealed (or null to clear it); the
  // *Set flags are dropped. Turning WeCom on needs the corp id and the 客户联系 secret.
  private async wecomFields(patch: WecomSettingsPatchDto): Promise<Record<string, unknown>> {
    const fields: Record<string, unknown> = {};
    if (patch.corpId !== undefined) fields.corpId = patch.corpId;
    if (patch.agentId !== undefined) fields.agentId = patch.agentId;
    if (patch.enabled !== undefined) fields.enabled = patch.enabled;
    for (const name of WECOM_SECRET_FIELDS) {
      const value = patch[name];
      if (value !== undefined) fields[name] = value === null ? null : sealSecret(this.key, value);
    }
    const current = await this.wecomConnection();
    const corpId = patch.corpId !== undefined ? patch.corpId : current.corpId;
    const secret = patch.contactSecret !== undefined ? patch.contactSecret : current.contactSecret;
    const enabled = patch.enabled ?? current.enabled;
    if (enabled && (!corpId || !secret))
      throw AppError.invalid({
        field: 'wecom.enabled',
        code: 'wecomIncomplete',
        params: { missing: [!corpId ? 'corpId' : null, !secret ? 'contactSecret' : null].filter(Boolean) },
        message: 'wecom.enabled needs wecom.corpId and wecom.contactSecret',
      });
    return fields;
  }

  // Merges each named section's fields into what is stored, in one transaction, so two admins
  // changing different fields of a section both keep their change.
  async update(dto: UpdateSettingsDto, actorId: string): Promise<Settings> {
    // SMS templates replace the stored ones whole: check them before anything is written.
    if (dto.sms?.templates) checkSmsTemplates({ ...(await this.get()).sms, templates: dto.sms.templates });
    if (dto.sla) checkSla({ ...(await this.get()).sla, ...dto.sla } as SlaSettingsDto);
    const wecom = dto.wecom ? await this.wecomFields(dto.wecom) : undefined;
    await this.settings.manager.transaction(async (em) => {
      for (const [section, patch] of Object.entries(dto) as [string, Record<string, unknown> | undefined][]) {
        if (patch === undefined) continue;
        const fields =
          section === 'wecom' ? wecom! : Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        await this.repository.mergeSection(em, section, fields, actorId);
      }
    });
    this.cached = null;
    return this.get();
  }
}

function publicWecom(wecom: WecomConnection): WecomSettingsDto {
  return {
    corpId: wecom.corpId,
    agentId: wecom.agentId,
    enabled: wecom.enabled,
    contactSecretSet: wecom.contactSecret !== null,
    agentSecretSet: wecom.agentSecret !== null,
    callbackTokenSet: wecom.callbackToken !== null,
    encodingAesKeySet: wecom.encodingAesKey !== null,
  };
}

// What the SLA fields say together (each alone is the DTO's): a resolution is not due before the
// first response, and an admin hears of a breach after the manager.
function checkSla(sla: SlaSettingsDto): void {
  const fields: (FieldProblem & { message: string })[] = [];
  for (const priority of CASE_SLA_PRIORITIES) {
    const hours = sla.cases[priority];
    if (hours.resolutionHours < hours.firstResponseHours)
      fields.push({
        field: `sla.cases.${priority}.resolutionHours`,
        code: 'notBeforeFirstResponse' as const,
        message: `sla.cases.${priority}.resolutionHours must not be less than its firstResponseHours`,
      });
  }
  if (sla.adminAfterHours <= sla.managerAfterHours)
    fields.push({
      field: 'sla.adminAfterHours',
      code: 'afterManager' as const,
      message: 'sla.adminAfterHours must be more than sla.managerAfterHours',
    });
  if (fields.length > 0) throw AppError.invalid(...fields);
}
