import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';

import { AuthUser, CurrentUser, ListOf, pageSize } from '@app/common';
import { CustomerAccessService } from '@app/customers';

import { DeliveryLogEntryDto } from './dto/timeline.dto';

export class MessagesQueryDto {
  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  customerId!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200 })
  limit?: number;
}

// The delivery log of one client: what was sent, skipped or failed, and why.
@ApiTags('customers')
@ApiBearerAuth()
@Controller('messages')
export class MessagesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CustomerAccessService,
  ) {}

  @Get()
  @ApiOkResponse({ type: ListOf(DeliveryLogEntryDto) })
  async list(@CurrentUser() actor: AuthUser, @Query() query: MessagesQueryDto) {
    await this.access.findVisible(actor, query.customerId);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, purpose, channel, campaign_id AS "campaignId", to_address AS "toAddress", status,
              skip_reason AS "skipReason", attempts, last_error AS "lastError", scheduled_at AS "scheduledAt",
              sent_at AS "sentAt", created_at AS "createdAt"
       FROM messages WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [query.customerId, pageSize(query.limit)],
    );
    return { items: rows };
  }
}
