export * from './entities/product.entity';
