import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

import type { Page } from './pagination';

// Response classes for lists, one per item class, so OpenAPI names each list's items:
// PageOf(CaseDto) is `CasePage` ({ items, nextCursor }); ListOf(ProductDto) is `ProductList`
// ({ items }, for the short lists that are not paginated).
const pages = new Map<Type<unknown>, Type<unknown>>();
const lists = new Map<Type<unknown>, Type<unknown>>();

const baseName = (item: Type<unknown>): string => item.name.replace(/(Dto|View)$/, '');

export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  let page = pages.get(item);
  if (!page) {
    class PageDto implements Page<T> {
      @ApiProperty({ type: () => item, isArray: true })
      items!: T[];

      @ApiProperty({
        type: String,
        nullable: true,
        description: 'Pass back as ?cursor= for the next page; null on the last one',
      })
      nextCursor!: string | null;
    }
    Object.defineProperty(PageDto, 'name', { value: `${baseName(item)}Page` });
    pages.set(item, (page = PageDto));
  }
  return page as Type<Page<T>>;
}

export function ListOf<T>(item: Type<T>): Type<{ items: T[] }> {
  let list = lists.get(item);
  if (!list) {
    class ListDto {
      @ApiProperty({ type: () => item, isArray: true })
      items!: T[];
    }
    Object.defineProperty(ListDto, 'name', { value: `${baseName(item)}List` });
    lists.set(item, (list = ListDto));
  }
  return list as Type<{ items: T[] }>;
}
