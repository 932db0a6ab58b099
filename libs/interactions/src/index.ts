export * from './entities/interaction.entity';
export * from './interactions.module';
export * from './interactions.service';
