export * from './entities/product.entity';
export * from './catalog.module';
export * from './catalog.service';
export * from './dto/product.dto';
