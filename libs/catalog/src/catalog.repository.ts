import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { PAGE_SIZE } from '@app/common';

import { ListProductsQueryDto } from './dto/product.dto';
import { ProductEntity } from './entities/product.entity';

// The catalog's SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class CatalogRepository {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  list(query: ListProductsQueryDto): Promise<ProductEntity[]> {
    const qb = this.products.createQueryBuilder('p');
    if (query.aroma) qb.andWhere('p.aroma = :aroma', { aroma: query.aroma });
    if (query.brand) qb.andWhere('p.brand = :brand', { brand: query.brand });
    if (query.active !== undefined) qb.andWhere('p.active = :active', { active: query.active });
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(p.name ILIKE :pattern OR p.sku ILIKE :pattern OR p.brand ILIKE :pattern)', { pattern });
    }
    return qb
      .orderBy('p.brand', 'ASC')
      .addOrderBy('p.price_fen', 'DESC')
      .addOrderBy('p.id')
      .take(query.limit ?? PAGE_SIZE.max)
      .getMany();
  }
}
