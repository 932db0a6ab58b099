import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppError, AuthUser, Clock, shanghaiDay } from '@app/common';
import { TIERS, type Tier } from '@app/customers';

import {
  CreateSurveyProgramDto,
  ProgramProgressDto,
  ProgramReportDto,
  ProgramReportGroupDto,
  SamplePreviewDto,
  UpdateSurveyProgramDto,
} from './dto/survey-program.dto';
import { COMPARISONS } from './entities/relationship-answer.entity';
import { SurveyProgramEntity } from './entities/survey-program.entity';
import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';
import { isMonthDay, sampleOf } from './program-schedule';
import { ProgressRow, ReportRow, SurveyProgramsRepository } from './survey-programs.repository';

// Groups with fewer answers show no figures (样本不足): too few to mean anything, and too few to keep
// a client's answer anonymous.
export const MIN_GROUP_SIZE = 5;

const round = (x: number | null, places = 2): number | null =>
  x === null || x === undefined ? null : Math.round(Number(x) * 10 ** places) / 10 ** places;

// Relationship survey programs (manager, admin): create, edit while not running, start, pause,
// progress, report. A manager's program asks their team's clients; an admin's every client.
@Injectable()
export class SurveyProgramsService {
  constructor(
    @InjectRepository(SurveyProgramEntity) private readonly programs: Repository<SurveyProgramEntity>,
    private readonly repository: SurveyProgramsRepository,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, dto: CreateSurveyProgramDto): Promise<SurveyProgramEntity> {
    const expiryDays = dto.expiryDays ?? 21;
    const fields = this.checked(dto, expiryDays);
    const program = this.programs.create({
      name: dto.name,
      status: 'draft',
      managerId: actor.role === 'manager' ? actor.id : null,
      ...fields,
      reminderAfterDays: dto.reminderAfterDays,
      expiryDays,
      brands: dto.brands ?? [],
      createdBy: actor.id,
    });
    return this.programs.save(program);
  }

  async list(actor: AuthUser): Promise<SurveyProgramEntity[]> {
    return this.programs.find({
      where: actor.role === 'admin' ? {} : { managerId: actor.id },
      order: { createdAt: 'DESC' },
    });
  }

  async get(actor: AuthUser, id: string): Promise<SurveyProgramEntity> {
    const program = await this.programs.findOneBy({ id });
    if (!program || (actor.role !== 'admin' && program.managerId !== actor.id)) throw AppError.notFound('Program');
    return program;
  }

  // A running program cannot change what it asks or of whom: pause it first.
  async update(actor: AuthUser, id: string, dto: UpdateSurveyProgramDto): Promise<SurveyProgramEntity> {
    const program = await this.get(actor, id);
    if (program.status === 'active')
      throw new AppError('conflict', 'An active program cannot be edited; pause it first', {
        code: 'SURVEY_PROGRAM_ACTIVE',
        status: program.status,
      });
    const expiryDays = dto.expiryDays ?? program.expiryDays;
    const merged = {
      schedule:
        dto.schedule ??
        (program.scheduleKind === 'window'
          ? { kind: 'window' as const, start: program.windowStart!, end: program.windowEnd! }
          : { kind: 'anniversary' as const }),
      sample: dto.sample,
      reminderAfterDays: dto.reminderAfterDays ?? program.reminderAfterDays,
    };
    const fields = this.checked(merged, expiryDays);
    if (dto.name !== undefined) program.name = dto.name;
    program.scheduleKind = fields.scheduleKind;
    program.windowStart = fields.windowStart;
    program.windowEnd = fields.windowEnd;
    if (dto.sample) program.sample = fields.sample!;
    program.reminderAfterDays = merged.reminderAfterDays;
    program.expiryDays = expiryDays;
    if (dto.brands) program.brands = dto.brands;
    program.lastRunDay = null;
    program.updatedAt = this.clock.now();
    return this.programs.save(program);
  }

  async start(actor: AuthUser, id: string): Promise<SurveyProgramEntity> {
    const program = await this.get(actor, id);
    if (program.status === 'active') return program;
    program.status = 'active';
    program.startedAt = this.clock.now();
    program.pausedAt = null;
    // The runner's next tick (within a minute) invites today's sample if the schedule says so.
    program.lastRunDay = null;
    program.updatedAt = this.clock.now();
    return this.programs.save(program);
  }

  // Pausing stops new invitations, sending those not yet sent, and reminders; answers to links
  // already sent are still taken.
  async pause(actor: AuthUser, id: string): Promise<SurveyProgramEntity> {
    const program = await this.get(actor, id);
    if (program.status !== 'active')
      throw new AppError('conflict', 'Only an active program can be paused', {
        code: 'SURVEY_PROGRAM_NOT_ACTIVE',
        status: program.status,
      });
    program.status = 'paused';
    program.pausedAt = this.clock.now();
    program.updatedAt = this.clock.now();
    return this.programs.save(program);
  }

  async progress(programs: SurveyProgramEntity[]): Promise<Map<string, ProgramProgressDto>> {
    const rows = programs.length > 0 ? await this.repository.progress(programs.map((p) => p.id)) : [];
    const byId = new Map(rows.map((r) => [r.program_id, r]));
    return new Map(programs.map((p) => [p.id, mapProgress(byId.get(p.id))]));
  }

  // How many clients the sample would ask in the current (or next) cycle, per tier.
  async preview(actor: AuthUser, id: string): Promise<SamplePreviewDto> {
    const program = await this.get(actor, id);
    const cycle = Number(shanghaiDay(this.clock.now()).slice(0, 4));
    return { cycle, tiers: await this.repository.samplePreview(program, cycle) };
  }

  async report(actor: AuthUser, id: string, cycle?: number): Promise<ProgramReportDto> {
    const program = await this.get(actor, id);
    const cycles = await this.repository.cycles(program.id);
    const chosen = cycle ?? cycles[0] ?? null;
    if (chosen === null)
      return { programId: program.id, cycle: null, cycles, minGroupSize: MIN_GROUP_SIZE, groups: [] };
    const [rows, brands] = await Promise.all([
      this.repository.report(program.id, chosen),
      this.repository.brands(program.id, chosen),
    ]);
    const groups = rows.map((row) =>
      mapGroup(
        row,
        brands.filter((b) => b.tier === row.tier),
      ),
    );
    // All tiers first, then each tier in order.
    groups.sort((a, b) => (a.tier === null ? -1 : b.tier === null ? 1 : TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier)));
    return { programId: program.id, cycle: chosen, cycles, minGroupSize: MIN_GROUP_SIZE, groups };
  }

  // The fields only the service can judge, each a 400 naming the field.
  private checked(
    dto: Pick<CreateSurveyProgramDto, 'schedule' | 'reminderAfterDays'> & { sample?: CreateSurveyProgramDto['sample'] },
    expiryDays: number,
  ): Pick<SurveyProgramEntity, 'scheduleKind' | 'windowStart' | 'windowEnd'> & {
    sample?: SurveyProgramEntity['sample'];
  } {
    const problems: Parameters<typeof AppError.invalid> = [];
    const { schedule, sample } = dto;
    if (schedule.kind === 'window') {
      for (const field of ['start', 'end'] as const) {
        const value = schedule[field];
        if (!value)
          problems.push({
            field: `schedule.${field}`,
            code: 'required',
            message: `schedule.${field} is required for a window`,
          });
        else if (!isMonthDay(value))
          problems.push({
            field: `schedule.${field}`,
            code: 'matches',
            message: `schedule.${field} is not a day of the year`,
          });
      }
    }
    if (sample?.mode === 'tiers') {
      const tiers = sample.tiers ?? [];
      if (tiers.length === 0)
        problems.push({
          field: 'sample.tiers',
          code: 'arrayNotEmpty',
          message: 'sample.tiers must list at least one tier',
        });
      else if (new Set(tiers.map((t) => t.tier)).size !== tiers.length)
        problems.push({ field: 'sample.tiers', code: 'arrayUnique', message: 'sample.tiers must list each tier once' });
    }
    if (dto.reminderAfterDays >= expiryDays)
      problems.push({
        field: 'reminderAfterDays',
        code: 'max',
        params: { max: expiryDays - 1 },
        message: 'reminderAfterDays must be less than expiryDays (the reminder goes while the link is open)',
      });
    if (problems.length > 0) throw AppError.invalid(...problems);
    return {
      scheduleKind: schedule.kind,
      windowStart: schedule.kind === 'window' ? schedule.start! : null,
      windowEnd: schedule.kind === 'window' ? schedule.end! : null,
      ...(sample ? { sample: sampleOf(sample, TIERS) } : {}),
    };
  }
}

function mapProgress(row: ProgressRow | undefined): ProgramProgressDto {
  if (!row)
    return {
      cycle: null,
      invited: 0,
      pending: 0,
      sent: 0,
      responded: 0,
      skipped: 0,
      reminded: 0,
      responseRate: null,
      skipReasons: {},
    };
  return {
    cycle: row.cycle,
    invited: row.invited,
    pending: row.pending,
    sent: row.sent,
    responded: row.responded,
    skipped: row.skipped,
    reminded: row.reminded,
    responseRate: row.sent > 0 ? round(row.responded / row.sent, 4) : null,
    skipReasons: row.skip_reasons,
  };
}

function mapGroup(row: ReportRow, brands: { brand: string; n: number; better: number; same: number; worse: number }[]) {
  const suppressed = row.responses < MIN_GROUP_SIZE;
  const compared = row.better + row.same + row.worse;
  const group: ProgramReportGroupDto = {
    tier: row.tier,
    sent: row.sent,
    responses: row.responses,
    responseRate: row.sent > 0 ? round(row.responses / row.sent, 4) : null,
    suppressed,
    rnps: null,
    satisfactionMean: null,
    qualityMean: null,
    valueMean: null,
    favourabilityMean: null,
    gaps: [],
    comparison: null,
    brands: [],
  };
  if (suppressed) return group;
  return {
    ...group,
    rnps: row.nps_count > 0 ? round(((row.promoters - row.detractors) / row.nps_count) * 100, 1) : null,
    satisfactionMean: round(row.csat_mean),
    qualityMean: round(row.quality_mean),
    valueMean: round(row.value_mean),
    favourabilityMean: round(row.favourability_mean),
    gaps: SERVQUAL_DIMENSIONS.map((d) => ({
      dimension: d,
      expectation: round(row[`exp_${d}`]),
      perception: round(row[`per_${d}`]),
      gap: round(row[`gap_${d}`]),
      n: row[`pairs_${d}`],
    })),
    comparison: compared > 0 ? Object.fromEntries(COMPARISONS.map((c) => [c, round(row[c] / compared, 4)!])) : null,
    brands: brands.map(({ brand, n, better, same, worse }) => ({ brand, n, better, same, worse })),
  };
}

export type { Tier };
