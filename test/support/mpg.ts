/** MPG test steps shared by the suites and drills. */

/**
 * The body of an MPG purchase or authorization with a test card that the simulator approves:
 * 100.00 SAR unless `amount` (minor units) says otherwise.
 */
export const cardOrder = (description: string, amount = 10_000) => ({
  amount,
  currency: 'SAR',
  description,
  source: {
    type: 'card',
    number: '4242424242424242',
    month: 12,
    year: 2035,
    security_code: '123',
  },
  device: { user_agent: 'unwind-tests', ip_address: '192.0.2.1' },
});
