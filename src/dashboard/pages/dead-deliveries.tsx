/**
 * Dead deliveries of every merchant, newest first: the webhooks that gave up, with the
 * receiver's last answer, and a replay for each once its receiver is fixed.
 */
import { useState } from 'preact/hooks';
import { listDeliveries, listWebhooks, merchantsOnce } from '../admin.js';
import {
  ErrorText,
  Link,
  PageTitle,
  Pager,
  Table,
  useCursorPages,
  useLoad,
} from '../components.js';
import { useI18n } from '../i18n.js';
import { href } from '../router.js';
import type { DeliveryJson } from '../types.js';
import { deliveryColumns } from './delivery-columns.js';
import { ReplayDialog } from './timeline.js';

const PAGE_SIZE = 25;

export function DeadDeliveries() {
  const { t, lang } = useI18n();
  const pages = useCursorPages();
  const [version, setVersion] = useState(0);
  const [replaying, setReplaying] = useState<DeliveryJson | null>(null);
  const merchants = useLoad(() => merchantsOnce(), []);
  // Every live endpoint, for names; the health window does not matter here.
  const endpoints = useLoad(() => listWebhooks(undefined, 1).then((r) => r.data), [version]);
  const log = useLoad(
    () => listDeliveries({ status: 'dead', cursor: pages.cursor, limit: PAGE_SIZE }),
    [pages.cursor, version],
  );
  const merchantName = new Map((merchants.data ?? []).map((m) => [m.id, m.name]));
  const endpointName = new Map((endpoints.data ?? []).map((e) => [e.id, e.name ?? e.url]));
  return (
    <>
      <p class="breadcrumb">
        <Link href={href('/webhooks')}>{t('nav.webhooks')}</Link>
      </p>
      <PageTitle>{t('dead.title')}</PageTitle>
      <p>{t('dead.intro')}</p>
      <ErrorText error={log.error} />
      {log.data && (
        <div aria-busy={log.loading ? 'true' : 'false'}>
          <Table<DeliveryJson>
            caption={t('dead.title')}
            captionHidden
            rows={log.data.data}
            rowKey={(d) => d.id}
            empty={t('dead.none')}
            columns={deliveryColumns(t, lang, {
              endpointName: (id) => endpointName.get(id),
              merchantName: (id) => merchantName.get(id),
              onReplay: setReplaying,
            })}
          />
          <Pager {...pages.pager(log.data.next_cursor)} />
        </div>
      )}
      {replaying && (
        <ReplayDialog
          delivery={replaying}
          onClose={() => setReplaying(null)}
          onDone={() => setVersion((n) => n + 1)}
        />
      )}
    </>
  );
}
