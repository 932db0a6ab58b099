import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';

import { TIERS, type Tier } from '@app/customers';

import { SurveyProgramEntity } from './survey-program.entity';
import { SurveyResponseEntity } from './survey-response.entity';

export const COMPARISONS = ['better', 'same', 'worse'] as const;
export type Comparison = (typeof COMPARISONS)[number];

// What only a relationship survey asks, one row per relationship response (its overall
// satisfaction, rNPS, SERVQUAL perceptions and unmet needs are on the response itself).
@Entity('survey_relationship_answers')
@Index('IDX_survey_relationship_answers_program', ['programId', 'tier'])
@Check('CK_survey_relationship_answers_comparison', `comparison IS NULL OR comparison IN ('better', 'same', 'worse')`)
export class RelationshipAnswerEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_survey_relationship_answers' })
  responseId!: string;

  @OneToOne(() => SurveyResponseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'response_id', foreignKeyConstraintName: 'FK_survey_relationship_answers_response' })
  response?: SurveyResponseEntity;

  @Column({ type: 'uuid' })
  programId!: string;

  @ManyToOne(() => SurveyProgramEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'FK_survey_relationship_answers_program' })
  program?: SurveyProgramEntity;

  // The client's tier when invited (frozen, like the butler).
  @Column({ type: 'enum', enum: TIERS, enumName: 'customer_tier' })
  tier!: Tier;

  @Column({ type: 'smallint', nullable: true })
  quality!: number | null;

  // 性价比
  @Column({ type: 'smallint', nullable: true })
  value!: number | null;

  @Column({ type: 'smallint', nullable: true })
  favourability!: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  comparison!: Comparison | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  comparedBrands!: string[];

  @Column({ type: 'text', default: '' })
  otherBrands!: string;

  @Column({ type: 'smallint', nullable: true })
  expectReliability!: number | null;

  @Column({ type: 'smallint', nullable: true })
  expectResponsiveness!: number | null;

  @Column({ type: 'smallint', nullable: true })
  expectAssurance!: number | null;

  @Column({ type: 'smallint', nullable: true })
  expectEmpathy!: number | null;

  @Column({ type: 'smallint', nullable: true })
  expectTangibles!: number | null;
}
