export * from './entities/case.entity';
export * from './entities/case-note.entity';
export * from './after-sales.module';
export * from './cases.service';
export * from './dto/case.dto';
export * from './case-events';
