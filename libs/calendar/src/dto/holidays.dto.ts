import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { trimString } from '@app/common';

import { FIRST_CALENDAR_YEAR, HOLIDAY_KINDS, HolidayDay, HolidayKind, LAST_CALENDAR_YEAR } from '../holidays';
import type { NextYearScheduleStatus } from '../holidays.service';

export class HolidaysQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_CALENDAR_YEAR)
  @Max(LAST_CALENDAR_YEAR)
  @ApiPropertyOptional({ type: 'integer', minimum: FIRST_CALENDAR_YEAR, maximum: LAST_CALENDAR_YEAR })
  year?: number;
}

export class HolidayYearParamDto {
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_CALENDAR_YEAR)
  @Max(LAST_CALENDAR_YEAR)
  year!: number;
}

// The State Council's notice typed as lines: `2027-02-04 holiday 春节` or `2027-02-04~2027-02-11 休 春节`.
export class PutHolidayScheduleDto {
  @ApiProperty({
    type: String,
    maxLength: 20_000,
    example: '2027-02-05~2027-02-12 holiday 春节\n2027-02-14 workday 春节',
  })
  @IsString()
  @MaxLength(20_000)
  text!: string;

  @ApiPropertyOptional({ type: String, maxLength: 100, example: '国办发明电〔2026〕12号' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(100)
  source?: string;
}

export class HolidayItemDto implements HolidayDay {
  @ApiProperty({ example: '2027-02-06' })
  date!: string;

  @ApiProperty({ enum: HOLIDAY_KINDS })
  kind!: HolidayKind;

  @ApiProperty({ example: '春节' })
  name!: string;
}

export class NextYearScheduleDto implements NextYearScheduleStatus {
  @ApiProperty({ example: 2028 })
  year!: number;

  // Whether next year's 调休 schedule is known (shipped with the library or entered by an admin).
  @ApiProperty()
  known!: boolean;

  // True from 1 November while next year's schedule is unknown.
  @ApiProperty()
  reminder!: boolean;
}

export class HolidayYearDto {
  @ApiProperty({ example: 2027 })
  year!: number;

  // official: the year's 调休 schedule is known (shipped with lunar-typescript, or entered by an
  // admin); statutory: only the law's days are.
  @ApiProperty({ enum: ['official', 'statutory'] })
  source!: 'official' | 'statutory';

  // Who published the schedule: `entered` by an admin, `library` (lunar-typescript), or null.
  @ApiProperty({ enum: ['entered', 'library'], nullable: true })
  schedule!: 'entered' | 'library' | null;

  // The notice an admin named when entering the schedule.
  @ApiProperty({ type: String, nullable: true, example: '国办发明电〔2026〕12号' })
  reference!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;

  // The schedule (without the law's days) as lines, ready to edit and put back.
  @ApiProperty({ example: '2027-02-05~2027-02-12 holiday 春节' })
  lines!: string;

  @ApiProperty({ type: [HolidayItemDto] })
  items!: HolidayItemDto[];
}
