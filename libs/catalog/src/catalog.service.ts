import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppError, PAGE_SIZE } from '@app/common';

import { CreateProductDto, ListProductsQueryDto, UpdateProductDto } from './dto/product.dto';
import { ProductEntity } from './entities/product.entity';

@Injectable()
export class CatalogService {
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

  async get(id: string): Promise<ProductEntity> {
    const product = await this.products.findOne({ where: { id } });
    if (!product) throw AppError.notFound('Product');
    return product;
  }

  async create(dto: CreateProductDto): Promise<ProductEntity> {
    await this.checkSkuFree(dto.sku, null);
    return this.saveUnique(
      this.products.create({
        ...dto,
        series: dto.series ?? null,
        vintage: dto.vintage ?? null,
        active: dto.active ?? true,
      }),
    );
  }

  async update(id: string, dto: UpdateProductDto): Promise<ProductEntity> {
    const product = await this.get(id);
    if (dto.sku && dto.sku !== product.sku) await this.checkSkuFree(dto.sku, id);
    Object.assign(product, dto);
    return this.saveUnique(product);
  }

  private async checkSkuFree(sku: string, selfId: string | null): Promise<void> {
    const existing = await this.products.findOne({ where: { sku } });
    if (existing && existing.id !== selfId)
      throw new AppError('conflict', 'sku is already used by another product', {
        code: 'PRODUCT_SKU_TAKEN',
        existingId: existing.id,
      });
  }

  private async saveUnique(product: ProductEntity): Promise<ProductEntity> {
    try {
      return await this.products.save(product);
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new AppError('conflict', 'sku is already used by another product', { code: 'PRODUCT_SKU_TAKEN' });
      throw error;
    }
  }
}
