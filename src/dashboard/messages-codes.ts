/**
 * The words for the codes the API sends that the main dictionaries (i18n.ts) do not hold: ledger
 * row types, event types, order kinds, webhook formats and retry policies, reconciliation
 * sources and findings, refund request decline reasons, who acted (src/app/context.ts actorLabel). The Arabic record is typed by the English
 * keys, and test/dashboard/i18n.test.ts checks every enum value of src/domain has its key.
 */
export const enCodes = {
  'tx.authorize': 'authorization',
  'tx.capture': 'capture',
  'tx.purchase': 'purchase',
  'tx.void': 'void',
  'tx.cancel': 'cancel',
  'tx.refund': 'refund',
  'tx.points_award': 'points awarded',
  'tx.points_redeem': 'points redeemed',
  'tx.points_reversal': 'points taken back',
  'tx.points_return': 'points given back',
  'tx.verify': 'card check',
  'tx.extension': 'hold extended',
  'tx.reversal': 'reversal',

  'event.order.created': 'order created',
  'event.order.authorized': 'order authorized',
  'event.order.captured': 'order captured',
  'event.order.voided': 'order voided',
  'event.order.cancelled': 'order cancelled',
  'event.order.refunded': 'order refunded',
  'event.order.completed': 'order completed',
  'event.order.shipping_status_updated': 'shipping status updated',
  'event.order.auto_refunded': 'order auto-refunded',
  'event.order.extended': 'hold extended',
  'event.order.transaction_reversed': 'transaction reversed',
  'event.order.operation_failed': 'operation not approved',
  'event.order.terms_selected': 'payment terms chosen',
  'event.order.placed': 'order placed',
  'event.order.updated': 'order updated',
  'event.order.confirmed': 'order confirmed',
  'event.refund_request.submitted': 'refund request submitted',
  'event.refund_request.declined': 'refund request declined',
  'event.refund_request.locked': 'refund request locked',

  'kind.earning': 'earns points',
  'kind.replacing': 'paid partly with points',
  'kind.bnpl': 'buy now, pay later',
  'kind.card': 'card payment',
  'kind.standard': 'standard',

  'format.standard': 'Standard (Unwind)',
  'format.points': 'Points',
  'policy.standard': 'Standard (10 attempts over about 3 days)',
  'policy.points': 'Points (3 attempts)',

  'decline.replaced': 'replaced by a newer request',
  'decline.deleted': 'withdrawn',
  'decline.not_refundable': 'no longer refundable at settlement',

  'actor.admin': 'admin',
  'actor.customer': 'the customer',
  'actor.credential': 'merchant key {prefix}',
  'actor.job': 'automatic job: {name}',
  'job.reconciliation': 'reconciliation',
  'job.refund-request-locker': 'refund request locking',

  'rowType.payment': 'payments',
  'rowType.refund': 'refunds',

  'source.api': 'Uploaded (dashboard or API)',
  'source.cli': 'Command line',
  'source.folder': 'Report folder: {name}',

  'finding.malformed_row': 'This row could not be read: {detail}',
  'finding.unknown_order':
    'The report names an order that is not one of this merchant’s on this face.',
  'finding.missing_in_report':
    'Unwind has {expected} of {type} in the window; the report lists none.',
  'finding.missing_in_unwind':
    'The report lists {reported} of {type}; the order has none in Unwind.',
  'finding.amount_mismatch': 'Unwind has {expected} of {type}; the report lists {reported}.',
  'finding.currency_mismatch': 'The report lists {type} in {reported}; the order is in {expected}.',
  'finding.duplicate': 'This transaction reference is listed more than once.',
} as const;

export type CodeKey = keyof typeof enCodes;

export const arCodes: Readonly<Record<CodeKey, string>> = {
  'tx.authorize': 'تفويض',
  'tx.capture': 'تحصيل',
  'tx.purchase': 'شراء',
  'tx.void': 'إلغاء تفويض',
  'tx.cancel': 'إلغاء',
  'tx.refund': 'استرداد',
  'tx.points_award': 'منح نقاط',
  'tx.points_redeem': 'استبدال نقاط',
  'tx.points_reversal': 'سحب نقاط ممنوحة',
  'tx.points_return': 'إعادة نقاط مستبدلة',
  'tx.verify': 'تحقق من البطاقة',
  'tx.extension': 'تمديد الحجز',
  'tx.reversal': 'عكس عملية',

  'event.order.created': 'أُنشئ الطلب',
  'event.order.authorized': 'فُوّض الطلب',
  'event.order.captured': 'حُصّل الطلب',
  'event.order.voided': 'أُلغي تفويض الطلب',
  'event.order.cancelled': 'أُلغي الطلب',
  'event.order.refunded': 'استُرد الطلب',
  'event.order.completed': 'اكتمل الطلب',
  'event.order.shipping_status_updated': 'تغيّرت حالة الشحن',
  'event.order.auto_refunded': 'استُرد الطلب تلقائيًا',
  'event.order.extended': 'مُدّد الحجز',
  'event.order.transaction_reversed': 'عُكست العملية',
  'event.order.operation_failed': 'لم تُقبل العملية',
  'event.order.terms_selected': 'اختيرت شروط الدفع',
  'event.order.placed': 'قُدّم الطلب',
  'event.order.updated': 'عُدّل الطلب',
  'event.order.confirmed': 'أُكّد الطلب',
  'event.refund_request.submitted': 'قُدّم طلب استرداد',
  'event.refund_request.declined': 'رُفض طلب الاسترداد',
  'event.refund_request.locked': 'قُفل طلب الاسترداد',

  'kind.earning': 'يكسب نقاطًا',
  'kind.replacing': 'مدفوع جزئيًا بالنقاط',
  'kind.bnpl': 'اشترِ الآن وادفع لاحقًا',
  'kind.card': 'دفع بالبطاقة',
  'kind.standard': 'عادي',

  'format.standard': 'القياسي (Unwind)',
  'format.points': 'بوينتس',
  'policy.standard': 'القياسية (10 محاولات خلال 3 أيام تقريبًا)',
  'policy.points': 'بوينتس (3 محاولات)',

  'decline.replaced': 'استُبدل بطلب أحدث',
  'decline.deleted': 'سُحب',
  'decline.not_refundable': 'لم يعد قابلًا للاسترداد عند التسوية',

  'actor.admin': 'المشرف',
  'actor.customer': 'العميل',
  'actor.credential': 'مفتاح التاجر {prefix}',
  'actor.job': 'مهمة تلقائية: {name}',
  'job.reconciliation': 'المطابقة',
  'job.refund-request-locker': 'قفل طلبات الاسترداد',

  'rowType.payment': 'المدفوعات',
  'rowType.refund': 'المستردات',

  'source.api': 'رُفع (لوحة التحكم أو الواجهة البرمجية)',
  'source.cli': 'سطر الأوامر',
  'source.folder': 'مجلد التقارير: {name}',

  'finding.malformed_row': 'تعذّرت قراءة هذا الصف: {detail}',
  'finding.unknown_order': 'يذكر التقرير طلبًا ليس من طلبات هذا التاجر على هذه الواجهة.',
  'finding.missing_in_report': 'لدى Unwind {expected} من {type} في النافذة؛ ولا يذكر التقرير شيئًا.',
  'finding.missing_in_unwind': 'يذكر التقرير {reported} من {type}؛ وليس للطلب شيء منه في Unwind.',
  'finding.amount_mismatch': 'لدى Unwind {expected} من {type}؛ ويذكر التقرير {reported}.',
  'finding.currency_mismatch': 'يذكر التقرير {type} بعملة {reported}؛ وعملة الطلب {expected}.',
  'finding.duplicate': 'مرجع هذه العملية مذكور أكثر من مرة.',
};
