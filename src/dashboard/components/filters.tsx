/** Labelled, uncontrolled filter fields, read by their form on submit. */
import { useI18n } from '../i18n.js';

/**
 * A labelled filter drop-down whose first choice is "All" (the empty value). Uncontrolled: the
 * form reads it on submit, and a new `defaultValue` needs a new key on the form.
 */
export function FilterSelect(props: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  options: readonly (readonly [value: string, label: string])[];
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {/* A select has no defaultValue in the DOM: the selected option's attribute is its default. */}
      <select id={props.id} name={props.name}>
        <option value="">{t('common.all')}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={value === props.defaultValue}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled, uncontrolled filter input (text or date). */
export function FilterInput(props: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  type: 'text' | 'date';
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type}
        maxLength={props.type === 'text' ? 255 : undefined}
        defaultValue={props.defaultValue}
      />
    </div>
  );
}
