/**
 * Digits as people type them: an Arabic keyboard types Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩,
 * U+0660–U+0669) and a Persian or Urdu one Eastern Arabic-Indic digits (۰۱۲۳۴۵۶۷۸۹,
 * U+06F0–U+06F9), with the Arabic decimal separator ٫ (U+066B). Amount parsers read ASCII only,
 * so the text is mapped first; anything else (a thousands separator ٬, letters) is left as typed
 * for the parser to refuse.
 */
const ARABIC_INDIC_ZERO = 0x0660;
const EXTENDED_ARABIC_INDIC_ZERO = 0x06f0;
const ARABIC_DECIMAL_SEPARATOR = '\u066b';

export function westernDigits(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= ARABIC_INDIC_ZERO && code <= ARABIC_INDIC_ZERO + 9) {
      out += String(code - ARABIC_INDIC_ZERO);
    } else if (code >= EXTENDED_ARABIC_INDIC_ZERO && code <= EXTENDED_ARABIC_INDIC_ZERO + 9) {
      out += String(code - EXTENDED_ARABIC_INDIC_ZERO);
    } else if (char === ARABIC_DECIMAL_SEPARATOR) {
      out += '.';
    } else {
      out += char;
    }
  }
  return out;
}
