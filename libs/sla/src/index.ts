export * from './entities/sla-escalation.entity';
export * from './sla.module';
export * from './sla-escalator.service';
export * from './sla-rules';
export * from './dto/root-causes.dto';
