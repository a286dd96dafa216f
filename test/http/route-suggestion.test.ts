// Proves the "did you mean" matcher on its own: parameters match any one segment, a wildcard the
// rest, a typo within the distance limit is found and one beyond it is not, a route that takes
// the request's method wins a tie, only the face's own prefix is searched, and an overlong path
// is not searched at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance, nearestName } from '../../src/domain/edit-distance.js';
import { SUGGESTION_PATH_LENGTH_MAX, suggestRoute } from '../../src/http/route-suggestion.js';

const ROUTES = [
  { method: 'GET', url: '/admin/orders' },
  { method: 'POST', url: '/admin/orders' },
  { method: 'GET', url: '/admin/orders/:id' },
  { method: 'POST', url: '/admin/orders/:id/refund' },
  { method: 'POST', url: '/admin/orders/:id/cancel' },
  { method: 'GET', url: '/admin/merchants' },
  { method: 'GET', url: '/admin/events' },
  { method: 'POST', url: '/admin/evnts' },
  { method: 'GET', url: '/mpg/v1/orders' },
  { method: 'GET', url: '/dashboard/*' },
];

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('serve', 'serve'), 0);
    assert.equal(editDistance('serv', 'serve'), 1);
    assert.equal(editDistance('sevre', 'serve'), 2);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('nearestName keeps to the limit and prefers the earlier of equals', () => {
    assert.equal(nearestName('migrat', ['serve', 'migrate'], 3), 'migrate');
    assert.equal(nearestName('zzzzzz', ['serve', 'migrate'], 3), null);
    assert.equal(nearestName('ab', ['ac', 'ad'], 1), 'ac');
  });
});

describe('suggestRoute', () => {
  it('matches parameters to any one segment', () => {
    assert.equal(
      suggestRoute(ROUTES, '/admin', 'POST', '/admin/orders/0192/refnd'),
      '/admin/orders/:id/refund',
    );
    assert.equal(suggestRoute(ROUTES, '/admin', 'GET', '/admin/order/0192'), '/admin/orders/:id');
  });

  it('finds a typo at the limit and nothing one past it', () => {
    // Seven letters after the prefix: the limit is 2 (floor(7 / 3) and at least 2).
    assert.equal(suggestRoute(ROUTES, '/admin', 'GET', '/admin/mrchnts'), '/admin/merchants');
    assert.equal(suggestRoute(ROUTES, '/admin', 'GET', '/admin/mrchnxs'), null);
    // Nine letters after the prefix: the limit is 3.
    assert.equal(suggestRoute(ROUTES, '/admin', 'GET', '/admin/mxrchxntx'), '/admin/merchants');
  });

  it('prefers a route that takes the method when the paths are as near', () => {
    assert.equal(suggestRoute(ROUTES, '/admin', 'GET', '/admin/evets'), '/admin/events');
    assert.equal(suggestRoute(ROUTES, '/admin', 'POST', '/admin/evets'), '/admin/evnts');
  });

  it("searches only the face's own prefix, and every route from the root", () => {
    assert.equal(suggestRoute(ROUTES, '/mpg', 'GET', '/mpg/v1/order'), '/mpg/v1/orders');
    assert.equal(suggestRoute(ROUTES, '/mpg', 'GET', '/mpg/admin/orders'), null);
    assert.equal(suggestRoute(ROUTES, '', 'GET', '/admn/orders'), '/admin/orders');
  });

  it('lets a wildcard take the rest of the path', () => {
    assert.equal(suggestRoute(ROUTES, '', 'GET', '/dashbord/orders/42'), '/dashboard/');
  });

  it('does not search a path longer than the bound', () => {
    const long = `/admin/orders/${'x'.repeat(SUGGESTION_PATH_LENGTH_MAX)}/refnd`;
    assert.equal(suggestRoute(ROUTES, '/admin', 'POST', long), null);
    const atBound = `/admin/orders/${'x'.repeat(SUGGESTION_PATH_LENGTH_MAX - '/admin/orders//refnd'.length)}/refnd`;
    assert.equal(atBound.length, SUGGESTION_PATH_LENGTH_MAX);
    assert.equal(suggestRoute(ROUTES, '/admin', 'POST', atBound), '/admin/orders/:id/refund');
  });
});
