import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { PeriodQueryDto } from '@app/reports';

import { THEME_GROUPS, type ThemeGroup } from '../comment-themes.repository';
import { COMMENT_SOURCES, type CommentSource } from '../entities/comment-theme.entity';
import { POLARITIES, Polarity, Theme, THEMES } from '../lexicon';
import type { TaggedTheme } from '../theme-tagger';

export const MAX_TEXTS = 100;
export const MAX_TEXT_LENGTH = 2000;

export class AnalyzeCommentsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TEXTS)
  @IsString({ each: true })
  @MaxLength(MAX_TEXT_LENGTH, { each: true })
  @ApiProperty({
    type: String,
    isArray: true,
    minItems: 1,
    maxItems: MAX_TEXTS,
    maxLength: MAX_TEXT_LENGTH,
    example: ['酒的口感很顺，就是物流太慢了'],
  })
  texts!: string[];
}

export class CommentThemeDto implements TaggedTheme {
  @ApiProperty({ enum: THEMES })
  key!: Theme;

  @ApiProperty({ enum: POLARITIES })
  polarity!: Polarity;
}

export class AnalyzedCommentDto {
  // The themes the text speaks of, each once, in the order of THEMES; `other` alone when none.
  @ApiProperty({ type: () => CommentThemeDto, isArray: true })
  themes!: CommentThemeDto[];
}

export class AnalyzeCommentsResultDto {
  // One per text, in the order given.
  @ApiProperty({ type: () => AnalyzedCommentDto, isArray: true })
  items!: AnalyzedCommentDto[];
}

export class ThemeCountsQueryDto extends PeriodQueryDto {
  // none: one row per theme; butler: per frozen butler; team: per team (its manager).
  @ApiPropertyOptional({ enum: THEME_GROUPS, default: 'none' })
  @IsOptional()
  @IsIn(THEME_GROUPS)
  groupBy?: ThemeGroup;
}

export class ThemeQuoteDto {
  @ApiProperty({ enum: POLARITIES })
  polarity!: Polarity;

  @ApiProperty({ enum: COMMENT_SOURCES })
  source!: CommentSource;

  // The survey response's or the case's id.
  @ApiProperty({ format: 'uuid' })
  sourceId!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  // A manager set this comment's themes.
  @ApiProperty()
  corrected!: boolean;

  // All the comment's themes, this one included (what a correction starts from).
  @ApiProperty({ type: () => CommentThemeDto, isArray: true })
  themes!: CommentThemeDto[];
}

export class ThemeCountDto {
  // The butler's or the team manager's id; null with groupBy none.
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  groupId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  groupName!: string | null;

  @ApiProperty({ enum: THEMES })
  theme!: Theme;

  @ApiProperty()
  positive!: number;

  @ApiProperty()
  negative!: number;

  @ApiProperty()
  neutral!: number;

  @ApiProperty()
  total!: number;

  // Up to two comments of the group on the theme, complaints first, then the newest.
  @ApiProperty({ type: () => ThemeQuoteDto, isArray: true })
  quotes!: ThemeQuoteDto[];
}

export class ThemeCountsDto {
  @ApiProperty({ format: 'date', example: '2026-11-01' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-11-30' })
  to!: string;

  @ApiProperty({ enum: THEME_GROUPS })
  groupBy!: ThemeGroup;

  @ApiProperty({ type: () => ThemeCountDto, isArray: true })
  items!: ThemeCountDto[];
}

export class CommentThemeInputDto {
  @ApiProperty({ enum: THEMES })
  @IsIn(THEMES)
  key!: Theme;

  @ApiProperty({ enum: POLARITIES })
  @IsIn(POLARITIES)
  polarity!: Polarity;
}

export class CorrectThemesDto {
  // The comment's themes as they should be, each theme once (other alone, or not at all).
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(THEMES.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CommentThemeInputDto)
  @ApiProperty({ type: () => CommentThemeInputDto, isArray: true, minItems: 1 })
  themes!: CommentThemeInputDto[];
}

export class CorrectedThemesDto {
  @ApiProperty({ enum: COMMENT_SOURCES })
  source!: CommentSource;

  @ApiProperty({ format: 'uuid' })
  sourceId!: string;

  @ApiProperty({ type: () => CommentThemeDto, isArray: true })
  themes!: CommentThemeDto[];

  @ApiProperty()
  corrected!: boolean;
}
