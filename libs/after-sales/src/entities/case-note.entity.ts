import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { UserEntity } from '@app/users';

import { CaseEntity } from './case.entity';

@Entity('case_notes')
@Index('IDX_case_notes_case', ['caseId', 'createdAt'])
export class CaseNoteEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_case_notes' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'FK_case_notes_case' })
  case?: CaseEntity;

  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'FK_case_notes_author' })
  author?: UserEntity;

  @Column({ type: 'text' })
  body!: string;

  // Set when the note came with a status change ("in_progress → resolved").
  @Column({ type: 'varchar', length: 40, nullable: true })
  transition!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
