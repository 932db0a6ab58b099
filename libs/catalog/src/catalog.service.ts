import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppError } from '@app/common';

import { CatalogRepository } from './catalog.repository';
import { CreateProductDto, ListProductsQueryDto, UpdateProductDto } from './dto/product.dto';
import { ProductEntity } from './entities/product.entity';

@Injectable()
export class CatalogService {
  constructor(
    @InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>,
    private readonly repository: CatalogRepository,
  ) {}

  list(query: ListProductsQueryDto): Promise<ProductEntity[]> {
    return this.repository.list(query);
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
