import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

import { trimString } from '@app/common';
import { TIERS, type Tier } from '@app/customers';

import { COMPARISONS } from '../entities/relationship-answer.entity';
import {
  PROGRAM_STATUSES,
  SCHEDULE_KINDS,
  type ProgramSample,
  type ScheduleKind,
  type SurveyProgramEntity,
} from '../entities/survey-program.entity';
import { SERVQUAL_DIMENSIONS } from '../entities/survey-response.entity';
import { COMPARISON_LABELS, RELATIONSHIP_QUESTIONS } from '../relationship-form';
import { SERVQUAL_LABELS } from '../survey-form';

// MM-DD (Asia/Shanghai), e.g. 11-01; whether the day exists is checked by the service.
const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class ProgramScheduleDto {
  @IsIn(SCHEDULE_KINDS)
  @ApiProperty({
    enum: SCHEDULE_KINDS,
    description:
      'window: every year between start and end; anniversary: each client on the anniversary of their first purchase',
  })
  kind!: ScheduleKind;

  @IsOptional()
  @Matches(MONTH_DAY)
  @ApiPropertyOptional({ example: '11-01', description: 'MM-DD, required for a window' })
  start?: string;

  @IsOptional()
  @Matches(MONTH_DAY)
  @ApiPropertyOptional({ example: '11-30', description: 'MM-DD, required for a window (may wrap past 12-31)' })
  end?: string;
}

export class TierShareDto {
  @IsIn(TIERS)
  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(1)
  @ApiProperty({ minimum: 0.01, maximum: 1, example: 0.5, description: 'share of the tier asked each cycle' })
  share!: number;
}

export class ProgramSampleDto {
  @IsIn(['all', 'tiers'])
  @ApiProperty({ enum: ['all', 'tiers'] })
  mode!: 'all' | 'tiers';

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TIERS.length)
  @ValidateNested({ each: true })
  @Type(() => TierShareDto)
  @ApiPropertyOptional({
    type: () => TierShareDto,
    isArray: true,
    description: 'required for mode tiers; a tier not listed is not asked',
  })
  tiers?: TierShareDto[];
}

export class CreateSurveyProgramDto {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ minLength: 1, maxLength: 100, example: '2027 年度客户满意度调查' })
  name!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => ProgramScheduleDto)
  @ApiProperty({ type: () => ProgramScheduleDto })
  schedule!: ProgramScheduleDto;

  @IsObject()
  @ValidateNested()
  @Type(() => ProgramSampleDto)
  @ApiProperty({ type: () => ProgramSampleDto })
  sample!: ProgramSampleDto;

  @IsInt()
  @Min(1)
  @Max(30)
  @ApiProperty({
    minimum: 1,
    maximum: 30,
    example: 7,
    description: 'days after the invitation to remind non-responders once',
  })
  reminderAfterDays!: number;

  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(60)
  @ApiPropertyOptional({ minimum: 3, maximum: 60, default: 21, description: 'days a link stays open' })
  expiryDays?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(30, { each: true })
  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    example: ['茅台', '五粮液', '泸州老窖'],
    description: 'other brands clients compare us with',
  })
  brands?: string[];
}

export class UpdateSurveyProgramDto {
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  name?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProgramScheduleDto)
  @ApiPropertyOptional({ type: () => ProgramScheduleDto })
  schedule?: ProgramScheduleDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProgramSampleDto)
  @ApiPropertyOptional({ type: () => ProgramSampleDto })
  sample?: ProgramSampleDto;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  @ApiPropertyOptional({ minimum: 1, maximum: 30 })
  reminderAfterDays?: number;

  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(60)
  @ApiPropertyOptional({ minimum: 3, maximum: 60 })
  expiryDays?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(30, { each: true })
  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  brands?: string[];
}

export class ReportQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2999)
  @ApiPropertyOptional({ description: 'the cycle (year); the latest by default', example: 2027 })
  cycle?: number;
}

export class ProgramProgressDto {
  @ApiProperty({ type: Number, nullable: true, description: 'the cycle (year) counted' })
  cycle!: number | null;

  @ApiProperty({ description: 'clients sampled and invited in the cycle' })
  invited!: number;

  @ApiProperty({ description: 'waiting to be sent' })
  pending!: number;

  @ApiProperty()
  sent!: number;

  @ApiProperty()
  responded!: number;

  @ApiProperty({ description: 'not sent: no consent or address, contact cap, client deleted' })
  skipped!: number;

  @ApiProperty({ description: 'non-responders reminded (once each)' })
  reminded!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'responded / sent' })
  responseRate!: number | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'skipped, by reason' })
  skipReasons!: Record<string, number>;
}

export class TierShareOutDto {
  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty()
  share!: number;
}

export class SurveyProgramDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['relationship'] })
  kind!: 'relationship';

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: PROGRAM_STATUSES })
  status!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'the team asked (its manager); null: every client',
  })
  managerId!: string | null;

  @ApiProperty({ type: () => ProgramScheduleDto })
  schedule!: ProgramScheduleDto;

  @ApiProperty({ enum: ['all', 'tiers'] })
  sampleMode!: 'all' | 'tiers';

  @ApiProperty({ type: () => TierShareOutDto, isArray: true })
  sample!: TierShareOutDto[];

  @ApiProperty()
  reminderAfterDays!: number;

  @ApiProperty()
  expiryDays!: number;

  @ApiProperty({ type: [String] })
  brands!: string[];

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  startedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  pausedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ type: () => ProgramProgressDto })
  progress?: ProgramProgressDto;
}

export class SurveyQuestionDto {
  @ApiProperty()
  key!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ enum: ['scale', 'choice', 'brands', 'text', 'servqual'] })
  type!: string;

  @ApiPropertyOptional({ type: [Number], description: '[min, max] of a scale' })
  range?: number[];

  @ApiPropertyOptional({ type: [String] })
  options?: string[];

  @ApiProperty()
  required!: boolean;
}

export class SurveyProgramListDto {
  @ApiProperty({ type: () => SurveyProgramDto, isArray: true })
  items!: SurveyProgramDto[];

  @ApiProperty({ type: () => SurveyQuestionDto, isArray: true, description: 'what a relationship survey asks' })
  questions!: SurveyQuestionDto[];
}

export class SamplePreviewRowDto {
  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({ description: "clients of the tier in the program's reach" })
  clients!: number;

  @ApiProperty({ description: 'of them, in the sample of the cycle' })
  sampled!: number;
}

export class SamplePreviewDto {
  @ApiProperty()
  cycle!: number;

  @ApiProperty({ type: () => SamplePreviewRowDto, isArray: true })
  tiers!: SamplePreviewRowDto[];
}

export class ServqualGapDto {
  @ApiProperty({ enum: SERVQUAL_DIMENSIONS })
  dimension!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'mean expectation (1–5)' })
  expectation!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'mean perception (1–5)' })
  perception!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'mean of P − E over answers with both' })
  gap!: number | null;

  @ApiProperty({ description: 'answers with both' })
  n!: number;
}

export class BrandComparisonDto {
  @ApiProperty()
  brand!: string;

  @ApiProperty({ description: 'clients naming it' })
  n!: number;

  @ApiProperty()
  better!: number;

  @ApiProperty()
  same!: number;

  @ApiProperty()
  worse!: number;
}

export class ProgramReportGroupDto {
  @ApiProperty({ type: String, nullable: true, enum: TIERS, description: 'null: all tiers' })
  tier!: Tier | null;

  @ApiProperty()
  sent!: number;

  @ApiProperty({ description: 'n: answers' })
  responses!: number;

  @ApiProperty({ type: Number, nullable: true })
  responseRate!: number | null;

  @ApiProperty({ description: 'fewer than 5 answers: the figures below are withheld (样本不足)' })
  suppressed!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'relationship NPS (−100…100)' })
  rnps!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  satisfactionMean!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  qualityMean!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '性价比' })
  valueMean!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  favourabilityMean!: number | null;

  @ApiProperty({ type: () => ServqualGapDto, isArray: true })
  gaps!: ServqualGapDto[];

  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: Object.fromEntries(COMPARISONS.map((c) => [c, { type: 'number' }])),
    description: 'shares (0–1) of those who compared',
  })
  comparison!: Record<string, number> | null;

  @ApiProperty({ type: () => BrandComparisonDto, isArray: true })
  brands!: BrandComparisonDto[];
}

export class ProgramReportDto {
  @ApiProperty({ format: 'uuid' })
  programId!: string;

  @ApiProperty({ type: Number, nullable: true })
  cycle!: number | null;

  @ApiProperty({ type: [Number] })
  cycles!: number[];

  @ApiProperty({ description: 'groups with fewer answers are suppressed' })
  minGroupSize!: number;

  @ApiProperty({ type: () => ProgramReportGroupDto, isArray: true, description: 'all tiers first, then each tier' })
  groups!: ProgramReportGroupDto[];
}

export function mapSurveyProgram(p: SurveyProgramEntity, progress?: ProgramProgressDto): SurveyProgramDto {
  const sample = Object.entries(p.sample as ProgramSample).map(([tier, share]) => ({
    tier: tier as Tier,
    share: share!,
  }));
  return {
    id: p.id,
    kind: 'relationship',
    name: p.name,
    status: p.status,
    managerId: p.managerId,
    schedule:
      p.scheduleKind === 'window'
        ? { kind: 'window', start: p.windowStart!, end: p.windowEnd! }
        : { kind: 'anniversary' },
    sampleMode: TIERS.every((t) => p.sample[t] === 1) ? 'all' : 'tiers',
    sample: TIERS.filter((t) => sample.some((s) => s.tier === t)).map((t) => sample.find((s) => s.tier === t)!),
    reminderAfterDays: p.reminderAfterDays,
    expiryDays: p.expiryDays,
    brands: p.brands,
    startedAt: p.startedAt?.toISOString() ?? null,
    pausedAt: p.pausedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    ...(progress ? { progress } : {}),
  };
}

// What a relationship survey asks, for the console's preview (the page's own text).
export const RELATIONSHIP_QUESTION_LIST: SurveyQuestionDto[] = [
  { key: 'nps', text: RELATIONSHIP_QUESTIONS.nps, type: 'scale', range: [0, 10], required: true },
  { key: 'csat', text: RELATIONSHIP_QUESTIONS.csat, type: 'scale', range: [1, 5], required: true },
  { key: 'quality', text: RELATIONSHIP_QUESTIONS.quality, type: 'scale', range: [1, 5], required: false },
  { key: 'value', text: RELATIONSHIP_QUESTIONS.value, type: 'scale', range: [1, 5], required: false },
  { key: 'favourability', text: RELATIONSHIP_QUESTIONS.favourability, type: 'scale', range: [1, 5], required: false },
  {
    key: 'comparison',
    text: RELATIONSHIP_QUESTIONS.comparison,
    type: 'choice',
    options: COMPARISONS.map((c) => COMPARISON_LABELS[c]),
    required: false,
  },
  {
    key: 'brands',
    text: `${RELATIONSHIP_QUESTIONS.brands}；${RELATIONSHIP_QUESTIONS.otherBrands}`,
    type: 'brands',
    required: false,
  },
  {
    key: 'servqual',
    text: `${RELATIONSHIP_QUESTIONS.servqual}（每项先选期望，再选实际感受，1–5）`,
    type: 'servqual',
    options: SERVQUAL_DIMENSIONS.map((d) => `${SERVQUAL_LABELS[d].name}：${SERVQUAL_LABELS[d].description}`),
    range: [1, 5],
    required: false,
  },
  { key: 'needs', text: RELATIONSHIP_QUESTIONS.needs, type: 'text', required: false },
];
