export * from './reports.module';
export * from './reports.service';
export * from './scorecard';
export * from './dto/reports.dto';
