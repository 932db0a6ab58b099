import { ApiProperty } from '@nestjs/swagger';

import type { WecomGroupTaskEntity } from '../entities/wecom-group-task.entity';
import { CONFIRM_HOW_TO, todoText } from '../wecom-labels';
import type { SyncReport } from '../wecom-sync.service';

export class WecomTodoItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  // 中秋问候, 生日问候, 满意度调查邀请.
  @ApiProperty()
  label!: string;

  @ApiProperty({ type: 'integer' })
  clientCount!: number;

  // 3 位客户的中秋问候待确认发送
  @ApiProperty()
  text!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

// GET /wecom/todo: the caller's 群发 tasks waiting for them to confirm in the WeCom app.
export class WecomTodoDto {
  @ApiProperty({ type: () => WecomTodoItemDto, isArray: true })
  items!: WecomTodoItemDto[];

  // Where in the WeCom app a task is confirmed.
  @ApiProperty()
  howTo!: string;
}

export function mapTodo(tasks: WecomGroupTaskEntity[]): WecomTodoDto {
  return {
    items: tasks.map((t) => ({
      id: t.id,
      label: t.label,
      clientCount: t.clientCount,
      text: todoText(t.clientCount, t.label),
      createdAt: t.createdAt.toISOString(),
    })),
    howTo: CONFIRM_HOW_TO,
  };
}

export class WecomUnmatchedDto {
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty()
  externalUserId!: string;

  // The contact's WeCom name.
  @ApiProperty()
  name!: string;
}

export class WecomSyncErrorDto {
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  errcode!: number | null;

  @ApiProperty()
  errmsg!: string;
}

// POST /wecom/sync: what the contact sync found.
export class WecomSyncReportDto implements SyncReport {
  @ApiProperty({ description: 'false: WeCom is off in the settings, nothing was read' })
  enabled!: boolean;

  @ApiProperty({ type: 'integer', description: 'butlers bound to WeCom' })
  butlers!: number;

  @ApiProperty({ type: 'integer', description: 'their external contacts' })
  contacts!: number;

  @ApiProperty({ type: 'integer', description: 'contacts newly bound to a client' })
  matched!: number;

  @ApiProperty({ type: 'integer', description: 'contacts already bound' })
  alreadyBound!: number;

  @ApiProperty({ type: () => WecomUnmatchedDto, isArray: true, description: 'at most 500' })
  unmatched!: WecomUnmatchedDto[];

  @ApiProperty({ type: () => WecomSyncErrorDto, isArray: true })
  errors!: WecomSyncErrorDto[];
}
