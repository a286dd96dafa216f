/**
 * Backd's order data (docs/dialects/backd.md#order-data): amounts as numbers in major
 * units, `create_date` and `locked_at` as `YYYY-MM-DD HH:MM:SS` in UTC
 * (docs/decisions/backd.md#timestamps), `refunds[]` only where the docs say so (find_order, refund
 * POST and DELETE), and no `merchant_order_status` on cancel_order.
 */
import type { BackdOrderView } from '../../../app/backd-orders.js';
import type { BackdItem } from '../../../domain/backd-order.js';
import { formatUtcSeconds } from '../../../domain/business-days.js';
import { minorToMajorNumber } from '../../../domain/money.js';
import { visibleStatus } from '../../../domain/refund-request.js';

export interface OrderDataOptions {
  /** find_order, refund POST and refund DELETE carry the refund requests. */
  readonly refunds: boolean;
  /** cancel_order omits merchant_order_status. */
  readonly merchantOrderStatus: boolean;
}

export function orderData(view: BackdOrderView, options: OrderDataOptions) {
  const { backd } = view;
  const major = (minor: number) => minorToMajorNumber(minor, backd.currency);
  const item = (i: BackdItem) => ({
    display_name: i.displayName,
    sku: i.sku,
    unit_price: major(i.unitPriceMinor),
    qty: i.qty,
    ...(i.itemImageUrl !== undefined ? { item_image_url: i.itemImageUrl } : {}),
    ...(i.itemUrl !== undefined ? { item_url: i.itemUrl } : {}),
  });
  return {
    backd_order_id: backd.backdOrderId,
    create_date: formatUtcSeconds(backd.createdAt),
    order_total: major(backd.orderTotalMinor),
    cart_amount: major(backd.cartAmountMinor),
    tax_amount: major(backd.taxAmountMinor),
    shipping_amount: major(backd.shippingAmountMinor),
    discount_amount: major(backd.discountAmountMinor),
    status: backd.status,
    merchant_order_id: backd.merchantOrderId,
    ...(options.merchantOrderStatus ? { merchant_order_status: backd.merchantOrderStatus } : {}),
    shipping: backd.shipping,
    billing: backd.billing,
    items: backd.items.map(item),
    ...(options.refunds
      ? {
          refunds: view.refunds.map((r) => ({
            amount: major(r.amountMinor),
            create_date: formatUtcSeconds(r.createdAt),
            status: visibleStatus(r, view.now),
            locked_at: formatUtcSeconds(r.lockedAt),
          })),
        }
      : {}),
  };
}
