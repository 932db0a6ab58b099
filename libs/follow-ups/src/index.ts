export * from './entities/follow-up.entity';
export * from './follow-ups.module';
export * from './follow-ups.service';
export * from './dto/follow-up.dto';
