/**
 * The strings of the API keys page (issue 16: a merchant's keys, MPG keys issued with some
 * permissions and an IP whitelist, keys revoked), in English and Arabic; merged into the
 * dictionaries of i18n.ts. The Arabic record is typed by the English keys, so a missing string
 * fails the typecheck.
 */
import type { MpgPermission } from '../domain/merchant.js';

const permissionsEn: Record<`permission.${MpgPermission}`, string> = {
  'permission.orders_read': 'Read orders',
  'permission.orders_create': 'Create orders',
  'permission.orders_capture': 'Capture orders',
  'permission.orders_void': 'Void orders',
  'permission.orders_refund': 'Refund orders',
  'permission.orders_extend': 'Extend orders',
  'permission.transactions_reverse': 'Reverse transactions',
};

export const apiKeysEn = {
  'nav.apiKeys': 'API keys',
  'apiKeys.title': 'API keys',
  'apiKeys.intro':
    'A merchant’s keys on every face: their first characters, what they may do and from where. A key itself is shown once, when it is issued.',
  'apiKeys.merchant': 'Merchant',
  'apiKeys.pickMerchant': 'Choose a merchant',
  'apiKeys.listTitle': 'Keys',
  'apiKeys.caption': 'Keys of this merchant, newest first',
  'apiKeys.empty': 'This merchant has no keys.',
  'apiKeys.key': 'Key',
  'apiKeys.face': 'Face and kind',
  'apiKeys.permissions': 'Permissions',
  'apiKeys.allOfFace': 'All its face allows',
  'apiKeys.whitelist': 'IP whitelist',
  'apiKeys.anyAddress': 'Any address',
  'apiKeys.created': 'Created',
  'apiKeys.state': 'State',
  'apiKeys.revokedAt': 'since {when}',
  'apiKeys.actions': 'Actions',
  'apiKeys.kind.api_key': 'API key',
  'apiKeys.kind.public_key': 'Public key',
  'apiKeys.kind.secret_key': 'Secret key',
  'status.active': 'active',
  'status.revoked': 'revoked',
  ...permissionsEn,
  'apiKeys.readOnly': 'Only an admin issues and revokes keys; you can read them here.',
  'apiKeys.issue': 'Issue an MPG key',
  'apiKeys.issueText':
    'The key may do only what you tick and, with a whitelist, only from those addresses. The merchant’s other keys keep working.',
  'apiKeys.permissionsLegend': 'Permissions (at least one)',
  'apiKeys.permissionsRequired': 'Choose at least one permission.',
  'apiKeys.whitelistLabel': 'IP whitelist (optional)',
  'apiKeys.whitelistHelp':
    'One IPv4 or IPv6 address or CIDR block a line, such as 192.0.2.10 or 198.51.100.0/24. Leave it empty to admit every address.',
  'apiKeys.whitelistInvalid':
    'Line {line}: “{entry}” is not an IP address or a CIDR block such as 192.0.2.0/24.',
  'apiKeys.whitelistTooMany': 'At most {max} entries.',
  'apiKeys.whitelistLine': 'Line {line}: {message}',
  'apiKeys.issueSubmit': 'Issue the key',
  'apiKeys.issued': 'Key {prefix}… issued.',
  'apiKeys.onceTitle': 'The new key {prefix}…',
  'apiKeys.onceText':
    'Copy it now and hand it to the merchant: you will not see it again. Unwind keeps only its first characters and a hash of it.',
  'apiKeys.onceLabel': 'MPG API key',
  'apiKeys.copy': 'Copy the key',
  'apiKeys.copied': 'The key is copied to the clipboard.',
  'apiKeys.copyFailed': 'The key could not be copied: select it and copy it yourself.',
  'apiKeys.onceDone': 'I have copied it',
  'apiKeys.revoke': 'Revoke',
  'apiKeys.revokeTitle': 'Revoke the key {prefix}…?',
  'apiKeys.revokeText':
    'It stops working at once, on every request; the merchant’s other keys keep working. A revoked key cannot be restored: issue a new one instead.',
  'apiKeys.revokeConfirm': 'Revoke the key',
  'apiKeys.keep': 'Keep the key',
  'apiKeys.revokedDone': 'Key {prefix}… revoked.',
  'action.mpg_key.issued': 'MPG key issued',
  'action.credential.revoked': 'API key revoked',
  'error.credential.not_found': 'Key not found.',
} as const;

const permissionsAr: typeof permissionsEn = {
  'permission.orders_read': 'قراءة الطلبات',
  'permission.orders_create': 'إنشاء الطلبات',
  'permission.orders_capture': 'تحصيل الطلبات',
  'permission.orders_void': 'إبطال الطلبات',
  'permission.orders_refund': 'استرداد الطلبات',
  'permission.orders_extend': 'تمديد الطلبات',
  'permission.transactions_reverse': 'عكس المعاملات',
};

export const apiKeysAr: Readonly<Record<keyof typeof apiKeysEn, string>> = {
  'nav.apiKeys': 'مفاتيح الواجهة البرمجية',
  'apiKeys.title': 'مفاتيح الواجهة البرمجية',
  'apiKeys.intro':
    'مفاتيح التاجر على كل الواجهات: أحرفها الأولى، وما يُسمح لها به، ومن أين. لا يُعرض المفتاح نفسه إلا مرة واحدة، عند إصداره.',
  'apiKeys.merchant': 'التاجر',
  'apiKeys.pickMerchant': 'اختر تاجرًا',
  'apiKeys.listTitle': 'المفاتيح',
  'apiKeys.caption': 'مفاتيح هذا التاجر، الأحدث أولًا',
  'apiKeys.empty': 'لا مفاتيح لهذا التاجر.',
  'apiKeys.key': 'المفتاح',
  'apiKeys.face': 'الواجهة والنوع',
  'apiKeys.permissions': 'الصلاحيات',
  'apiKeys.allOfFace': 'كل ما تتيحه واجهته',
  'apiKeys.whitelist': 'عناوين IP المسموح بها',
  'apiKeys.anyAddress': 'أي عنوان',
  'apiKeys.created': 'تاريخ الإنشاء',
  'apiKeys.state': 'الحالة',
  'apiKeys.revokedAt': 'منذ {when}',
  'apiKeys.actions': 'الإجراءات',
  'apiKeys.kind.api_key': 'مفتاح واجهة برمجية',
  'apiKeys.kind.public_key': 'مفتاح عام',
  'apiKeys.kind.secret_key': 'مفتاح سري',
  'status.active': 'نشط',
  'status.revoked': 'ملغى',
  ...permissionsAr,
  'apiKeys.readOnly': 'يصدر المشرف وحده المفاتيح ويلغيها؛ يمكنك الاطلاع عليها هنا.',
  'apiKeys.issue': 'إصدار مفتاح MPG',
  'apiKeys.issueText':
    'لا يقدر المفتاح إلا على ما تختاره، ومع قائمة العناوين لا يُستخدم إلا منها. تبقى مفاتيح التاجر الأخرى صالحة.',
  'apiKeys.permissionsLegend': 'الصلاحيات (واحدة على الأقل)',
  'apiKeys.permissionsRequired': 'اختر صلاحية واحدة على الأقل.',
  'apiKeys.whitelistLabel': 'عناوين IP المسموح بها (اختيارية)',
  'apiKeys.whitelistHelp':
    'عنوان IPv4 أو IPv6 أو نطاق CIDR في كل سطر، مثل 192.0.2.10 أو 198.51.100.0/24. اتركها فارغة ليُقبل أي عنوان.',
  'apiKeys.whitelistInvalid':
    'السطر {line}: «{entry}» ليس عنوان IP ولا نطاق CIDR مثل 192.0.2.0/24.',
  'apiKeys.whitelistTooMany': '{max} إدخال على الأكثر.',
  'apiKeys.whitelistLine': 'السطر {line}: {message}',
  'apiKeys.issueSubmit': 'أصدر المفتاح',
  'apiKeys.issued': 'صدر المفتاح {prefix}…',
  'apiKeys.onceTitle': 'المفتاح الجديد {prefix}…',
  'apiKeys.onceText':
    'انسخه الآن وسلّمه إلى التاجر: لن تراه مرة أخرى. لا يحتفظ Unwind إلا بأحرفه الأولى وببصمة منه.',
  'apiKeys.onceLabel': 'مفتاح واجهة MPG البرمجية',
  'apiKeys.copy': 'انسخ المفتاح',
  'apiKeys.copied': 'نُسخ المفتاح إلى الحافظة.',
  'apiKeys.copyFailed': 'تعذّر نسخ المفتاح: حدّده وانسخه بنفسك.',
  'apiKeys.onceDone': 'نسختُه',
  'apiKeys.revoke': 'إلغاء',
  'apiKeys.revokeTitle': 'إلغاء المفتاح {prefix}…؟',
  'apiKeys.revokeText':
    'يتوقف عن العمل فورًا في كل طلب، وتبقى مفاتيح التاجر الأخرى صالحة. لا يمكن استعادة مفتاح ملغى: أصدر مفتاحًا جديدًا بدلًا منه.',
  'apiKeys.revokeConfirm': 'ألغِ المفتاح',
  'apiKeys.keep': 'أبقِ المفتاح',
  'apiKeys.revokedDone': 'أُلغي المفتاح {prefix}…',
  'action.mpg_key.issued': 'صدر مفتاح MPG',
  'action.credential.revoked': 'أُلغي مفتاح واجهة برمجية',
  'error.credential.not_found': 'المفتاح غير موجود.',
};
