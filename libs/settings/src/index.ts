export * from './settings.module';
export * from './settings.service';
export * from './dto/settings.dto';
export * from './entities/setting.entity';
export * from './sms-templates';
export * from './secret-box';
