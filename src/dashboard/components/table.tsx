/** Tables that stack on phones, and their keyset pages. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n.js';

export interface Column<T> {
  readonly label: string;
  readonly render: (row: T) => ComponentChildren;
  /** A column that is the row's title on a phone (shown without its label). */
  readonly primary?: boolean;
}

/**
 * A table with a caption and column headers; on a phone each row becomes a card whose cells
 * carry their column's label (`data-label`, shown by the stylesheet).
 */
export function Table<T>(props: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty: string;
  captionHidden?: boolean;
}) {
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class={props.captionHidden ? 'visually-hidden' : undefined}>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.label} data-label={c.label} class={c.primary ? 'primary' : undefined}>
                  {/* One box per cell: on a phone the cell is a two-column grid (label, value),
                      and a value of several lines must stay in the value's column. */}
                  <div class="cell">{c.render(row)}</div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous/next buttons over a keyset cursor; the caller keeps the stack of earlier cursors. */
export function Pager(props: {
  page: number;
  hasPrevious: boolean;
  nextCursor: string | null;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  const { t } = useI18n();
  return (
    <nav class="pager" aria-label={t('orders.page', { n: props.page })}>
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        {t('common.previous')}
      </button>
      <span>{t('orders.page', { n: props.page })}</span>
      <button
        type="button"
        disabled={!props.nextCursor}
        onClick={() => props.nextCursor && props.onNext(props.nextCursor)}
      >
        {t('common.next')}
      </button>
    </nav>
  );
}

/**
 * Keyset pages kept in memory (not in the URL): the cursor of the page shown and the cursors of
 * the pages before it, for a `Pager`.
 */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  return {
    cursor,
    /** Back to the first page (new filters, or a new row at the top). */
    reset: () => {
      setStack([]);
      setCursor(undefined);
    },
    /** The Pager's props for the page shown, whose answer gave `nextCursor`. */
    pager: (nextCursor: string | null) => ({
      page: stack.length + 1,
      hasPrevious: stack.length > 0,
      nextCursor,
      onPrevious: () => {
        setCursor(stack.at(-1) || undefined);
        setStack(stack.slice(0, -1));
      },
      onNext: (next: string) => {
        setStack([...stack, cursor ?? '']);
        setCursor(next);
      },
    }),
  };
}
