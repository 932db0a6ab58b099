import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import { Roles } from '@app/common';

import { CatalogService } from './catalog.service';
import { CreateProductDto, ListProductsQueryDto, mapProduct, ProductDto, UpdateProductDto } from './dto/product.dto';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('products')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  async list(@Query() query: ListProductsQueryDto): Promise<{ items: ProductDto[] }> {
    return { items: (await this.catalog.list(query)).map(mapProduct) };
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ProductDto> {
    return mapProduct(await this.catalog.get(id));
  }

  @Post()
  @Roles('admin', 'manager')
  async create(@Body() dto: CreateProductDto): Promise<ProductDto> {
    return mapProduct(await this.catalog.create(dto));
  }

  @Patch(':id')
  @Roles('admin', 'manager')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProductDto): Promise<ProductDto> {
    return mapProduct(await this.catalog.update(id, dto));
  }
}
