// Proves the one URL rule (normaliseHttpUrl) on its own: every ASCII control character is refused
// wherever it sits, including the tab, CR and LF the URL parser would silently drop; what is kept
// is the parser's href; the length bound holds exactly at the limit, before and after
// normalisation; and storedHttpUrl turns an older raw value into a header-safe URL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseHttpUrl, storedHttpUrl, withQueryParams } from './urls.js';

const MAX = 2000;

describe('normaliseHttpUrl', () => {
  it('keeps the parser href of absolute http(s) URLs', () => {
    assert.deepEqual(normaliseHttpUrl('https://shop.example/success', MAX), {
      ok: true,
      value: 'https://shop.example/success',
    });
    assert.deepEqual(normaliseHttpUrl('HTTPS://Shop.Example', MAX), {
      ok: true,
      value: 'https://shop.example/',
    });
    assert.deepEqual(normaliseHttpUrl('https://bücher.example/straße?q=a b#x', MAX), {
      ok: true,
      value: 'https://xn--bcher-kva.example/stra%C3%9Fe?q=a%20b#x',
    });
    assert.deepEqual(normaliseHttpUrl('http://127.0.0.1:8080/h', MAX), {
      ok: true,
      value: 'http://127.0.0.1:8080/h',
    });
  });

  it('refuses CR, LF and tab anywhere, though the parser would drop them', () => {
    for (const url of [
      'https://shop.example/ok\r\nSet-Cookie: a=b',
      'https://shop.example/ok\n',
      '\thttps://shop.example/',
      'https://shop.ex\tample/',
    ]) {
      assert.ok(URL.canParse(url), `the parser accepts ${JSON.stringify(url)}`);
      assert.deepEqual(normaliseHttpUrl(url, MAX), { ok: false, error: 'control_character' });
    }
  });

  it('refuses every ASCII control character (U+0000 to U+001F and U+007F)', () => {
    const controls = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f];
    fc.assert(
      fc.property(
        fc.constantFrom(...controls),
        fc.nat({ max: 'https://shop.example/path'.length }),
        (code, at) => {
          const base = 'https://shop.example/path';
          const url = `${base.slice(0, at)}${String.fromCharCode(code)}${base.slice(at)}`;
          assert.deepEqual(normaliseHttpUrl(url, MAX), { ok: false, error: 'control_character' });
        },
      ),
    );
  });

  it('refuses other schemes, relative URLs and credentials', () => {
    for (const url of ['ftp://example.com', 'javascript:alert(1)', '/relative', 'not a url', '']) {
      assert.deepEqual(normaliseHttpUrl(url, MAX), { ok: false, error: 'not_http' }, url);
    }
    for (const url of ['http://u:p@example.com/', 'https://u@example.com/']) {
      assert.deepEqual(normaliseHttpUrl(url, MAX), { ok: false, error: 'credentials' }, url);
    }
  });

  it('holds the length bound exactly at the limit, as sent and as normalised', () => {
    const at = (n: number) => `https://a.example/${'a'.repeat(n - 'https://a.example/'.length)}`;
    assert.equal(normaliseHttpUrl(at(MAX), MAX).ok, true);
    assert.deepEqual(normaliseHttpUrl(at(MAX + 1), MAX), { ok: false, error: 'too_long' });
    // 1,019 characters as sent, but each space becomes %20: 3,019 once normalised.
    const spaces = `https://a.example/${' '.repeat(1000)}x`;
    assert.deepEqual(normaliseHttpUrl(spaces, MAX), { ok: false, error: 'too_long' });
  });

  it('returns a value that normalises to itself and is safe in a header', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const first = normaliseHttpUrl(url, MAX);
        if (!first.ok) return;
        assert.deepEqual(normaliseHttpUrl(first.value, MAX), first);
        assert.match(first.value, /^[\x21-\x7e]+$/);
      }),
    );
  });
});

describe('storedHttpUrl', () => {
  it('reads an href back unchanged and a raw older value as the parser reads it', () => {
    assert.equal(storedHttpUrl('https://shop.example/success'), 'https://shop.example/success');
    assert.equal(storedHttpUrl('https://shop.example/ok\r\n'), 'https://shop.example/ok');
    assert.equal(storedHttpUrl('not a url'), null);
  });
});

describe('withQueryParams', () => {
  it('appends percent-encoded parameters after an existing query and before the fragment', () => {
    assert.equal(
      withQueryParams('https://shop.example/success', [
        ['backd_order_id', 'BO-1'],
        ['merchant_order_id', 'JKLMO4321'],
      ]),
      'https://shop.example/success?backd_order_id=BO-1&merchant_order_id=JKLMO4321',
    );
    assert.equal(
      withQueryParams('https://shop.example/done?step=2&q=a%20b#top', [
        ['merchant_order_id', 'A&B=C #1/ü+'],
      ]),
      'https://shop.example/done?step=2&q=a%20b&merchant_order_id=A%26B%3DC%20%231%2F%C3%BC%2B#top',
    );
    assert.equal(
      withQueryParams('https://shop.example/?', [['m', 'x']]),
      'https://shop.example/?m=x',
    );
  });

  it('is null for what is not an http(s) URL', () => {
    assert.equal(withQueryParams('javascript:alert(1)', [['m', 'x']]), null);
  });
});
