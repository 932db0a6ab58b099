import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { AuditService } from '@app/audit';
import { AuthUser, CurrentUser, ListOf, Page, PageOf, Roles } from '@app/common';

import { CustomerAccessService } from './customer-access.service';
import { CustomersService } from './customers.service';
import {
  AssignCustomerDto,
  BulkAssignCustomersDto,
  BulkAssignResultDto,
  CreateCustomerDto,
  CustomerAuditEntryDto,
  CustomerDto,
  ListCustomersQueryDto,
  mapCustomer,
  UpdateCustomerDto,
} from './dto/customer.dto';
import { TasteProfileDto, TasteProfileView } from './dto/taste-profile.dto';
import { TasteProfileService } from './taste-profile.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly tasteProfiles: TasteProfileService,
    private readonly access: CustomerAccessService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CustomerDto })
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCustomerDto): Promise<CustomerDto> {
    return mapCustomer(await this.customers.create(actor, dto));
  }

  @Get()
  @ApiOkResponse({ type: PageOf(CustomerDto) })
  list(@CurrentUser() actor: AuthUser, @Query() query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    return this.customers.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerDto> {
    return mapCustomer(await this.customers.get(actor, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: CustomerDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCustomerDto,
  ): Promise<CustomerDto> {
    return mapCustomer(await this.customers.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.customers.remove(actor, id);
  }

  @Post('bulk-assign')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: BulkAssignResultDto })
  bulkAssign(@CurrentUser() actor: AuthUser, @Body() dto: BulkAssignCustomersDto): Promise<BulkAssignResultDto> {
    return this.customers.bulkAssign(actor, dto.customerIds, dto.butlerId);
  }

  @Post(':id/assign')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: CustomerDto })
  async assign(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignCustomerDto,
  ): Promise<CustomerDto> {
    return mapCustomer(await this.customers.assign(actor, id, dto.butlerId));
  }

  @Get(':id/taste-profile')
  @ApiOkResponse({ type: TasteProfileView })
  tasteProfile(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<TasteProfileView> {
    return this.tasteProfiles.get(actor, id);
  }

  @Put(':id/taste-profile')
  @ApiOkResponse({ type: TasteProfileView })
  putTasteProfile(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TasteProfileDto,
  ): Promise<TasteProfileView> {
    return this.tasteProfiles.put(actor, id, dto);
  }

  // Who changed this client, when, and what.
  @Get(':id/audit')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: ListOf(CustomerAuditEntryDto) })
  async auditLog(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ items: CustomerAuditEntryDto[] }> {
    await this.access.findVisible(actor, id);
    const entries = await this.audit.forEntity('customer', id);
    return {
      items: entries.map((e) => ({
        id: e.id,
        actorId: e.actorId,
        action: e.action,
        changes: e.changes,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  }
}
