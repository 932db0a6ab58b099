import type { Product } from '../../api/admin';
import { fenToYuanText, formToProductBody, productToForm } from './productForm';

const product: Product = {
  id: 'p1',
  sku: 'MT-FEITIAN-500',
  name: '飞天 53%vol 500ml',
  brand: '贵州茅台',
  series: null,
  aroma: 'jiang',
  aromaName: '酱香',
  abv: 53,
  volumeMl: 500,
  priceFen: 149900,
  vintage: null,
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('product form: yuan ↔ fen', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(fenToYuanText(149900)).toBe('1499.00');
    expect(fenToYuanText(5)).toBe('0.05');
    expect(fenToYuanText(109950)).toBe('1099.50');
  });

  it('sends the yuan typed as integer fen, without float drift', () => {
    const body = formToProductBody({ ...productToForm(product), price: '1,099.9' });
    expect(body.priceFen).toBe(109990);
    expect(formToProductBody({ ...productToForm(product), price: '0.29' }).priceFen).toBe(29);
    expect(formToProductBody({ ...productToForm(product), price: '¥ 2,580' }).priceFen).toBe(258000);
  });

  it('round-trips a product and sends an empty series and vintage as null', () => {
    const values = productToForm(product);
    expect(values.price).toBe('1499.00');
    expect(formToProductBody(values)).toEqual({
      sku: 'MT-FEITIAN-500',
      name: '飞天 53%vol 500ml',
      brand: '贵州茅台',
      series: null,
      aroma: 'jiang',
      abv: 53,
      volumeMl: 500,
      priceFen: 149900,
      vintage: null,
      active: true,
    });
  });

  it('refuses a price that is not an amount', () => {
    expect(() => formToProductBody({ ...productToForm(product), price: '12.345' })).toThrow();
    expect(() => formToProductBody({ ...productToForm(product), price: '' })).toThrow();
  });
});
