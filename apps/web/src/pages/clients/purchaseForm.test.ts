import { dayjs } from '../../lib/format';
import { newOrderRef, purchaseFieldName, purchaseTotalFen, shanghaiNow, toPurchaseBody } from './purchaseForm';

describe('purchase form → POST /customers/:id/purchases body', () => {
  it('converts yuan to integer fen and the picked time to Shanghai with its offset', () => {
    const body = toPurchaseBody({
      orderRef: ' POS-20261122-0007 ',
      channel: 'store',
      purchasedAt: dayjs('2026-11-22T10:00:00'),
      items: [
        { productId: 'p1', quantity: 2, unitPriceYuan: '1,099' },
        { productId: 'p2', quantity: 1, unitPriceYuan: '0.07' },
        { productId: 'p3', quantity: 3, unitPriceYuan: '19.99' },
      ],
    });
    expect(body).toEqual({
      orderRef: 'POS-20261122-0007',
      channel: 'store',
      purchasedAt: '2026-11-22T10:00:00+08:00',
      items: [
        { productId: 'p1', quantity: 2, unitPriceFen: 109900 },
        { productId: 'p2', quantity: 1, unitPriceFen: 7 },
        { productId: 'p3', quantity: 3, unitPriceFen: 1999 },
      ],
    });
  });

  it('adds up the running total in fen, and has none while a line is incomplete', () => {
    expect(
      purchaseTotalFen([
        { quantity: 2, unitPriceYuan: '1099.5' },
        { quantity: 3, unitPriceYuan: '0.1' },
      ]),
    ).toBe(219930);
    expect(purchaseTotalFen([{ quantity: 2, unitPriceYuan: 'abc' }])).toBeNull();
  });

  it('makes order numbers of the Shanghai day that the API accepts', () => {
    const ref = newOrderRef(new Date('2026-11-22T17:00:00Z'), () => 0);
    expect(ref).toBe('POS-20261123-AAAAA');
    expect(ref).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/);
    expect(shanghaiNow(new Date('2026-11-22T17:00:00Z')).format('YYYY-MM-DD HH:mm')).toBe('2026-11-23 01:00');
  });

  it('puts item errors on the item row field', () => {
    expect(purchaseFieldName('items.1.unitPriceFen')).toEqual(['items', 1, 'unitPriceYuan']);
    expect(purchaseFieldName('items.0.quantity')).toEqual(['items', 0, 'quantity']);
    expect(purchaseFieldName('orderRef')).toEqual(['orderRef']);
    expect(purchaseFieldName('items')).toBeNull();
  });
});
