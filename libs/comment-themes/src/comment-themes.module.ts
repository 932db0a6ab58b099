import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { CustomersModule } from '@app/customers';

import { CommentThemesController } from './comment-themes.controller';
import { CommentThemesListener } from './comment-themes.listener';
import { CommentThemesProcessor } from './comment-themes.processor';
import { CommentThemesRepository } from './comment-themes.repository';
import { CommentThemesService } from './comment-themes.service';
import { CommentThemeEntity } from './entities/comment-theme.entity';

const entities = TypeOrmModule.forFeature([CommentThemeEntity]);

// What clients' comments speak of (taste, packaging, delivery, …) and how they feel about it.
@Module({
  imports: [entities, CustomersModule, AuditModule],
  controllers: [CommentThemesController],
  providers: [CommentThemesService, CommentThemesRepository, CommentThemesListener],
  exports: [CommentThemesService],
})
export class CommentThemesModule {}

// The nightly sweep, in the worker.
@Module({
  imports: [entities, CustomersModule, AuditModule],
  providers: [CommentThemesService, CommentThemesRepository, CommentThemesProcessor],
})
export class CommentThemesWorkerModule {}
