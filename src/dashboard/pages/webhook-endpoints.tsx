/**
 * A merchant's webhook endpoints as a table: name and URL, format, state, health over the last
 * day, the last failure, and each endpoint's actions (disable/enable, rotate, replay since a time).
 */
import { useState } from 'preact/hooks';
import { Badge, type Column } from '../components.js';
import { formatInstant, formatNumber, formatPercent, localDateTimeToIso } from '../format.js';
import { codeLabel, type Lang, type Translate, useI18n } from '../i18n.js';
import type { WebhookJson } from '../types.js';

export const HEALTH_WINDOW_HOURS = 24;

export const endpointName = (e: WebhookJson) => e.name ?? e.url;

/** What an endpoint's row asks the page to confirm. */
export type EndpointDialog =
  | { kind: 'toggle'; endpoint: WebhookJson }
  | { kind: 'since'; endpoint: WebhookJson; since: string }
  | { kind: 'rotate'; endpoint: WebhookJson };

/**
 * The replay-since inputs of every row, by endpoint id. The page keeps them, so a value typed
 * survives the table being loaded again.
 */
export function useSinceInputs() {
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  return { values, setValues, errors, setErrors };
}

type SinceInputs = ReturnType<typeof useSinceInputs>;

export function endpointColumns(
  t: Translate,
  lang: Lang,
  actions: (endpoint: WebhookJson) => preact.ComponentChildren,
): Column<WebhookJson>[] {
  return [
    {
      label: t('webhooks.endpoint'),
      primary: true,
      render: (e) => (
        <>
          <strong>{endpointName(e)}</strong>
          <br />
          <code class="url" dir="ltr">
            {e.url}
          </code>
          {e.secret_prefix && (
            <>
              <br />
              <span class="muted">
                {t('webhooks.secretPrefix')}: <code dir="ltr">{e.secret_prefix}…</code>
              </span>
            </>
          )}
        </>
      ),
    },
    { label: t('webhooks.format'), render: (e) => codeLabel(t, 'format', e.format) },
    {
      label: t('webhooks.state'),
      render: (e) => <Badge status={e.enabled ? 'enabled' : 'disabled'} />,
    },
    ...healthColumns(t, lang),
    { label: t('webhooks.actions'), render: actions },
  ];
}

function healthColumns(t: Translate, lang: Lang): Column<WebhookJson>[] {
  return [
    {
      label: t('webhooks.successRate', { hours: HEALTH_WINDOW_HOURS }),
      render: (e) =>
        e.health ? (
          <>
            {formatPercent(e.health.success_rate, lang)}
            <br />
            <span class="muted">
              {t('webhooks.attemptsCount', {
                succeeded: formatNumber(e.health.succeeded, lang),
                attempts: formatNumber(e.health.attempts, lang),
              })}
            </span>
          </>
        ) : (
          '—'
        ),
    },
    {
      label: t('webhooks.pendingDead'),
      render: (e) =>
        e.health
          ? `${formatNumber(e.health.pending, lang)} / ${formatNumber(e.health.dead, lang)}`
          : '—',
    },
    {
      label: t('webhooks.lastFailure'),
      render: (e) =>
        e.health?.last_failure ? (
          <>
            {formatInstant(e.health.last_failure.at, lang)}
            <br />
            <span class="muted">
              {[e.health.last_failure.status_code, e.health.last_failure.error]
                .filter((x) => x !== null)
                .join(' · ')}
            </span>
          </>
        ) : (
          t('webhooks.noFailure')
        ),
    },
  ];
}

/** An endpoint's buttons and its replay-since form. */
export function EndpointActions(props: {
  endpoint: WebhookJson;
  since: SinceInputs;
  onDialog: (dialog: EndpointDialog) => void;
}) {
  const { t } = useI18n();
  const e = props.endpoint;
  const { values, setValues, errors, setErrors } = props.since;
  return (
    <div class="row-actions">
      <button type="button" onClick={() => props.onDialog({ kind: 'toggle', endpoint: e })}>
        {e.enabled ? t('webhooks.disable') : t('webhooks.enable')}
        <span class="visually-hidden"> {endpointName(e)}</span>
      </button>
      <button type="button" onClick={() => props.onDialog({ kind: 'rotate', endpoint: e })}>
        {t('webhooks.rotate')}
        <span class="visually-hidden"> {endpointName(e)}</span>
      </button>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const since = localDateTimeToIso(values[e.id] ?? '');
          if (!since) {
            setErrors({ ...errors, [e.id]: t('webhooks.replaySinceRequired') });
            return;
          }
          setErrors({ ...errors, [e.id]: '' });
          props.onDialog({ kind: 'since', endpoint: e, since });
        }}
      >
        <label for={`since-${e.id}`}>{t('webhooks.replaySince')}</label>
        <input
          id={`since-${e.id}`}
          type="datetime-local"
          step={1}
          value={values[e.id] ?? ''}
          aria-describedby={`since-${e.id}-error`}
          onInput={(event) =>
            setValues({ ...values, [e.id]: (event.target as HTMLInputElement).value })
          }
        />
        <button type="submit">
          {t('webhooks.replaySinceButton')}
          <span class="visually-hidden"> {endpointName(e)}</span>
        </button>
        <p id={`since-${e.id}-error`} class="field-error">
          {errors[e.id] ?? ''}
        </p>
      </form>
    </div>
  );
}
