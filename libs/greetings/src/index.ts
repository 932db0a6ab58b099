export * from './greetings.module';
export * from './campaign-runner.service';
export * from './campaigns.service';
export * from './templates.service';
export * from './template-rules';
export * from './unsubscribe-token';
export * from './entities/campaign.entity';
export * from './entities/template.entity';
