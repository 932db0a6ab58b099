import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

import { AuthUser, CurrentUser, ListOf, pageSize } from '@app/common';
import { CustomerAccessService } from '@app/customers';

import { DeliveryLogEntryDto } from './dto/timeline.dto';
import { TimelineRepository } from './timeline.repository';

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
    private readonly repository: TimelineRepository,
    private readonly access: CustomerAccessService,
  ) {}

  @Get()
  @ApiOkResponse({ type: ListOf(DeliveryLogEntryDto) })
  async list(@CurrentUser() actor: AuthUser, @Query() query: MessagesQueryDto) {
    await this.access.findVisible(actor, query.customerId);
    const rows = await this.repository.deliveryLog(query.customerId, pageSize(query.limit));
    return { items: rows };
  }
}
