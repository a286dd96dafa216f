/**
 * Points' official OpenAPI description, loaded for the conformance suite
 * (test/faces/points/openapi-conformance.test.ts), and a validator of recorded responses against
 * it. The file is not part of the repository: it lies beside the checkout, at
 * `../shared/reference/points-openapi-v1.yaml` from the repository root (CI has it);
 * `UNWIND_POINTS_OPENAPI` names another place. Where Points' documents disagree, the choices made
 * here are those of docs/dialects/points.md ("Where Points' documents disagree").
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import yaml from 'js-yaml';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the file is looked for. */
export const POINTS_OPENAPI_PATH =
  process.env['UNWIND_POINTS_OPENAPI'] ??
  path.resolve(REPO_ROOT, '../shared/reference/points-openapi-v1.yaml');

/** One recorded answer of the Points API. */
export interface Recorded {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The OpenAPI path template, e.g. `/v1/orders/{orderUuid}/refund`. */
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

// ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

/** JSON pointer of `segments` inside the document, as a `$ref` fragment. */
const pointer = (...segments: string[]): string =>
  '#' +
  segments
    .map((s) => '/' + encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('');

/** The validator of recorded answers, or null when the file is not there. */
export function loadPointsOpenApi(): ((r: Recorded) => string[]) | null {
  if (!fs.existsSync(POINTS_OPENAPI_PATH)) return null;
  const doc = yaml.load(fs.readFileSync(POINTS_OPENAPI_PATH, 'utf8')) as Doc;
  // OpenAPI 3.0 schemas: `nullable` is Ajv's own, `example` is documentation, `float` a hint.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('float', true);
  ajv.addSchema(doc as object, 'points');
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (ref: string): ValidateFunction => {
    let v = compiled.get(ref);
    if (!v) {
      v = ajv.compile({ $ref: `points${ref}` });
      compiled.set(ref, v);
    }
    return v;
  };
  return (r) => {
    const operation = doc.paths[r.path]?.[r.method];
    if (!operation) return [`${r.method.toUpperCase()} ${r.path} is not in the OpenAPI file`];
    const response = operation.responses[String(r.status)] as
      { $ref?: string; content?: unknown } | undefined;
    if (!response && EVERY_ROUTE.has(r.status)) {
      return problemsOf(validatorAt('#/components/schemas/ErrorResponse'), r.body);
    }
    if (!response) return [`${r.status} is not a documented answer of ${r.method} ${r.path}`];
    const schemaRef = response.$ref
      ? `${response.$ref}/content/application~1json/schema`
      : pointer('paths', r.path, r.method, 'responses', String(r.status)) +
        pointer('content', 'application/json', 'schema').slice(1);
    return problemsOf(validatorAt(chooseVariant(r, schemaRef)), r.body);
  };
}

/**
 * Statuses Points' pages give every authenticated route while the OpenAPI lists them on some
 * operations only: 400 for a missing or wrong key (the authentication page) and 403 for a caller
 * outside the IP allow-list (the IP whitelisting page). Where an operation does not list them,
 * they are held to the ErrorResponse schema.
 */
const EVERY_ROUTE = new Set([400, 403]);

const problemsOf = (v: ValidateFunction, body: unknown): string[] =>
  v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);

/**
 * The earning answer's `oneOf` (OrderResponse or PendingEarningResponse) cannot be met by a
 * pending answer: OrderResource requires nothing, so the pending answer matches both branches.
 * The answer names its variant by `pending_client_activation`, and is validated against that one.
 */
function chooseVariant(r: Recorded, schemaRef: string): string {
  if (r.path !== '/v1/orders/earning' || r.status !== 200) return schemaRef;
  const data = (r.body as { data?: { pending_client_activation?: unknown } } | null)?.data;
  return data?.pending_client_activation === true
    ? '#/components/schemas/PendingEarningResponse'
    : '#/components/schemas/OrderResponse';
}
