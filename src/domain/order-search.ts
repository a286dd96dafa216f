/**
 * What the operators' search box matches: one text, exactly, against an order's id and
 * references, and against the customer's phone in the forms a person types it.
 */
import { normalisePhone } from './points.js';

/** Characters people put inside phone numbers: spaces, dashes, dots and parentheses. */
const PHONE_PUNCTUATION = /[\s().-]/g;

/**
 * The search for `text` (already trimmed): the text itself for the id and reference columns,
 * and for the phone (`customer_ref`, which holds the Points normal form `5XXXXXXXX`) the text,
 * the text without phone punctuation, and its Points normal form when it is a Saudi mobile
 * number (`+966 50 123 4567`, `0501234567`, …). Every form is matched exactly, so each is one
 * index lookup.
 */
export function orderSearchFor(text: string): { text: string; phones: string[] } {
  const compact = text.replace(PHONE_PUNCTUATION, '');
  const normal = normalisePhone(compact);
  const phones = new Set([text, compact, ...(normal ? [normal] : [])]);
  phones.delete('');
  return { text, phones: [...phones] };
}
