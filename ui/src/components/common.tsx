// Small pieces every page uses.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Query } from "../chain";
import { formatCld, short } from "../format";

export function Cld(props: { value: bigint; digits?: number }) {
  return <span class="amount" title={`${props.value} base units`}>{formatCld(props.value, props.digits ?? 4)}</span>;
}

export function Address(props: { value: string; full?: boolean }) {
  return (
    <a class="address" href={`#/provers/${props.value}`} title={props.value}>
      {props.full ? props.value : short(props.value)}
    </a>
  );
}

/** Shows a query's error, its loading state, or its data through `children`. */
export function Loaded<T>(props: { query: Query<T>; children: (data: T) => ComponentChildren; what: string }) {
  const { query } = props;
  return (
    <>
      {query.error && (
        <p role="alert" class="error">
          Cannot read {props.what}: {query.error}
        </p>
      )}
      {query.loading && query.data === undefined
        ? !query.error && <p class="muted">Loading {props.what}…</p>
        : !(query.error && query.data === undefined) && props.children(query.data as T)}
    </>
  );
}

/** A labelled input whose label names it for assistive technology (and tests). */
export function Field(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  placeholder?: string;
  hint?: ComponentChildren;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        aria-label={props.label}
        type="text"
        value={props.value}
        placeholder={props.placeholder}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint && <small>{props.hint}</small>}
    </label>
  );
}

export function Select(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  hint?: ComponentChildren;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && <small>{props.hint}</small>}
    </label>
  );
}

/** Runs a parse for a form field and shows its error next to the form; returns undefined if it fails. */
export function useParsed<T>(parse: () => T): { value?: T; error?: string } {
  try {
    return { value: parse() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function FormError(props: { error?: string }) {
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null;
}

export function Tabs(props: { label: string; tabs: string[]; children: (tab: string) => ComponentChildren }) {
  const [tab, setTab] = useState(props.tabs[0]);
  return (
    <div>
      <div role="tablist" aria-label={props.label} class="tabs">
        {props.tabs.map((t) => (
          <button type="button" role="tab" aria-selected={t === tab} key={t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab}>
        {props.children(tab)}
      </div>
    </div>
  );
}
