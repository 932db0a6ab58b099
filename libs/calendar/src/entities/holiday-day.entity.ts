import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import type { HolidayKind } from '../holidays';

// A day of the State Council's yearly 调休 schedule as an admin entered it: a day off or a make-up
// working day. A year with rows here is official and replaces what lunar-typescript ships for it.
@Entity('holiday_days')
@Check('CHK_holiday_days_kind', `"kind" IN ('holiday', 'workday')`)
export class HolidayDayEntity {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_holiday_days' })
  date!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: HolidayKind;

  @Column({ type: 'varchar', length: 20, default: '' })
  name!: string;

  // Where the schedule comes from, e.g. the notice's number (国办发明电〔2026〕12号).
  @Column({ type: 'varchar', length: 100, default: '' })
  source!: string;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
