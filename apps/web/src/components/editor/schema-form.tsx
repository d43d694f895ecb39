'use client';
/**
 * A form generated from a node's parameter JSON Schema. Strings, numbers, booleans, enums, nested objects,
 * lists of objects (e.g. `set` fields, `switch` cases) and free JSON values; any field takes a
 * `{{ expression }}`. Inline messages come from `validateParams` and from the API's problems.
 */
import { CodeField } from './code-field';
import { WorkflowSelect } from './workflow-select';
import { CredentialSelect } from './credential-select';
import { useModelSuggestions } from './model-suggestions';
import { fieldLabel } from './human-problem';
import { memo, useState } from 'react';
import type { JsonObject, JsonValue } from '@outrun/schemas';
import type { JsonSchema } from '../../lib/api';
import { ExpressionPreview } from './expression-preview';
import { ExpressionFields } from './expression-fields';
import { ExpressionInput } from './expression-input';
import { isExpression, schemaType, unwrap } from './schema-validate';

interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  value: JsonValue | undefined;
  required: boolean;
  errors: ReadonlyMap<string, string>;
  onChange: (value: JsonValue | undefined) => void;
  /** The object holding this field (the code field reads its sibling `language`). */
  parent?: JsonObject | undefined;
  /** The sibling `credentialId` (an AI node's model field offers that provider's models). */
  credentialId?: string | undefined;
}

const LONG_TEXT = /body|template|instructions|expression|prompt|script|query|message|text/i;

/** Free JSON field: a JSON literal (number, true, {…}) is parsed; anything else stays text. */
export function parseLoose(text: string): JsonValue {
  const t = text.trim();
  if (t === '') return '';
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t) || t === 'true' || t === 'false' || t === 'null' || /^[[{"]/.test(t)) {
    try {
      return JSON.parse(t) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}
const showLoose = (v: JsonValue | undefined): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

const humanize = (key: string): string => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').replace(/^./, (c) => c.toUpperCase());

function Help({ schema, error, id }: { schema: JsonSchema; error: string | undefined; id: string }) {
  return (
    <>
      {schema.description ? (
        <span className="field-help" id={`${id}-help`}>
          {schema.description}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-err`}>
          {error}
        </span>
      ) : null}
    </>
  );
}

function ExprBadge({ value }: { value: unknown }) {
  return isExpression(value) ? (
    <span className="badge badge-running" title="Evaluated at run time (JSONata over input, trigger, steps)">
      ƒx
    </span>
  ) : null;
}

function ObjectList({ path, schema, value, errors, onChange }: Omit<FieldProps, 'name' | 'required'>) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = unwrap(schema.items ?? {});
  const blank = (): JsonObject => {
    const o: JsonObject = {};
    for (const key of itemSchema.required ?? []) o[key] = itemSchema.properties?.[key]?.default ?? '';
    return o;
  };
  return (
    <div className="stack" style={{ gap: 6 }}>
      {items.map((item, i) => (
        <div key={i} className="card" style={{ padding: 8 }}>
          <div className="row">
            <span className="muted">#{i + 1}</span>
            <span className="spacer" />
            <button type="button" className="btn btn-sm btn-danger" aria-label={`Remove item ${i + 1} of ${path}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
          <SchemaFields
            schema={itemSchema}
            value={(item && typeof item === 'object' && !Array.isArray(item) ? item : {}) as JsonObject}
            path={`${path}.${i}`}
            errors={errors}
            onChange={(next) => onChange(items.map((old, j) => (j === i ? next : old)))}
          />
        </div>
      ))}
      <button type="button" className="btn btn-sm" onClick={() => onChange([...items, blank()])}>
        + Add {humanize(path.split('.').pop() ?? 'item').replace(/s$/, '').toLowerCase()}
      </button>
    </div>
  );
}

function JsonField({ id, value, onChange, invalid }: { id: string; value: JsonValue | undefined; onChange: (v: JsonValue | undefined) => void; invalid: boolean }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        id={id}
        name={id.slice(2)}
        rows={4}
        value={text}
        aria-invalid={bad || invalid}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') return void (setBad(false), onChange(undefined));
          try {
            onChange(JSON.parse(e.target.value) as JsonValue);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <span className="field-error">Not valid JSON yet.</span> : null}
    </>
  );
}

const Field = memo(function Field({ name, path, schema: raw, value, required, errors, onChange, parent, credentialId }: FieldProps) {
  const schema = unwrap(raw);
  const type = schemaType(schema);
  // Source code is never a `{{ }}` template (the engine's literal params): no ƒx badge, no preview.
  const templated = schema['x-outrun-editor'] === 'code' ? undefined : value;
  const provider = useModelSuggestions(name === 'model' ? credentialId : undefined, []);
  const id = `f-${path}`;
  const error = errors.get(path);
  const title = schema.title ?? (name === 'credentialId' ? 'Credential' : fieldLabel(name));
  // A whole JSONata expression (transform, condition): coloured and previewed without `{{ }}`.
  const jsonata = name === 'expression' && type === 'string';
  const label = (
    <span className="row" style={{ gap: 6 }}>
      {title}
      {required ? <span aria-hidden="true" className="field-error">*</span> : null}
      <ExprBadge value={templated} />
    </span>
  );
  const described = [schema.description ? `${id}-help` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: path, 'aria-invalid': Boolean(error), 'aria-describedby': described };

  if (type === 'boolean' && !isExpression(value)) {
    return (
      <label className="check" htmlFor={id}>
        <input type="checkbox" {...common} checked={value === true || (value === undefined && schema.default === true)} onChange={(e) => onChange(e.target.checked)} />
        {label}
        <Help schema={schema} error={error} id={id} />
      </label>
    );
  }
  let control;
  if (schema.enum && !isExpression(value)) {
    control = (
      <select {...common} value={value === undefined ? '' : JSON.stringify(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : (JSON.parse(e.target.value) as JsonValue))}>
        {required && schema.default === undefined ? null : <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : '—'}</option>}
        {schema.enum.map((opt) => (
          <option key={JSON.stringify(opt)} value={JSON.stringify(opt)}>
            {String(opt)}
          </option>
        ))}
      </select>
    );
  } else if (type === 'array' && schemaType(unwrap(schema.items ?? {})) === 'object') {
    return (
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 4 }}>
        <legend style={{ fontWeight: 500, marginBottom: 4 }}>{label}</legend>
        <Help schema={schema} error={error} id={id} />
        <ObjectList path={path} schema={schema} value={value} errors={errors} onChange={onChange} />
      </fieldset>
    );
  } else if (type === 'array' && ['string', 'enum'].includes(schemaType(unwrap(schema.items ?? {})) ?? '')) {
    control = (
      <input
        {...common}
        value={Array.isArray(value) ? value.join(', ') : ''}
        placeholder="comma, separated, values"
        onChange={(e) => onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))}
      />
    );
  } else if (type === 'object' && schema.properties) {
    return (
      <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 6, padding: 8, margin: 0 }}>
        <legend>{label}</legend>
        <SchemaFields schema={schema} value={(value ?? {}) as JsonObject} path={path} errors={errors} onChange={onChange} />
      </fieldset>
    );
  } else if (type === 'object' || type === 'array') {
    control = <JsonField id={id} value={value} invalid={Boolean(error)} onChange={onChange} />;
  } else if (type === 'number' || type === 'integer') {
    control = (
      <input
        {...common}
        inputMode="decimal"
        value={value === undefined ? '' : String(value)}
        placeholder={schema.default !== undefined ? String(schema.default) : ''}
        onChange={(e) => {
          const t = e.target.value.trim();
          onChange(t === '' ? undefined : /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : e.target.value);
        }}
      />
    );
  } else if (type === 'string' && schema['x-outrun-editor'] === 'code') {
    control = <CodeField id={id} name={path} value={typeof value === 'string' ? value : ''} language={parent?.['language'] === 'typescript' ? 'typescript' : 'javascript'} invalid={Boolean(error)} describedBy={described} onChange={(v) => onChange(v === '' && !required ? undefined : v)} />;
  } else if (type === 'string' && name === 'credentialId' && !isExpression(value)) {
    control = <CredentialSelect common={common} value={value} description={schema.description} onChange={onChange} />;
  } else if (type === 'string' && name === 'workflowId' && path === 'workflowId' && !isExpression(value)) {
    control = <WorkflowSelect common={common} value={value} onChange={onChange} />;
  } else if (type === 'string') {
    // `examples` (e.g. the AI model names of the price catalogue): offered, never enforced.
    const examples = Array.isArray(schema['examples']) ? schema['examples'].filter((x): x is string => typeof x === 'string') : [];
    const suggestions = name === 'model' && examples.length > 0 && provider.provider !== null ? provider.models : examples;
    const long = LONG_TEXT.test(name) || (schema.maxLength ?? 0) > 500;
    control = (
      <>
        <ExpressionInput
          common={common}
          multiline={long}
          jsonata={jsonata}
          label={title}
          list={!long && suggestions.length > 0 ? `${id}-suggestions` : undefined}
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          placeholder={typeof schema.default === 'string' ? schema.default : ''}
          onText={(text) => onChange(text === '' && !required ? undefined : text)}
        />
        {!long && suggestions.length > 0 ? <datalist id={`${id}-suggestions`}>{suggestions.map((s) => <option key={s} value={s} />)}</datalist> : null}
      </>
    );
  } else {
    control = <ExpressionInput common={common} multiline={false} jsonata={false} label={title} value={showLoose(value)} placeholder="text, number, JSON or {{ expression }}" onText={(text) => onChange(text === '' ? undefined : parseLoose(text))} />;
  }
  return (
    <label htmlFor={id}>
      {label}
      {control}
      {!schema.enum && type !== 'boolean' && type !== 'number' && type !== 'integer' && name !== 'credentialId' && schema['x-outrun-editor'] !== 'code' ? <ExpressionFields value={value} onChange={onChange} jsonata={jsonata} /> : null}
      <ExpressionPreview value={jsonata && typeof templated === 'string' && templated.trim() !== '' ? `{{ ${templated} }}` : templated} />
      <Help schema={schema} error={error} id={id} />
    </label>
  );
});

/** The fields of an object schema. `onChange` receives the whole new object. */
export function SchemaFields({ schema, value, path, errors, onChange }: { schema: JsonSchema; value: JsonObject; path: string; errors: ReadonlyMap<string, string>; onChange: (next: JsonObject) => void }) {
  const properties = Object.entries(unwrap(schema).properties ?? {});
  if (properties.length === 0) return <div className="muted">This node has no parameters.</div>;
  const required = new Set(unwrap(schema).required ?? []);
  return (
    <div className="stack">
      {properties.map(([key, prop]) => (
        <Field
          key={key}
          name={key}
          path={path ? `${path}.${key}` : key}
          schema={prop}
          value={value[key]}
          required={required.has(key) && prop.default === undefined}
          errors={errors}
          parent={prop['x-outrun-editor'] === 'code' ? value : undefined}
          {...(key === 'model' && typeof value['credentialId'] === 'string' ? { credentialId: value['credentialId'] } : {})}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined) delete next[key];
            else next[key] = v;
            onChange(next);
          }}
        />
      ))}
    </div>
  );
}
