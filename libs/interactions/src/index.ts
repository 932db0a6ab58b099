export * from './entities/interaction.entity';
