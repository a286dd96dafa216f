/** Points' shipping lifecycle (docs/dialects/points.md): separate from the order's money. */
import { assert } from './result.js';

export const SHIPPING_STATUSES = [
  'new',
  'license_in_progress',
  'ready_shipping',
  'delivery_is_in_progress',
  'delivered',
  'cancelled',
] as const;
/** The shipping lifecycle: separate from the financial one; its `cancelled` cancels nothing. */
export type ShippingStatus = (typeof SHIPPING_STATUSES)[number];

/** The API's integer `status` for a shipping status (Points' backed int enum, 1-based). */
export const shippingStatusNumber = (status: ShippingStatus): number =>
  SHIPPING_STATUSES.indexOf(status) + 1;

/** Labels used when a shipping status arrives without names. */
export const SHIPPING_LABELS: Readonly<Record<ShippingStatus, { ar: string; en: string }>> = {
  new: { ar: 'جديد', en: 'New' },
  license_in_progress: { ar: 'جاري إصدار التصريح', en: 'License in progress' },
  ready_shipping: { ar: 'جاهز للشحن', en: 'Ready for shipping' },
  delivery_is_in_progress: { ar: 'جاري التوصيل', en: 'Delivery in progress' },
  delivered: { ar: 'تم التوصيل', en: 'Delivered' },
  cancelled: { ar: 'ملغي', en: 'Cancelled' },
};

export interface ShippingUpdate {
  readonly status?: ShippingStatus;
  readonly nameAr?: string;
  readonly nameEn?: string;
}

export interface ShippingState {
  readonly status: ShippingStatus | null;
  readonly labelAr: string | null;
  readonly labelEn: string | null;
}

/**
 * The shipping state after an update. Given names win; a missing name is copied from the other
 * (Unwind has no translation service); with a status and no names, the status's own labels apply;
 * with names and no status, the status stays as it was.
 */
export function applyShippingUpdate(current: ShippingState, update: ShippingUpdate): ShippingState {
  assert(
    update.status !== undefined || update.nameAr !== undefined || update.nameEn !== undefined,
    'a shipping update changes something',
  );
  const status = update.status ?? current.status;
  const defaults = update.status ? SHIPPING_LABELS[update.status] : null;
  const ar = update.nameAr ?? update.nameEn ?? defaults?.ar ?? current.labelAr;
  const en = update.nameEn ?? update.nameAr ?? defaults?.en ?? current.labelEn;
  return { status, labelAr: ar, labelEn: en };
}
