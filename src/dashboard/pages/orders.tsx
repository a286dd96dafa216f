/**
 * Orders: exact search, filters, newest first, keyset pages. The URL holds the search and the
 * current cursor (reload and back work); `history.state` holds the cursors of earlier pages.
 */
import { merchantsOnce, searchOrders } from '../admin.js';
import {
  Badge,
  type Column,
  ErrorText,
  FilterInput,
  FilterSelect,
  Link,
  PageTitle,
  Pager,
  Table,
  useLoad,
} from '../components.js';
import { formatInstant, formatMoney, localDayStartIso } from '../format.js';
import { type Lang, type Translate, useI18n } from '../i18n.js';
import { href, navigate, useLocation } from '../router.js';
import { type MerchantJson, ORDER_STATUSES, DIALECTS, type OrderJson } from '../types.js';
import { orderRef } from './order.js';

/** The search's fields as they appear in the URL. */
const FIELDS = ['q', 'dialect', 'status', 'merchant_id', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** The page of orders the URL's search and cursor name. */
function search(value: (field: Field) => string, cursor: string | undefined) {
  const createdFrom = localDayStartIso(value('from'));
  // "On or before" a day is "before the next day starts".
  const createdTo = localDayStartIso(value('to'), 1);
  return searchOrders({
    q: value('q').trim() || undefined,
    dialect: value('dialect') || undefined,
    status: value('status') || undefined,
    merchant_id: value('merchant_id') || undefined,
    created_from: createdFrom ?? undefined,
    created_to: createdTo ?? undefined,
    cursor,
    limit: 25,
  });
}

export function Orders() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const query = location.query;
  const value = (field: Field) => query.get(field) ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const stack = Array.isArray(location.state['cursorStack'])
    ? (location.state['cursorStack'] as string[])
    : [];
  const merchants = useLoad(() => merchantsOnce(), []);
  const merchantName = new Map(
    (merchants.data ?? []).map((m: MerchantJson) => [m.id, m.name] as const),
  );

  const orders = useLoad(() => search(value, cursor), [query.toString()]);

  const searchParams = (): Record<string, string> =>
    Object.fromEntries(FIELDS.map((f) => [f, value(f)]));
  const goNext = (nextCursor: string) =>
    navigate(href('/orders', { ...searchParams(), cursor: nextCursor }), {
      state: { cursorStack: [...stack, cursor ?? ''] },
    });
  const goPrevious = () => {
    const previous = stack.at(-1) ?? '';
    navigate(href('/orders', { ...searchParams(), cursor: previous }), {
      state: { cursorStack: stack.slice(0, -1) },
    });
  };

  return (
    <>
      <PageTitle>{t('orders.title')}</PageTitle>
      <OrderSearch
        formKey={`${query.toString()}:${merchants.data ? 'merchants' : ''}`}
        value={value}
        merchants={merchants.data ?? []}
      />

      <section aria-labelledby="orders-results" aria-busy={orders.loading ? 'true' : 'false'}>
        <h2 id="orders-results">{t('orders.results')}</h2>
        <ErrorText error={orders.error} />
        {orders.data && (
          <>
            <Table<OrderJson>
              caption={t('orders.results')}
              captionHidden
              rows={orders.data.data}
              rowKey={(o) => o.id}
              empty={t('orders.none')}
              columns={orderColumns(t, lang, merchantName)}
            />
            <Pager
              page={stack.length + 1}
              hasPrevious={cursor !== undefined}
              nextCursor={orders.data.next_cursor}
              onPrevious={goPrevious}
              onNext={goNext}
            />
          </>
        )}
      </section>
    </>
  );
}

/** The search form: uncontrolled, so it takes a new `formKey` to show another search. */
function OrderSearch(props: {
  formKey: string;
  value: (field: Field) => string;
  merchants: readonly MerchantJson[];
}) {
  const { t } = useI18n();
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next: Record<string, string> = {};
    for (const field of FIELDS) next[field] = String(form.get(field) ?? '').trim();
    navigate(href('/orders', next));
  };
  return (
    <>
      {/* Keyed by the URL so the inputs show the search after back/forward, and by the merchants
        having loaded so the merchant picker can select the one in the URL. */}
      <form key={props.formKey} class="filters" role="search" onSubmit={submit}>
        <SearchField defaultValue={props.value('q')} />
        <FilterSelect
          id="orders-dialect"
          name="dialect"
          label={t('orders.face')}
          defaultValue={props.value('dialect')}
          options={DIALECTS.map((d) => [d, t(`face.${d}`)] as const)}
        />
        <FilterSelect
          id="orders-status"
          name="status"
          label={t('orders.status')}
          defaultValue={props.value('status')}
          options={ORDER_STATUSES.map((s) => [s, t(`status.${s}`)] as const)}
        />
        <FilterSelect
          id="orders-merchant"
          name="merchant_id"
          label={t('orders.merchant')}
          defaultValue={props.value('merchant_id')}
          options={props.merchants.map((m) => [m.id, m.name] as const)}
        />
        <FilterInput
          id="orders-from"
          name="from"
          type="date"
          label={t('orders.createdFrom')}
          defaultValue={props.value('from')}
        />
        <FilterInput
          id="orders-to"
          name="to"
          type="date"
          label={t('orders.createdTo')}
          defaultValue={props.value('to')}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t('orders.submit')}
          </button>
          <button type="button" onClick={() => navigate(href('/orders'))}>
            {t('common.clear')}
          </button>
        </div>
      </form>
    </>
  );
}

/** The exact search's text field, with its help. */
function SearchField(props: { defaultValue: string }) {
  const { t } = useI18n();
  return (
    <div class="field wide">
      <label for="orders-q">{t('orders.search')}</label>
      <input
        id="orders-q"
        name="q"
        type="search"
        maxLength={255}
        defaultValue={props.defaultValue}
        aria-describedby="orders-q-help"
      />
      <p id="orders-q-help" class="help">
        {t('orders.searchHelp')}
      </p>
    </div>
  );
}

function orderColumns(
  t: Translate,
  lang: Lang,
  merchantName: ReadonlyMap<string, string>,
): Column<OrderJson>[] {
  return [
    {
      label: t('orders.order'),
      primary: true,
      render: (o) => <Link href={href(`/orders/${encodeURIComponent(o.id)}`)}>{orderRef(o)}</Link>,
    },
    { label: t('orders.created'), render: (o) => formatInstant(o.created_at, lang) },
    {
      label: t('orders.merchant'),
      render: (o) => merchantName.get(o.merchant_id) ?? o.merchant_id,
    },
    { label: t('orders.face'), render: (o) => t(`face.${o.dialect}`) },
    { label: t('orders.status'), render: (o) => <Badge status={o.status} /> },
    {
      label: t('orders.amount'),
      render: (o) => formatMoney(o.amount_minor, o.currency, lang),
    },
  ];
}
