/**
 * Every sentence the hosted checkout's HTML shows, in Arabic (the customer's language and the
 * page's default) and English (`?lang=en`), docs/dialects/points.md "Page language". The two
 * tables hold the same keys (text.test.ts fails otherwise); `{name}` marks a value filled
 * in at render time. The refusals the page repeats above its form arrive as the Points API's
 * English messages and are translated here by their text.
 */
import { NO_ACCOUNT_MESSAGE } from '../../../../domain/points-checkout.js';

export type CheckoutLang = 'ar' | 'en';

/** The language a request asks for: English only when it says `?lang=en`; Arabic otherwise. */
export function checkoutLang(query: unknown): CheckoutLang {
  const lang = (query as { lang?: unknown } | null | undefined)?.lang;
  return lang === 'en' ? 'en' : 'ar';
}

export const EN_TEXT = {
  site: 'Points checkout',
  title: 'Pay with Points',
  otherLanguage: 'العربية',
  merchant: 'Merchant',
  order: 'Order',
  total: 'Total',
  pointValue: 'Point value',
  cancel: 'Cancel and return to the shop',
  phoneLabel: 'Mobile number',
  phoneHelp:
    'Saudi mobile number, e.g. 05XXXXXXXX. We send a one-time code to it before showing your points.',
  sendCode: 'Send code',
  codeSent: 'We sent a {digits}-digit code to {phone}. It is valid until {time} UTC.',
  codeLabel: 'Verification code',
  codeHelp: 'Enter the {digits} digits from the message.',
  verify: 'Verify',
  resend: 'Send a new code',
  balance: 'Points balance for {phone}:',
  redeemLabel: 'Points to redeem (0 to {max})',
  redeemHelp: 'The rest of the total is paid at the shop.',
  confirm: 'Confirm',
  noAccount: 'Unfortunately, you have no Points account.',
  otherNumber: 'You can use another mobile number.',
  completedTitle: 'Checkout complete',
  completedText: 'This checkout is complete.',
  cancelledTitle: 'Checkout cancelled',
  cancelledText: 'This checkout was cancelled.',
  expiredTitle: 'Checkout expired',
  expiredText: 'This checkout has expired.',
  notFoundTitle: 'Checkout not found',
  notFoundText: 'This checkout does not exist.',
  attemptLeft: '1 attempt left.',
  attemptsLeft: '{count} attempts left.',
  invalidInput: 'Check what you entered and try again.',
} as const;

export type TextKey = keyof typeof EN_TEXT;

/** Typed as a plain table on purpose: the key test, not the compiler, proves it matches EN_TEXT. */
export const AR_TEXT: Readonly<Record<string, string>> = {
  site: 'الدفع عبر بوينتس',
  title: 'ادفع بنقاط بوينتس',
  otherLanguage: 'English',
  merchant: 'المتجر',
  order: 'الطلب',
  total: 'الإجمالي',
  pointValue: 'قيمة النقطة',
  cancel: 'إلغاء والعودة إلى المتجر',
  phoneLabel: 'رقم الجوال',
  phoneHelp: 'رقم جوال سعودي، مثل 05XXXXXXXX. نرسل إليه رمزًا لمرة واحدة قبل عرض نقاطك.',
  sendCode: 'إرسال الرمز',
  codeSent: 'أرسلنا رمزًا من {digits} أرقام إلى {phone}. صالح حتى الساعة {time} بالتوقيت العالمي.',
  codeLabel: 'رمز التحقق',
  codeHelp: 'أدخل الأرقام الـ{digits} الواردة في الرسالة.',
  verify: 'تحقق',
  resend: 'إرسال رمز جديد',
  balance: 'رصيد النقاط للرقم {phone}:',
  redeemLabel: 'النقاط المراد استبدالها (من 0 إلى {max})',
  redeemHelp: 'يُدفع باقي المبلغ لدى المتجر.',
  confirm: 'تأكيد',
  noAccount: NO_ACCOUNT_MESSAGE,
  otherNumber: 'يمكنك استخدام رقم جوال آخر.',
  completedTitle: 'اكتمل الدفع',
  completedText: 'اكتملت عملية الدفع هذه.',
  cancelledTitle: 'أُلغيت عملية الدفع',
  cancelledText: 'أُلغيت عملية الدفع هذه.',
  expiredTitle: 'انتهت صلاحية عملية الدفع',
  expiredText: 'انتهت صلاحية عملية الدفع هذه.',
  notFoundTitle: 'عملية الدفع غير موجودة',
  notFoundText: 'عملية الدفع هذه غير موجودة.',
  attemptLeft: 'بقيت محاولة واحدة.',
  attemptsLeft: 'المحاولات المتبقية: {count}.',
  invalidInput: 'تحقق من البيانات المدخلة وحاول مرة أخرى.',
};

/**
 * The refusals the page can repeat, by the English message the API answers with. A field's
 * validation message not listed here is shown in Arabic as `invalidInput`.
 */
export const AR_MESSAGES: Readonly<Record<string, string>> = {
  'Checkout session not found.': 'عملية الدفع غير موجودة.',
  'This checkout session has already been used.': 'استُخدمت عملية الدفع هذه من قبل.',
  'This checkout session has expired.': 'انتهت صلاحية عملية الدفع هذه.',
  'This checkout session has been cancelled.': 'أُلغيت عملية الدفع هذه.',
  'Insufficient points balance.': 'رصيد النقاط غير كافٍ.',
  'Verify your phone number first.': 'تحقق من رقم جوالك أولًا.',
  'Request a verification code first.': 'اطلب رمز التحقق أولًا.',
  'The verification code has expired. Request a new one.':
    'انتهت صلاحية رمز التحقق. اطلب رمزًا جديدًا.',
  'No more codes can be sent for this checkout session.':
    'لا يمكن إرسال رموز أخرى لعملية الدفع هذه.',
  'The verification code could not be sent. Try again.': 'تعذّر إرسال رمز التحقق. حاول مرة أخرى.',
  'Too many attempts for this phone number. Try again later.':
    'محاولات كثيرة لهذا الرقم. حاول لاحقًا.',
  'The verification code is incorrect.': 'رمز التحقق غير صحيح.',
  'Too many incorrect codes. This checkout session has been cancelled.':
    'رموز خاطئة كثيرة. أُلغيت عملية الدفع هذه.',
  'This form can only be sent from the checkout page itself.':
    'لا يمكن إرسال هذا النموذج إلا من صفحة الدفع نفسها.',
  'Too many requests from this address. Retry after the number of seconds in Retry-After.':
    'طلبات كثيرة من هذا العنوان. حاول لاحقًا.',
  'The phone number format is invalid.': 'صيغة رقم الجوال غير صحيحة.',
  'The code must be 6 digits.': 'يجب أن يتكون الرمز من 6 أرقام.',
};

/** The sentence `key` in `lang`, with each `{name}` replaced by `values[name]` (escape it after). */
export function say(
  lang: CheckoutLang,
  key: TextKey,
  values: Readonly<Record<string, string | number>> = {},
): string {
  const template = lang === 'en' ? EN_TEXT[key] : (AR_TEXT[key] ?? EN_TEXT[key]);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** An API message as the page shows it in `lang`. */
export function sayMessage(lang: CheckoutLang, english: string): string {
  if (lang === 'en') return english;
  return AR_MESSAGES[english] ?? say('ar', 'invalidInput');
}

/** "N attempts left." in `lang`. */
export const attemptsLeftText = (lang: CheckoutLang, count: number): string =>
  count === 1 ? say(lang, 'attemptLeft') : say(lang, 'attemptsLeft', { count });
