import type { AlertAnnotations, ValueUnit } from './alert-rule';
import { formatValue } from './value-format';

/**
 * `{{name}}` with optional spaces; a leading `$` and a `labels.` prefix are accepted so rules
 * copied from Prometheus (`{{ $labels.service }}`, `{{ $value }}`) read the same.
 */
const placeholder = /\{\{\s*\$?([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

export interface TemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit?: ValueUnit;
}

/** Fills a template; a label the alert does not have becomes "" rather than the raw braces. */
export function renderTemplate(template: string, data: TemplateData): string {
  return template.replace(placeholder, (_match, name: string) => {
    if (name === 'value') return formatValue(data.value, data.unit);
    const label = name.startsWith('labels.') ? name.slice('labels.'.length) : name;
    return Object.hasOwn(data.labels, label) ? data.labels[label] : '';
  });
}

/** Every annotation of a rule filled in; absent ones stay absent. */
export function renderAnnotations(
  annotations: AlertAnnotations,
  data: TemplateData,
): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [name, template] of Object.entries(annotations))
    if (template !== undefined) rendered[name] = renderTemplate(template, data);
  return rendered;
}
