/**
 * Payment cards as the Moyasar Payment Gateway face sees them: number checks (length, Luhn),
 * scheme detection, masking, expiry, and the simulated issuer's answers for test cards.
 *
 * A full card number exists only in the request being handled: everything here that is kept or
 * logged is the masked form (`first_digits`, `last_digits`, `scheme`, month, year).
 */
import type { TransactionStatus } from './order.js';

export const CARD_SCHEMES = ['visa', 'mastercard', 'mada', 'amex'] as const;
export type CardScheme = (typeof CARD_SCHEMES)[number];

export const CARD_NUMBER_DIGITS_MIN = 13;
export const CARD_NUMBER_DIGITS_MAX = 19;

/** True when `digits` (digits only) passes the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * BINs (first six digits) of mada, Saudi Arabia's domestic scheme. mada cards are co-branded
 * with Visa or Mastercard; the domestic scheme wins, as it does on the Saudi networks.
 */
const MADA_BINS: ReadonlySet<string> = new Set([
  '401757', '407197', '407395', '409201', '410685', '417633', '419593', '420132', '422817',
  '422818', '422819', '428331', '428671', '428672', '428673', '431361', '432328', '434107',
  '439954', '440533', '440647', '440795', '445564', '446393', '446404', '446672', '455036',
  '455708', '457865', '458456', '462220', '468540', '468541', '468542', '468543', '483010',
  '483011', '483012', '484783', '486094', '486095', '486096', '489318', '489319', '504300',
  '508160', '513213', '520058', '521076', '524130', '524514', '529415', '529741', '530060',
  '530906', '531095', '531196', '532013', '535825', '535989', '536023', '537767', '543085',
  '543357', '549760', '554180', '585265', '588845', '588848', '588849', '588850', '588982',
  '588983', '589005', '589206', '604906', '605141', '636120', '968201', '968202', '968203',
  '968204', '968205', '968206', '968207', '968208', '968209', '968211',
]); // prettier-ignore

/** The card's scheme, or null when it belongs to none Unwind accepts. */
export function detectScheme(digits: string): CardScheme | null {
  if (MADA_BINS.has(digits.slice(0, 6))) return 'mada';
  if (digits.startsWith('4')) return 'visa';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if ((two === 34 || two === 37) && digits.length === 15) return 'amex';
  return null;
}

/** What may be kept of a card number. */
export interface MaskedCard {
  readonly scheme: CardScheme;
  /** The BIN: first 8 digits of numbers of 16 digits or more, else first 6 (PCI DSS 3.4). */
  readonly firstDigits: string;
  readonly lastDigits: string;
}

export function maskCard(digits: string, scheme: CardScheme): MaskedCard {
  const binLength = digits.length >= 16 ? 8 : 6;
  return { scheme, firstDigits: digits.slice(0, binLength), lastDigits: digits.slice(-4) };
}

/** A card is valid through the last day of its expiry month (UTC). */
export function cardExpired(
  expiry: { readonly month: number; readonly year: number },
  today: { readonly month: number; readonly year: number },
): boolean {
  return expiry.year < today.year || (expiry.year === today.year && expiry.month < today.month);
}

/** What the (simulated) issuer answers: the status of the transaction and its ISO 8583 code. */
export interface IssuerAnswer {
  readonly status: TransactionStatus;
  readonly responseCode: string;
  readonly message: string;
}

export const APPROVED: IssuerAnswer = {
  status: 'approved',
  responseCode: '00',
  message: 'APPROVED',
};

/**
 * Test cards that do not approve, by full number. Every other valid card approves. The table is
 * listed in docs/dialects/mpg.md; keep the two in step.
 */
export const TEST_CARD_ANSWERS: Readonly<Record<string, IssuerAnswer>> = {
  '4000000000000002': { status: 'failed', responseCode: '05', message: 'DO NOT HONOUR' },
  '4000000000009995': { status: 'failed', responseCode: '51', message: 'INSUFFICIENT FUNDS' },
  '4000000000000069': { status: 'failed', responseCode: '54', message: 'EXPIRED CARD' },
  '4000000000000127': { status: 'failed', responseCode: '14', message: 'INVALID CARD NUMBER' },
  '5105105105105100': { status: 'failed', responseCode: '62', message: 'RESTRICTED CARD' },
  '4000000000000119': { status: 'system_error', responseCode: '96', message: 'SYSTEM MALFUNCTION' },
  '4000000000000341': {
    status: 'timeout',
    responseCode: '68',
    message: 'RESPONSE RECEIVED TOO LATE',
  },
};

/** The issuer's answer to a card-present operation (verify, authorize, purchase). */
export const issuerAnswerFor = (digits: string): IssuerAnswer =>
  TEST_CARD_ANSWERS[digits] ?? APPROVED;
