import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { ListOf, Roles } from '@app/common';

import { CatalogService } from './catalog.service';
import { CreateProductDto, ListProductsQueryDto, mapProduct, ProductDto, UpdateProductDto } from './dto/product.dto';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('products')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOkResponse({ type: ListOf(ProductDto) })
  async list(@Query() query: ListProductsQueryDto): Promise<{ items: ProductDto[] }> {
    return { items: (await this.catalog.list(query)).map(mapProduct) };
  }

  @Get(':id')
  @ApiOkResponse({ type: ProductDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ProductDto> {
    return mapProduct(await this.catalog.get(id));
  }

  @Post()
  @Roles('admin', 'manager')
  @ApiCreatedResponse({ type: ProductDto })
  async create(@Body() dto: CreateProductDto): Promise<ProductDto> {
    return mapProduct(await this.catalog.create(dto));
  }

  @Patch(':id')
  @Roles('admin', 'manager')
  @ApiOkResponse({ type: ProductDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProductDto): Promise<ProductDto> {
    return mapProduct(await this.catalog.update(id, dto));
  }
}
