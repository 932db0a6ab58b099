import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CustomersModule } from '@app/customers';

import { InteractionEntity } from './entities/interaction.entity';
import { InteractionsService } from './interactions.service';

@Module({
  imports: [TypeOrmModule.forFeature([InteractionEntity]), CustomersModule],
  providers: [InteractionsService],
  exports: [InteractionsService],
})
export class InteractionsModule {}
