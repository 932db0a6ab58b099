export * from './entities/purchase.entity';
